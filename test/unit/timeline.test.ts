import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_TIMELINE_CAPACITY, Timeline } from '../../main/engine/timeline.js';

describe('Timeline', () => {
  it('keeps only the newest events up to its capacity', () => {
    const timeline = new Timeline(3);
    for (let i = 1; i <= 5; i++) timeline.record({ kind: 'warning', message: `m${i}`, at: i });
    expect(timeline.list().map((e) => e.message)).toEqual(['m3', 'm4', 'm5']);
    expect(timeline.list().map((e) => e.seq)).toEqual([3, 4, 5]);
  });

  it('has a default capacity', () => {
    const timeline = new Timeline();
    for (let i = 0; i < DEFAULT_TIMELINE_CAPACITY + 10; i++)
      timeline.record({ kind: 'warning', message: 'x', at: i });
    const events = timeline.list();
    expect(events).toHaveLength(DEFAULT_TIMELINE_CAPACITY);
    expect(events[0]?.seq).toBe(11);
  });

  it('numbers events with increasing sequence numbers and keeps the given time', () => {
    const timeline = new Timeline();
    const a = timeline.record({ kind: 'docker-up', message: 'a', at: 100 });
    const b = timeline.record({ kind: 'consul-up', message: 'b', at: 50 });
    const c = timeline.record({ kind: 'warning', message: 'c' });
    expect(a.seq).toBe(1);
    expect(b.seq).toBe(2);
    expect(c.seq).toBe(3);
    expect(a.at).toBe(100);
    expect(b.at).toBe(50);
    expect(typeof c.at).toBe('number');
    expect(Math.abs(c.at - Date.now())).toBeLessThan(5000);
  });

  it('lists events after a sequence number, oldest first', () => {
    const timeline = new Timeline();
    for (let i = 1; i <= 4; i++) timeline.record({ kind: 'warning', message: `m${i}`, at: i });
    expect(timeline.list(2).map((e) => e.seq)).toEqual([3, 4]);
    expect(timeline.list(4)).toEqual([]);
    expect(timeline.list(0).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('measures time since the previous step of the same container only', () => {
    const timeline = new Timeline();
    const started = timeline.record({ kind: 'container-started', message: 's', containerId: 'c1', at: 1000 });
    const other = timeline.record({ kind: 'container-started', message: 's', containerId: 'c2', at: 1100 });
    const registered = timeline.record({ kind: 'registered', message: 'r', containerId: 'c1', at: 1250 });
    const unrelated = timeline.record({ kind: 'lb-reloaded', message: 'l', at: 1300 });
    const rendered = timeline.record({
      kind: 'template-rendered',
      message: 't',
      containerId: 'c1',
      at: 1400.5,
    });
    const otherRegistered = timeline.record({
      kind: 'registered',
      message: 'r',
      containerId: 'c2',
      at: 1500,
    });

    expect(started.sincePreviousMs).toBeUndefined();
    expect(other.sincePreviousMs).toBeUndefined();
    expect(registered.sincePreviousMs).toBe(250);
    expect(unrelated.sincePreviousMs).toBeUndefined();
    expect(rendered.sincePreviousMs).toBe(150.5);
    expect(otherRegistered.sincePreviousMs).toBe(400);
  });

  it('starts a new chain when the container starts again', () => {
    const timeline = new Timeline();
    timeline.record({ kind: 'container-stopped', message: 'stop', containerId: 'c1', at: 1000 });
    const restarted = timeline.record({
      kind: 'container-started',
      message: 'start',
      containerId: 'c1',
      at: 5000,
    });
    const registered = timeline.record({ kind: 'registered', message: 'r', containerId: 'c1', at: 5040 });
    expect(restarted.sincePreviousMs).toBeUndefined();
    expect(registered.sincePreviousMs).toBe(40);
  });

  it('tells subscribers of each event until they unsubscribe', () => {
    const timeline = new Timeline();
    const seen = vi.fn();
    const other = vi.fn();
    const unsubscribe = timeline.subscribe(seen);
    timeline.subscribe(other);
    const first = timeline.record({ kind: 'docker-up', message: 'up', at: 1 });
    unsubscribe();
    timeline.record({ kind: 'docker-down', message: 'down', at: 2 });
    expect(seen).toHaveBeenCalledTimes(1);
    expect(seen).toHaveBeenCalledWith(first);
    expect(other).toHaveBeenCalledTimes(2);
  });
});
