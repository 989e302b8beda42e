/**
 * Tells the hits publisher, once a second, whether a snapshot could differ
 * from the last one it built, without building it. Building one reads every
 * backend's series and serialises it to compare: O(N) work each second, for
 * nothing while no request comes in. Once the counts are quiet (no hit inside
 * any window, HitsAggregator.quietAt), the snapshot depends only on which
 * count is shown, on the hits recorded (the aggregator's version) and on the
 * registered backends (the same array until they change), so the same inputs
 * twice mean the same snapshot.
 */
import type { HitsSnapshot } from '../../../contract/index.js';

export interface SnapshotInputs {
  source: HitsSnapshot['source'];
  /** The shown aggregator's version (grows with every hit). */
  version: number;
  /** The registered backends, as handed out (compared by identity). */
  known: readonly unknown[];
  /** The shown aggregator is quiet now: its snapshot does not move with the clock. */
  quiet: boolean;
}

export class PublishGate {
  private last: SnapshotInputs | undefined;

  /** True when a snapshot of these inputs would be the last one built: skip it. */
  unchanged(inputs: SnapshotInputs): boolean {
    const last = this.last;
    return (
      last !== undefined &&
      last.quiet &&
      inputs.quiet &&
      last.source === inputs.source &&
      last.version === inputs.version &&
      last.known === inputs.known
    );
  }

  /** Notes the inputs of the snapshot just built. */
  built(inputs: SnapshotInputs): void {
    this.last = inputs;
  }
}
