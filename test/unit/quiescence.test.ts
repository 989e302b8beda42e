import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Quiescence, parseWait } from '../../main/engine/render/quiescence.js';

describe('parseWait', () => {
  it.each([
    ['200ms:2s', { minMs: 200, maxMs: 2000 }],
    ['1s', { minMs: 1000, maxMs: 4000 }],
    ['0.5s:1m', { minMs: 500, maxMs: 60_000 }],
    ['3', { minMs: 3000, maxMs: 12_000 }],
  ])('%s', (text, expected) => {
    expect(parseWait(text)).toEqual(expected);
  });

  it.each(['soon', '1s:often', '2s:1s', ''])('refuses %j', (text) => {
    expect(() => parseWait(text)).toThrow();
  });
});

describe('Quiescence', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('without a window fires once on the next turn for a burst of pokes', async () => {
    const fire = vi.fn();
    const q = new Quiescence(fire);
    q.poke();
    q.poke();
    q.poke();
    expect(fire).not.toHaveBeenCalled();
    await vi.runAllTimersAsync();
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('waits for min quiet time, but never past max after the first change', () => {
    const fire = vi.fn();
    const q = new Quiescence(fire, { minMs: 100, maxMs: 300 });
    q.poke();
    vi.advanceTimersByTime(90);
    q.poke();
    vi.advanceTimersByTime(90);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(20);
    expect(fire).toHaveBeenCalledTimes(1);

    // A steady stream of changes: the max bound fires.
    fire.mockClear();
    q.poke();
    for (let t = 0; t < 280; t += 50) {
      vi.advanceTimersByTime(50);
      q.poke();
    }
    vi.advanceTimersByTime(30);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('cancel stops a pending render', () => {
    const fire = vi.fn();
    const q = new Quiescence(fire, { minMs: 100, maxMs: 300 });
    q.poke();
    q.cancel();
    vi.advanceTimersByTime(1000);
    expect(fire).not.toHaveBeenCalled();
  });
});
