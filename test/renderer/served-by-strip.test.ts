import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ServedByStrip from '../../renderer/src/components/ServedByStrip.vue';
import { backendHits, createApiStub, hitsSnapshot } from '../../renderer/src/test/api-stub';
import { StripKeys } from '../../renderer/src/state/strip-keys';
import { mountWithStore } from './helpers';

const A = '172.18.0.5:80';
const B = '172.18.0.6:80';
const C = '172.18.0.7:80';

/** happy-dom normalises colours to rgb(); compare in that form. */
function rgb(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

describe('Served-by strip', () => {
  it('shows the last requests oldest first, one colour per backend, so round robin is visible', async () => {
    const api = createApiStub({
      hits: hitsSnapshot(
        Date.now(),
        [backendHits(A, [2]), backendHits(B, [2]), backendHits(C, [2])],
        [A, B, C, A, B, C],
      ),
    });
    const { wrapper, store } = await mountWithStore(ServedByStrip, api);
    const cells = wrapper.findAll('[data-test="strip-cell"]');
    expect(cells.map((c) => c.attributes('data-address'))).toEqual([A, B, C, A, B, C]);
    expect(cells.map((c) => c.text())).toEqual(['.5', '.6', '.7', '.5', '.6', '.7']);
    const colours = cells.map((c) => (c.element as HTMLElement).style.backgroundColor);
    expect(new Set(colours).size).toBe(3);
    expect(colours[0]).toBe(colours[3]);
    expect([colours[0], rgb(store.colors.colorOf(A))]).toSatisfy(
      ([x, y]: string[]) => x === y || x === store.colors.colorOf(A),
    );
    expect(cells[0]!.attributes('title')).toBe(A);
  });

  it('updates with each snapshot and has an empty state', async () => {
    const api = createApiStub();
    const { wrapper } = await mountWithStore(ServedByStrip, api);
    expect(wrapper.find('[data-test="strip-empty"]').text()).toContain('No requests yet');
    api.pushHits(hitsSnapshot(Date.now(), [backendHits(A, [1]), backendHits(B, [1])], [B, A]));
    await flushPromises();
    expect(wrapper.findAll('[data-test="strip-cell"]').map((c) => c.attributes('data-address'))).toEqual([
      B,
      A,
    ]);
  });
  it('keeps the elements of the cells still shown when the next push moves the strip along', async () => {
    // At 100 backends each push moves the 50 cells by the requests of the last second: keyed by
    // position, Vue removed and created all 50 elements every second.
    const addresses = Array.from({ length: 60 }, (_, i) => `172.18.0.${i + 5}:80`);
    const snapshot = (from: number) =>
      hitsSnapshot(
        Date.now(),
        addresses.map((a) => backendHits(a, [1])),
        addresses.slice(from, from + 50),
      );
    const api = createApiStub({ hits: snapshot(0) });
    const { wrapper } = await mountWithStore(ServedByStrip, api);
    const before = wrapper.findAll('[data-test="strip-cell"]').map((c) => c.element);
    api.pushHits(snapshot(7));
    await flushPromises();
    const after = wrapper.findAll('[data-test="strip-cell"]');
    expect(after.map((c) => c.attributes('data-address'))).toEqual(addresses.slice(7, 57));
    // The 43 cells shown before and after are the same elements; only 7 are new.
    after.slice(0, 43).forEach((cell, i) => expect(cell.element).toBe(before[i + 7]));
    after.slice(43).forEach((cell) => expect(before).not.toContain(cell.element));
  });
});

describe('StripKeys', () => {
  it('carries keys over a shift, gives new cells new keys, and starts over when nothing is shared', () => {
    const keys = new StripKeys();
    expect(keys.keysFor([A, B, C])).toEqual([0, 1, 2]);
    expect(keys.keysFor([B, C, A, B])).toEqual([1, 2, 3, 4]);
    expect(keys.keysFor([B, C, A, B])).toEqual([1, 2, 3, 4]);
    expect(keys.keysFor([C, C])).toEqual([5, 6]);
    expect(keys.keysFor([])).toEqual([]);
  });
});
