/**
 * The backends table at 100 backends has only the rows in its scroll box's view in the DOM (and a
 * few either side); spacer rows stand for the others so the scrollbar is the real one. Scrolling
 * shows the rows scrolled to, and a push while scrolled keeps the view where it is.
 * (happy-dom lays nothing out: the table uses its default row height, 36 px.)
 */
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import BackendsTable from '../../renderer/src/components/BackendsTable.vue';
import { rowWindow } from '../../renderer/src/state/row-window';
import { createApiStub, engineStatus, instance } from '../../renderer/src/test/api-stub';
import { mountWithStore } from './helpers';

const ROW = 36;
const statusOf = (count: number) =>
  engineStatus(
    {},
    Array.from({ length: count }, (_, i) => instance(i + 1)),
  );

const names = (wrapper: VueWrapper): string[] =>
  wrapper.findAll('[data-test="backend-row"]').map((row) => row.attributes('data-container') ?? '');
const spacer = (wrapper: VueWrapper, which: 'above' | 'below'): number => {
  const cell = wrapper.find(`[data-test="rows-${which}"] td`);
  return cell.exists() ? Number.parseFloat((cell.element as HTMLElement).style.height) : 0;
};
async function scrollTo(wrapper: VueWrapper, top: number): Promise<void> {
  const box = wrapper.find('[data-test="backends-scroll"]');
  (box.element as HTMLElement).scrollTop = top;
  await box.trigger('scroll');
  await flushPromises();
}

describe('backends table at 100 backends (rows in view only)', () => {
  it('renders the first rows and stands for the rest with a spacer of their height', async () => {
    const { wrapper } = await mountWithStore(BackendsTable, createApiStub({ status: statusOf(100) }));
    const shown = names(wrapper);
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(30);
    expect(shown[0]).toBe('dt-web-1');
    expect(shown).toEqual(shown.map((_, i) => `dt-web-${i + 1}`));
    expect(spacer(wrapper, 'above')).toBe(0);
    expect(spacer(wrapper, 'below')).toBe((100 - shown.length) * ROW);
    expect(wrapper.find('table').attributes('aria-rowcount')).toBe('101');
    expect(wrapper.text()).toContain('100 registered');
  });

  it('shows the rows scrolled to, in order, with their place in the table', async () => {
    const { wrapper } = await mountWithStore(BackendsTable, createApiStub({ status: statusOf(100) }));
    await scrollTo(wrapper, 50 * ROW);
    const shown = names(wrapper);
    // Row 51 (index 50) at the top of the view, 5 rows kept above it.
    expect(shown[0]).toBe('dt-web-46');
    expect(shown).toContain('dt-web-51');
    expect(shown).toContain('dt-web-60');
    expect(shown).not.toContain('dt-web-1');
    expect(spacer(wrapper, 'above')).toBe(45 * ROW);
    expect(spacer(wrapper, 'above') + shown.length * ROW + spacer(wrapper, 'below')).toBe(100 * ROW);
    const row51 = wrapper.findAll('[data-test="backend-row"]')[5]!;
    expect(row51.attributes('data-container')).toBe('dt-web-51');
    expect(row51.attributes('aria-rowindex')).toBe('52');
    expect(row51.findAll('td')[0]!.text()).toBe('dt-web-51');

    // To the end: the last row is there and nothing stands below it.
    await scrollTo(wrapper, 100 * ROW);
    expect(names(wrapper).at(-1)).toBe('dt-web-100');
    expect(spacer(wrapper, 'below')).toBe(0);
  });

  it('keeps the view on a status push while scrolled, and fits it when the list shrinks', async () => {
    const api = createApiStub({ status: statusOf(100) });
    const { wrapper } = await mountWithStore(BackendsTable, api);
    await scrollTo(wrapper, 40 * ROW);
    api.pushStatus(statusOf(100));
    await flushPromises();
    expect(names(wrapper)[0]).toBe('dt-web-36');

    // 100 → 30 while scrolled to row 41: the last rows are shown, none past the end.
    api.pushStatus(statusOf(30));
    await flushPromises();
    const shown = names(wrapper);
    expect(shown.at(-1)).toBe('dt-web-30');
    expect(shown.length).toBeGreaterThan(10);
    expect(spacer(wrapper, 'below')).toBe(0);
  });
});

describe('backends filter (the browser’s find does not see rows out of view)', () => {
  it('shows the rows whose name, service ID or address match, from the top, and says when none does', async () => {
    const { wrapper } = await mountWithStore(BackendsTable, createApiStub({ status: statusOf(100) }));
    await scrollTo(wrapper, 60 * ROW);
    const filter = wrapper.find('[data-test="backends-filter"]');
    expect(filter.attributes('aria-label')).toBe('Filter backends');

    // By name: web-7 and web-70…79, in the table's order, the view back at the top.
    await filter.setValue('WEB-7');
    expect(names(wrapper)).toEqual(['dt-web-7', ...Array.from({ length: 10 }, (_, i) => `dt-web-${70 + i}`)]);
    expect(spacer(wrapper, 'above')).toBe(0);
    expect(wrapper.find('table').attributes('aria-rowcount')).toBe('12');
    // The count still says how many are registered.
    expect(wrapper.find('[data-test="backends-count"]').text()).toBe('100 registered');

    // By address (instance i listens on 172.18.0.(i + 4)).
    await filter.setValue('172.18.0.99:');
    expect(names(wrapper)).toEqual(['dt-web-95']);

    await filter.setValue('nothing-like-this');
    expect(names(wrapper)).toEqual([]);
    expect(wrapper.find('[data-test="backends-no-match"]').text()).toContain('nothing-like-this');

    await filter.setValue('');
    expect(names(wrapper)[0]).toBe('dt-web-1');
    expect(spacer(wrapper, 'below')).toBeGreaterThan(0);
  });
});

describe('rowWindow', () => {
  it('covers the view plus the overscan, clamped to the list', () => {
    expect(rowWindow(100, 0, 360, 36, 5)).toEqual({ start: 0, end: 16, padTop: 0, padBottom: 84 * 36 });
    expect(rowWindow(100, 50 * 36, 360, 36, 5)).toEqual({
      start: 45,
      end: 66,
      padTop: 45 * 36,
      padBottom: 34 * 36,
    });
    // Past the end (the list shrank under the scroll): the last rows that fill the view.
    expect(rowWindow(20, 90 * 36, 360, 36, 5)).toEqual({ start: 4, end: 20, padTop: 4 * 36, padBottom: 0 });
    expect(rowWindow(3, 0, 360, 36, 5)).toEqual({ start: 0, end: 3, padTop: 0, padBottom: 0 });
    expect(rowWindow(0, 0, 360, 36, 5)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
  });
});
