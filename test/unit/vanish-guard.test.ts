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

  it('names only instances of ours that were rendered and are missing now', () => {
    const { guard } = guardFor(['a', 'b']);
    const rendered = [instance('a'), instance('b'), instance('foreign')];
    expect(guard.vanished(rendered, [instance('b')])).toEqual(['a']);
    // Someone else's instance leaving is news; a new one of ours not seen yet is not "vanished".
    expect(guard.vanished(rendered, [instance('a'), instance('b')])).toEqual([]);
    expect(guard.vanished([instance('a')], [instance('a')])).toEqual([]);
  });

  it('holds a change, asks for a restore once per newly missing ID, and never releases while they are ours', () => {
    const { guard, events, restores } = guardFor(['a', 'b']);
    let released = 0;
    guard.hold('service:web|passing', ['a'], () => released++);
    guard.hold('service:web|passing', ['a'], () => released++);
    expect(restores()).toBe(1);
    guard.hold('service:web|passing', ['a', 'b'], () => released++);
    expect(restores()).toBe(2);
    expect(events.map((e) => e.message)).toEqual([
      expect.stringContaining('a left Consul without the engine deregistering it'),
      expect.stringContaining('b left Consul without the engine deregistering it'),
    ]);
    vi.advanceTimersByTime(VANISH_HOLD_MS - 1);
    expect(released).toBe(0);
  });

  it('releases at once when what vanished is no longer ours to keep (its container went)', () => {
    const { guard, registrations } = guardFor(['a', 'b']);
    let released = 0;
    guard.hold('k', ['a', 'b'], () => released++);
    registrations.drop('a');
    expect(released).toBe(0);
    registrations.drop('b');
    expect(released).toBe(1);
    vi.advanceTimersByTime(VANISH_HOLD_MS * 2);
    expect(released).toBe(1);
  });

  it('releases the held change at the bound, saying so', () => {
    const { guard, events } = guardFor(['a']);
    let released = 0;
    guard.hold('k', ['a'], () => released++);
    vi.advanceTimersByTime(VANISH_HOLD_MS);
    expect(released).toBe(1);
    expect(events.at(-1)?.message).toContain('a still missing from Consul 15 s after leaving it');
  });

  it('drops what it held when the instances came back or Consul was paused', () => {
    const { guard } = guardFor(['a']);
    let released = 0;
    guard.hold('k1', ['a'], () => released++);
    guard.clear('k1');
    guard.hold('k2', ['a'], () => released++);
    guard.clearAll();
    vi.advanceTimersByTime(VANISH_HOLD_MS * 2);
    expect(released).toBe(0);
  });
});
