import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../main/engine/docker/log-lines.js';
import { LogPosition } from '../../main/engine/hits/log-position.js';

const out = (loggedAtMs: number): LogLine => ({ stream: 'stdout', text: '', loggedAtMs });
const err = (loggedAtMs: number): LogLine => ({ stream: 'stderr', text: '', loggedAtMs });

describe("LogPosition (Docker's line times)", () => {
  it('counts every line of a live stream, several in one millisecond too', () => {
    const p = new LogPosition();
    expect([1000, 1000, 1500, 2000].map((t) => p.accept(out(t)))).toEqual([true, true, true, true]);
  });

  it('after a resume drops the replayed lines, as many at the last time as were delivered, and counts the rest', () => {
    const p = new LogPosition();
    for (const t of [1000, 2100, 2500, 2500]) p.accept(out(t));
    expect(p.resumeSinceSeconds()).toBe(1);
    p.resumed();
    // Replay from second 1: 1000, 2100, 2500, 2500 again, then a third line at 2500 that is new, then 2600.
    expect([1000, 2100, 2500, 2500, 2500, 2600].map((t) => p.accept(out(t)))).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
    ]);
    // Past the replay, a second line at 2600 counts too.
    expect(p.accept(out(2600))).toBe(true);
  });

  it('keeps stdout and stderr apart, and reopens a second before the later of the two', () => {
    const p = new LogPosition();
    p.accept(err(1000)); // quiet since: no replay from then
    p.accept(out(6999));
    p.accept(err(7001)); // Docker times the two apart: a little out of order
    p.accept(out(7000));
    expect(p.resumeSinceSeconds()).toBe(6);
    p.resumed();
    // The replay from second 6 brings both outputs' lines again, and then the lines not delivered.
    expect([out(6999), err(7001), out(7000), out(7000), err(7002)].map((l) => p.accept(l))).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
  });

  it('a resume before any line, or twice in a row, drops nothing new', () => {
    const p = new LogPosition();
    expect(p.resumeSinceSeconds()).toBeUndefined();
    p.resumed();
    expect(p.accept(out(1000))).toBe(true);
    p.resumed();
    p.resumed();
    expect([1000, 1000].map((t) => p.accept(out(t)))).toEqual([false, true]);
  });

  it('counts a line without a time (not asked for) as new', () => {
    const p = new LogPosition();
    p.accept(out(1000));
    p.resumed();
    expect(p.accept({ stream: 'stdout', text: 'x' })).toBe(true);
  });
});
