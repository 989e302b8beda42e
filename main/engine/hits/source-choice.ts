/**
 * Which log the hits come from. simple-web writes a line per request, so its
 * own logs say exactly which container served; an image that logs nothing
 * (yeasy/simple-web, a plain httpd) is counted from the LB's access log. A
 * container is "silent" once the access log has shown it serving for a while
 * without one line of its own. The choice is for the whole snapshot (mixing
 * sources would double-count or miss), and it sticks while no container has
 * spoken, so it does not flap as containers come and go.
 */
import type { HitsSnapshot } from '../../../contract/index.js';

export type HitsSource = HitsSnapshot['source'];

export interface SourceChoiceOptions {
  /** How long a container may serve without a line of its own before it counts as silent. */
  graceMs?: number;
  /** Access-log hits it must have served in that time. */
  minHits?: number;
}

interface Seen {
  talks: boolean;
  firstAccessHitAt?: number;
  accessHits: number;
}

export class SourceChoice {
  private readonly containers = new Map<string, Seen>();
  private last: HitsSource = 'web-logs';

  constructor(private readonly options: SourceChoiceOptions = {}) {}

  private seen(containerId: string): Seen {
    let seen = this.containers.get(containerId);
    if (!seen) {
      seen = { talks: false, accessHits: 0 };
      this.containers.set(containerId, seen);
    }
    return seen;
  }

  webLine(containerId: string): void {
    this.seen(containerId).talks = true;
  }

  accessHit(containerId: string, atMs: number): void {
    const seen = this.seen(containerId);
    seen.firstAccessHitAt ??= atMs;
    seen.accessHits++;
  }

  forget(containerId: string): void {
    this.containers.delete(containerId);
  }

  current(nowMs: number): HitsSource {
    const grace = this.options.graceMs ?? 3000;
    const minHits = this.options.minHits ?? 3;
    let anyTalks = false;
    let anySilent = false;
    for (const seen of this.containers.values()) {
      if (seen.talks) anyTalks = true;
      else if (
        seen.firstAccessHitAt !== undefined &&
        seen.accessHits >= minHits &&
        nowMs - seen.firstAccessHitAt >= grace
      )
        anySilent = true;
    }
    if (anySilent) this.last = 'lb-access-log';
    else if (anyTalks) this.last = 'web-logs';
    return this.last;
  }
}
