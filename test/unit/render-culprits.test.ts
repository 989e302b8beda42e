import { describe, expect, it } from 'vitest';
import { findCulprits } from '../../main/engine/render/culprits.js';

/** nginx's verdict stand-in: a render fails when it includes any of `bad`, naming the first. */
function verdict(bad: string[], calls: string[][] = []) {
  return (included: readonly string[]): Promise<string | undefined> => {
    calls.push([...included]);
    const culprit = included.find((item) => bad.includes(item));
    return Promise.resolve(culprit === undefined ? undefined : `refused ${culprit}`);
  };
}

const items = Array.from({ length: 20 }, (_, i) => `i${String(i).padStart(2, '0')}`);

describe('finding the data nginx refuses', () => {
  it('names each bad item with the message of the render that isolated it', async () => {
    const result = await findCulprits(items, verdict(['i03', 'i17']), 40);
    expect(result).toMatchObject({
      culprits: new Map([
        ['i03', 'refused i03'],
        ['i17', 'refused i17'],
      ]),
    });
  });

  it('needs about 2·k·log2(n) checks', async () => {
    const calls: string[][] = [];
    const result = await findCulprits(items, verdict(['i11'], calls), 40);
    expect([...('culprits' in result ? result.culprits.keys() : [])]).toEqual(['i11']);
    expect(result.checks).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(items.length)) + 1);
  });

  it('finds nothing when the whole render passes', async () => {
    expect(await findCulprits(items, verdict([]), 40)).toEqual({ culprits: new Map(), checks: 1 });
  });

  it('leaves out one of two items that fail only together', async () => {
    const pair = (included: readonly string[]): Promise<string | undefined> =>
      Promise.resolve(included.includes('i00') && included.includes('i19') ? 'refused the pair' : undefined);
    expect(await findCulprits(items, pair, 40)).toMatchObject({
      culprits: new Map([['i19', 'refused the pair']]),
    });
  });

  it('gives up when the checks run out', async () => {
    expect(await findCulprits(items, verdict(items), 5)).toMatchObject({
      undetermined: 'more than 5 checks would be needed',
    });
  });
});
