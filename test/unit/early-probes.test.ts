import { describe, expect, it } from 'vitest';
import { EarlyProbes, firstReached } from '../../main/engine/lb/early-probes.js';
import type { ProbeResults } from '../../main/engine/lb/lb-probe.js';
import { Reachability } from '../../main/engine/lb/lb-reachability.js';
import { Timeline } from '../../main/engine/timeline.js';

/** A stand-in for the LB's probe: records what it is asked, answers as `verdict` says, when told to. */
function fakeLb(verdict: (target: string) => string | undefined) {
  const asked: string[][] = [];
  const waiting: (() => void)[] = [];
  let held = false;
  return {
    asked,
    hold: () => (held = true),
    release: () => {
      held = false;
      waiting.splice(0).forEach((go) => go());
    },
    probe: (targets: readonly string[]): Promise<ProbeResults> => {
      asked.push([...targets]);
      const answer = (): ProbeResults => new Map(targets.map((t) => [t, verdict(t)]));
      return held
        ? new Promise((resolve) => waiting.push(() => resolve(answer())))
        : Promise.resolve(answer());
    },
  };
}

const web = { id: 'web-1', service: 'web', address: '10.0.0.2', port: 80 };

function reachabilityWith(lb: ReturnType<typeof fakeLb>, lbId = () => 'lb') {
  const timeline = new Timeline();
  const early = new EarlyProbes(lb.probe, lbId, timeline);
  const reach = new Reachability({
    early,
    probe: lb.probe,
    place: () => Promise.resolve(new Map()),
    lbId,
    timeline,
    changed: () => undefined,
  });
  return { early, reach };
}

describe('early probes', () => {
  it('an early answer that reached the backend saves the render its own probe', async () => {
    const lb = fakeLb(() => undefined);
    const { early, reach } = reachabilityWith(lb);
    early.send(web);
    await Promise.resolve();
    expect(await reach.gate([web])).toEqual(new Set());
    expect(lb.asked).toEqual([['10.0.0.2:80']]);
    reach.stop();
  });

  it('an early probe still out races the render’s own, and the first that reaches wins', async () => {
    let reachable = false;
    const lb = fakeLb(() => (reachable ? undefined : 'connection refused (nothing listens on that port)'));
    const { early, reach } = reachabilityWith(lb);
    lb.hold();
    early.send(web);
    const gated = reach.gate([web]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    reachable = true;
    lb.release();
    expect(await gated).toEqual(new Set());
    expect(lb.asked).toHaveLength(2);
    reach.stop();
  });

  it('a failed early probe, or one from another LB container, is not a verdict', async () => {
    let reachable = false;
    const lb = fakeLb(() => (reachable ? undefined : 'no answer within 1 s'));
    let lbId = 'lb-old';
    const { early, reach } = reachabilityWith(lb, () => lbId);
    early.send(web);
    await Promise.resolve();
    reachable = true;
    // The early probe failed: the render probes again and finds the backend.
    expect(await reach.gate([web])).toEqual(new Set());
    expect(lb.asked).toHaveLength(2);

    // An early probe that reached a backend through an LB container since replaced says nothing.
    const other = { ...web, id: 'web-2', address: '10.0.0.3' };
    early.send(other);
    await Promise.resolve();
    lbId = 'lb-new';
    reachable = false;
    expect(await reach.gate([other])).toEqual(new Set(['web-2']));
    reach.stop();
  });

  it('firstReached: connected as soon as either connects; else the newer look’s reason', async () => {
    expect(await firstReached(new Promise(() => undefined), Promise.resolve(undefined))).toBeUndefined();
    expect(await firstReached(Promise.resolve(undefined), new Promise(() => undefined))).toBeUndefined();
    expect(await firstReached(Promise.resolve('refused'), Promise.resolve('timed out'))).toBe('timed out');
  });
});
