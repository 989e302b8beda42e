import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../contract/index';
import TimelineView from '../../renderer/src/components/TimelineView.vue';
import { createApiStub, engineStatus, instance } from '../../renderer/src/test/api-stub';
import { mountWithStore } from './helpers';

const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);
const c1 = instance(1).containerId;

function ev(
  seq: number,
  kind: TimelineEvent['kind'],
  at: number,
  extra: Partial<TimelineEvent> = {},
): TimelineEvent {
  return { seq, at: T0 + at, kind, message: `${kind} message`, ...extra };
}

describe('Timeline', () => {
  it('shows each container’s discovery chain with the duration of every step and the total', async () => {
    const api = createApiStub({
      status: engineStatus({}, [instance(1)]),
      timeline: [
        ev(1, 'consul-up', 0),
        ev(2, 'container-started', 10, { containerId: c1 }),
        ev(3, 'registered', 21.5, { containerId: c1, sincePreviousMs: 11.5 }),
        ev(4, 'template-rendered', 25, { containerId: c1, sincePreviousMs: 3.5 }),
        ev(5, 'lb-reloaded', 120, { containerId: c1, sincePreviousMs: 95 }),
        ev(6, 'first-request', 1610, { containerId: c1, sincePreviousMs: 1490 }),
      ],
    });
    const { wrapper } = await mountWithStore(TimelineView, api);
    const chains = wrapper.findAll('[data-test="chain"]');
    expect(chains).toHaveLength(1);
    expect(chains[0]!.text()).toContain('dt-web-1');
    const steps = chains[0]!.findAll('[data-test="step"]');
    expect(steps.map((s) => s.find('.step-label').text())).toEqual([
      'started',
      'registered',
      'rendered',
      'nginx reloaded',
      'first request',
    ]);
    expect(chains[0]!.findAll('[data-test="step-delta"]').map((d) => d.text())).toEqual([
      '+12 ms',
      '+4 ms',
      '+95 ms',
      '+1.49 sec',
    ]);
    expect(chains[0]!.find('[data-test="chain-total"]').text()).toBe('total 1.60 sec');
    expect(wrapper.text()).toContain('consul-up message');
  });

  it('appends pushed events, newest container first, and starts a new chain on restart', async () => {
    const api = createApiStub({ timeline: [ev(1, 'container-started', 0, { containerId: 'aaa' })] });
    const { wrapper } = await mountWithStore(TimelineView, api);
    api.pushTimeline([
      ev(2, 'container-started', 100, { containerId: 'bbb' }),
      ev(3, 'registered', 110, { containerId: 'bbb', sincePreviousMs: 10 }),
      ev(3, 'registered', 110, { containerId: 'bbb', sincePreviousMs: 10 }),
    ]);
    await flushPromises();
    let chains = wrapper.findAll('[data-test="chain"]');
    expect(chains.map((c) => c.find('.chain-name').text())).toEqual(['bbb', 'aaa']);
    expect(chains[0]!.findAll('[data-test="step"]')).toHaveLength(2);
    api.pushTimeline([ev(4, 'container-started', 200, { containerId: 'aaa' })]);
    await flushPromises();
    chains = wrapper.findAll('[data-test="chain"]');
    expect(chains[0]!.find('.chain-name').text()).toBe('aaa');
    expect(chains[0]!.findAll('[data-test="step"]')).toHaveLength(1);
  });

  it('has an empty state', async () => {
    const { wrapper } = await mountWithStore(TimelineView, createApiStub());
    expect(wrapper.find('[data-test="timeline-empty"]').exists()).toBe(true);
  });
});

describe('status after discovery steps', () => {
  it('does not read the status again after timeline pushes (the engine pushes it before the steps)', async () => {
    const api = createApiStub();
    await mountWithStore(TimelineView, api);
    const before = api.getStatus.mock.calls.length;
    // As the push hub sends them: the status first, then the steps that changed it.
    api.pushStatus(engineStatus({ state: 'ready' }));
    api.pushTimeline([ev(10, 'lb-error', 0, { message: 'nginx refused the rendered config' })]);
    api.pushTimeline([ev(11, 'lb-error', 1), ev(12, 'lb-reloaded', 2)]);
    api.pushTimeline([ev(13, 'registered', 3), ev(14, 'template-rendered', 4)]);
    await flushPromises();
    expect(api.getStatus.mock.calls.length).toBe(before);
  });
});
