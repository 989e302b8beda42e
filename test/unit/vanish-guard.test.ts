import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../contract/index.js';
import { VanishGuard, VANISH_HOLD_MS } from '../../main/engine/render/vanish-guard.js';
import type { ServiceInstance } from '../../main/engine/template/index.js';
import type { TimelineInput } from '../../main/engine/timeline.js';

function instance(id: string): ServiceInstance {
  return {
    ID: id,
    Name: 'web',
    Address: '10.0.0.2',
    Port: 80,
    Tags: [],
    Node: 'n1',
    NodeAddress: '10.0.0.1',
    ServiceMeta: {},
    Status: 'passing',
  };
}

/** What the registrator keeps: a set the test changes, announcing each change as it does. */
function ownRegistrations(ids: string[]) {
  const kept = new Set(ids);
  const changed = new Emitter<void>();
  return {
    kept,
    own: { keptIds: () => kept, onChange: (listener: () => void) => changed.on(listener) },
    drop: (id: string) => {
      kept.delete(id);
      changed.emit();
    },
  };
}

describe('VanishGuard', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function guardFor(ids: string[]) {
    const registrations = ownRegistrations(ids);
    const events: TimelineInput[] = [];
    let restores = 0;
    const guard = new VanishGuard({
      own: registrations.own,
      restore: () => restores++,
      record: (event) => events.push(event),
    });
    return { guard, registrations, events, restores: () => restores };
  }

  const KEY = 'service:web|passing';
  const ids = (items: ServiceInstance[]): string[] => items.map((i) => i.ID);

  /** Feeds answers for one key as consul-data.ts does: what it renders is the answer plus what is kept. */
  function feed(guard: VanishGuard) {
    let rendered: ServiceInstance[] = [];
    let last: ServiceInstance[] = [];
    let reapplied = 0;
    const apply = (answer: ServiceInstance[]): string[] => {
      last = answer;
      rendered = [...answer, ...guard.keep(KEY, rendered, answer, (i) => i.ID, reapply)];
      return ids(rendered).sort();
    };
    const reapply = (): void => {
      reapplied++;
      rendered = [...last, ...guard.keep(KEY, rendered, last, (i) => i.ID, reapply)];
    };
    return { apply, rendered: () => ids(rendered).sort(), reapplied: () => reapplied };
  }

  it('keeps only instances of ours that were rendered and are missing now; everything else goes through', () => {
    const { guard, restores } = guardFor(['a', 'b']);
    const data = feed(guard);
    expect(data.apply([instance('a'), instance('b'), instance('foreign')])).toEqual(['a', 'b', 'foreign']);
    // a of ours vanished: kept; someone else's leaving is news, and a new one goes in at once.
    expect(data.apply([instance('b'), instance('new')])).toEqual(['a', 'b', 'new']);
    expect(restores()).toBe(1);
    // Back in Consul: no longer kept, and no second restore.
    expect(data.apply([instance('a'), instance('b'), instance('new')])).toEqual(['a', 'b', 'new']);
    expect(data.apply([instance('b'), instance('new')])).toEqual(['a', 'b', 'new']);
    expect(restores()).toBe(2);
  });

  it('asks for a restore once per newly missing ID, and says which', () => {
    const { guard, events, restores } = guardFor(['a', 'b']);
    const data = feed(guard);
    data.apply([instance('a'), instance('b')]);
    data.apply([instance('b')]);
    data.apply([instance('b')]);
    expect(restores()).toBe(1);
    data.apply([]);
    expect(restores()).toBe(2);
    expect(data.rendered()).toEqual(['a', 'b']);
    expect(events.map((e) => e.message)).toEqual([
      expect.stringContaining("a left Consul's passing instances without the engine deregistering it"),
      expect.stringContaining("b left Consul's passing instances without the engine deregistering it"),
    ]);
  });

  it('lets go at once of what is no longer ours to keep (its container went, or the engine drains it)', () => {
    const { guard, registrations } = guardFor(['a', 'b']);
    const data = feed(guard);
    data.apply([instance('a'), instance('b')]);
    data.apply([]);
    registrations.drop('a');
    expect(data.rendered()).toEqual(['b']);
    registrations.drop('b');
    expect(data.rendered()).toEqual([]);
    vi.advanceTimersByTime(VANISH_HOLD_MS * 2);
    expect(data.rendered()).toEqual([]);
  });

  it('counts the bound from when each went missing, not from the last answer, and says when it passes', () => {
    const { guard, events } = guardFor(['a', 'b']);
    const data = feed(guard);
    data.apply([instance('a'), instance('b'), instance('c')]);
    data.apply([instance('b'), instance('c')]);
    vi.advanceTimersByTime(VANISH_HOLD_MS / 2);
    // Answers keep coming (others change): a's bound does not start again.
    data.apply([instance('c')]);
    data.apply([instance('c'), instance('d')]);
    expect(data.rendered()).toEqual(['a', 'b', 'c', 'd']);
    vi.advanceTimersByTime(VANISH_HOLD_MS / 2);
    expect(data.rendered()).toEqual(['b', 'c', 'd']);
    expect(events.at(-1)?.message).toContain('a still missing from Consul 15 s after leaving it');
    // Once let go, it is not kept again by the next answer.
    data.apply([instance('c'), instance('d')]);
    expect(data.rendered()).toEqual(['b', 'c', 'd']);
    vi.advanceTimersByTime(VANISH_HOLD_MS / 2);
    expect(data.rendered()).toEqual(['c', 'd']);
  });

  it('forgets what it kept when the dependency goes or Consul is paused', () => {
    const { guard } = guardFor(['a']);
    const data = feed(guard);
    data.apply([instance('a')]);
    data.apply([]);
    guard.clearAll();
    vi.advanceTimersByTime(VANISH_HOLD_MS * 2);
    expect(data.reapplied()).toBe(0);
    data.apply([instance('a')]);
    data.apply([]);
    guard.clear(KEY);
    vi.advanceTimersByTime(VANISH_HOLD_MS * 2);
    expect(data.reapplied()).toBe(0);
  });
});
