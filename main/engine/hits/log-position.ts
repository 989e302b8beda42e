/**
 * Where a followed log stands, by Docker's own line times, so that a stream reopened after a
 * break delivers every line once: none lost, none twice. Docker's `since` takes whole seconds,
 * so a reopened stream replays from the start of a second before the last line; these positions
 * drop what was delivered already. Docker times stdout and stderr apart, so each output keeps its own
 * (only each one's lines are in time order). Times are whole milliseconds, as `Date.parse` reads
 * them: several lines may share one, and then the replay's first lines at that time are the ones
 * delivered (same order), so as many as were delivered are dropped.
 */
import type { LogLine } from '../docker/log-lines.js';

type Output = LogLine['stream'];

interface OutputPosition {
  /** The last delivered line's time (epoch ms). */
  lastMs: number;
  /** Delivered lines at exactly lastMs. */
  atLast: number;
  /** In a replay: lines at lastMs still to drop; -1 outside a replay. */
  toSkip: number;
}

export class LogPosition {
  private readonly outputs = new Map<Output, OutputPosition>();

  /**
   * Epoch seconds to reopen from (Docker's `since`, inclusive); undefined before any timed line.
   * The stream carries both outputs in the order Docker wrote them, close to time order: what was
   * not delivered came after the latest line that was. One second earlier covers the little that
   * stdout's and stderr's times may differ, and an output quiet for hours costs no replay of hours.
   */
  resumeSinceSeconds(): number | undefined {
    let latest: number | undefined;
    for (const { lastMs } of this.outputs.values())
      if (latest === undefined || lastMs > latest) latest = lastMs;
    return latest === undefined ? undefined : Math.floor(latest / 1000) - 1;
  }

  /** Call before a reopened stream delivers lines: what follows may repeat. */
  resumed(): void {
    for (const output of this.outputs.values()) output.toSkip = output.atLast;
  }

  /** True when the line is new (and then it counts as delivered). */
  accept(line: LogLine): boolean {
    const ms = line.loggedAtMs;
    if (ms === undefined) return true; // untimed (not asked for): nothing to go by
    const output = this.outputs.get(line.stream);
    if (!output) {
      this.outputs.set(line.stream, { lastMs: ms, atLast: 1, toSkip: -1 });
      return true;
    }
    if (output.toSkip >= 0) {
      if (ms < output.lastMs) return false;
      if (ms === output.lastMs && output.toSkip > 0) {
        output.toSkip--;
        return false;
      }
      output.toSkip = -1; // past the replay
    }
    if (ms === output.lastMs) output.atLast++;
    else if (ms > output.lastMs) {
      output.lastMs = ms;
      output.atLast = 1;
    }
    return true;
  }
}
