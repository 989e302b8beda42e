import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { TOPIC_NAMES } from '../../contract/index';
import App from '../../renderer/src/App.vue';
import { createApiStub, engineStatus, instance } from '../../renderer/src/test/api-stub';
import { mountWithStore } from './helpers';

vi.mock('../../renderer/src/charts/line-chart', () => ({
  createLineChart: (_c: HTMLCanvasElement, config: { data: unknown; options: unknown }) => ({
    data: config.data,
    options: config.options,
    update: vi.fn(),
    destroy: vi.fn(),
  }),
}));

describe('Dashboard', () => {
  it('renders every card from the contract and subscribes to every push topic', async () => {
    const api = createApiStub({ status: engineStatus({}, [instance(1), instance(2)]) });
    const { wrapper, store } = await mountWithStore(App, api);
    for (const title of ['Scale', 'Live hits', 'Backends', 'Timeline', 'Config'])
      expect(wrapper.text()).toContain(title);
    expect(wrapper.findAll('[data-test="backend-row"]')).toHaveLength(2);
    expect(api.listenerCount()).toBe(TOPIC_NAMES.length);
    await wrapper.find('[data-test="open-lb"]').trigger('click');
    expect(api.openExternal).toHaveBeenCalledWith({ target: 'lb' });
    store.stop();
    expect(api.listenerCount()).toBe(0);
  });

  it('has tabs with proper roles, operable with the arrow keys', async () => {
    const { wrapper } = await mountWithStore(App, createApiStub());
    const tabs = wrapper.findAll('[role="tab"]');
    expect(tabs.map((t) => t.text())).toEqual(['Timeline', 'Config', 'Services']);
    expect(wrapper.find('[role="tablist"]').exists()).toBe(true);
    expect(tabs[0]!.attributes('aria-selected')).toBe('true');
    expect(tabs[0]!.attributes('tabindex')).toBe('0');
    expect(tabs[1]!.attributes('tabindex')).toBe('-1');
    expect(tabs[1]!.attributes('aria-controls')).toBe('panel-config');
    expect(wrapper.find('#panel-config').attributes('hidden')).toBeDefined();
    await tabs[0]!.trigger('keydown', { key: 'ArrowRight' });
    await flushPromises();
    expect(tabs[1]!.attributes('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(tabs[1]!.element);
    expect(wrapper.find('#panel-config').attributes('hidden')).toBeUndefined();
    expect(wrapper.find('#panel-timeline').attributes('hidden')).toBeDefined();
    await tabs[1]!.trigger('keydown', { key: 'ArrowRight' });
    await flushPromises();
    expect(tabs[2]!.attributes('aria-selected')).toBe('true');
    expect(wrapper.find('#panel-services [data-test="services-view"]').exists()).toBe(true);
    await tabs[2]!.trigger('keydown', { key: 'ArrowRight' });
    await flushPromises();
    expect(tabs[0]!.attributes('aria-selected')).toBe('true');
    wrapper.unmount();
  });

  it('starts and stops traffic and shows its counts', async () => {
    const api = createApiStub();
    const { wrapper } = await mountWithStore(App, api);
    await wrapper.find('[data-test="traffic-rate"]').setValue('50');
    await wrapper.find('[data-test="traffic-seconds"]').setValue('30');
    await wrapper.find('form.traffic').trigger('submit');
    await flushPromises();
    expect(api.startTraffic).toHaveBeenCalledWith({ ratePerSecond: 50, durationSeconds: 30 });
    expect(wrapper.find('[data-test="traffic-toggle"]').text()).toBe('Stop traffic');
    api.pushTraffic({
      running: true,
      sent: 120,
      succeeded: 119,
      failed: 1,
      byBackend: {},
      latencyMs: { p50: 3, p95: 9, p99: 12 },
    });
    await flushPromises();
    expect(wrapper.find('[data-test="traffic-stats"]').text()).toContain(
      '120 sent · 119 ok · 1 failed · p50 3 ms · p95 9 ms',
    );
    await wrapper.find('form.traffic').trigger('submit');
    await flushPromises();
    expect(api.stopTraffic).toHaveBeenCalledTimes(1);
    api.startTraffic.mockResolvedValueOnce({
      error: { message: 'Traffic needs the demo to run.', code: 'not-ready' },
    });
    await wrapper.find('form.traffic').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-test="traffic-error"]').text()).toBe('Traffic needs the demo to run.');
    wrapper.unmount();
  });

  it('keeps the Services tab out of the page until it is shown (its rows are not updated behind it)', async () => {
    const instances = Array.from({ length: 100 }, (_, i) => instance(i + 1));
    const { wrapper } = await mountWithStore(App, createApiStub({ status: engineStatus({}, instances) }));
    expect(wrapper.find('#panel-services [data-test="service-web"]').exists()).toBe(false);
    await wrapper.find('#tab-services').trigger('click');
    await flushPromises();
    expect(wrapper.findAll('#panel-services tr[data-test^="instance-"]')).toHaveLength(100);
    wrapper.unmount();
  });
});
