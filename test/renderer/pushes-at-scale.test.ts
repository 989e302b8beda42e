/**
 * At 100 backends a status and a hits push arrive every second: each must re-render only the rows
 * whose shown values changed (issue 17: the page stayed busy for hundreds of ms per push when every
 * row re-rendered). Counted, not timed: a row's render formats its time with the locale's
 * formatters, so the calls to `time` count the rows rendered, whatever the machine's load.
 */
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isProxy } from 'vue';
import type { TimelineEvent } from '../../contract/index';
import BackendsTable from '../../renderer/src/components/BackendsTable.vue';
import TimelineView from '../../renderer/src/components/TimelineView.vue';
import { formatters } from '../../renderer/src/state/format';
import {
  backendHits,
  createApiStub,
  engineStatus,
  hitsSnapshot,
  instance,
} from '../../renderer/src/test/api-stub';
import { mountWithStore } from './helpers';

const N = 100;
/** A fresh status each call (new objects, as every push parses), with the same values. */
const status = () =>
  engineStatus(
    {},
    Array.from({ length: N }, (_, i) => instance(i + 1)),
  );
const hits = (at: number, busy: number) =>
  hitsSnapshot(
    at,
    Array.from({ length: N }, (_, i) =>
      backendHits(`172.18.0.${i + 5}:80`, [i + 1 === busy ? 9 : 1], { share: 1 / N }),
    ),
  );

afterEach(() => vi.restoreAllMocks());

describe('pushes at 100 backends', () => {
  it('re-renders only the backend rows whose values changed', async () => {
    const api = createApiStub({ status: status(), hits: hits(Date.now(), 0) });
    const { wrapper, i18n } = await mountWithStore(BackendsTable, api);
    // All N registered; the DOM holds the rows in the table's view (backends-window.test.ts).
    expect(wrapper.find('[data-test="backends-count"]').attributes('data-count')).toBe(`${N}`);
    expect(wrapper.findAll('[data-test="backend-row"]').length).toBeGreaterThan(7);
    const time = vi.spyOn(formatters(i18n.language.formatLocale), 'time');

    api.pushStatus(status());
    await flushPromises();
    expect(time).not.toHaveBeenCalled();

    // One backend got busier: its row shows it, and only its row is rendered again.
    api.pushHits(hits(Date.now() + 1000, 7));
    await flushPromises();
    expect(time).toHaveBeenCalledTimes(1);
    const row = wrapper.findAll('[data-test="backend-row"]')[6]!;
    expect(row.findAll('td')[5]!.text()).toBe('9');
  });

  it('re-renders no backend row when the shares move below the shown precision (traffic through the LB)', async () => {
    // Under traffic each push brings every share again, a little different: 1.0%, 0.98%, 1.02%…
    const drifting = (at: number, drift: number) =>
      hitsSnapshot(
        at,
        Array.from({ length: N }, (_, i) =>
          backendHits(`172.18.0.${i + 5}:80`, [1], { share: 1 / N + (i % 2 ? drift : -drift) }),
        ),
      );
    const api = createApiStub({ status: status(), hits: drifting(Date.now(), 0) });
    const { wrapper, i18n } = await mountWithStore(BackendsTable, api);
    const time = vi.spyOn(formatters(i18n.language.formatLocale), 'time');
    api.pushHits(drifting(Date.now() + 1000, 0.0002));
    await flushPromises();
    expect(time).not.toHaveBeenCalled();
    expect(wrapper.findAll('[data-test="backend-row"]')[1]!.findAll('td')[6]!.text()).toBe('1%');
  });

  it('does not re-render the timeline’s container chains on a status push with the same names', async () => {
    const events: TimelineEvent[] = Array.from({ length: N }, (_, i) => [
      {
        seq: 2 * i + 1,
        at: Date.UTC(2026, 10, 28, 10, 0, i),
        kind: 'container-started' as const,
        message: 'started',
        containerId: instance(i + 1).containerId,
      },
      {
        seq: 2 * i + 2,
        at: Date.UTC(2026, 10, 28, 10, 0, i) + 12,
        kind: 'registered' as const,
        message: 'registered',
        containerId: instance(i + 1).containerId,
        sincePreviousMs: 12,
      },
    ]).flat();
    const api = createApiStub({ status: status(), timeline: events });
    const { wrapper, i18n } = await mountWithStore(TimelineView, api);
    // The newest chains (the timeline shows the last few), newest first.
    expect(wrapper.findAll('[data-test="chain"]').length).toBeGreaterThan(1);
    expect(wrapper.find('.chain-name').text()).toBe(`dt-web-${N}`);
    const time = vi.spyOn(formatters(i18n.language.formatLocale), 'time');

    api.pushStatus(status());
    await flushPromises();
    expect(time).not.toHaveBeenCalled();

    // A renamed container is shown at once.
    api.pushStatus(
      engineStatus(
        {},
        Array.from({ length: N }, (_, i) => instance(i + 1, i === N - 1 ? { containerName: 'renamed' } : {})),
      ),
    );
    await flushPromises();
    expect(wrapper.find('.chain-name').text()).toBe('renamed');
  });

  it('keeps the timeline out of Vue’s proxies, and a timeline push still shows', async () => {
    // Up to 500 events walked on each timeline push (chains, engine events): read through proxies,
    // every event and field was tracked, a long task during a scale step at 100 backends.
    const started = (i: number, seq: number): TimelineEvent => ({
      seq,
      at: Date.UTC(2026, 10, 28, 10, 0, i),
      kind: 'container-started',
      message: 'started',
      containerId: instance(i).containerId,
    });
    const api = createApiStub({
      status: status(),
      timeline: Array.from({ length: N }, (_, i) => started(i + 1, i + 1)),
    });
    const { wrapper, store } = await mountWithStore(TimelineView, api);
    expect(isProxy(store.state.timeline)).toBe(false);
    expect(isProxy(store.state.timeline[0])).toBe(false);

    api.pushTimeline([
      { ...started(N, N + 1), kind: 'registered', message: 'registered', sincePreviousMs: 12 },
    ]);
    await flushPromises();
    expect(store.state.timeline).toHaveLength(N + 1);
    expect(isProxy(store.state.timeline)).toBe(false);
    expect(wrapper.find('[data-test="chain-total"]').exists()).toBe(true);
  });
});
