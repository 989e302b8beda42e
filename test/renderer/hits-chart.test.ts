import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveLineConfig } from '../../renderer/src/charts/line-chart';
import HitsChart from '../../renderer/src/components/HitsChart.vue';
import { backendHits, createApiStub, hitsSnapshot } from '../../renderer/src/test/api-stub';
import { mountWithStore } from './helpers';

// chart.js needs a real canvas; here a fake records what the component hands it.
interface FakeChart {
  config: LiveLineConfig;
  data: LiveLineConfig['data'];
  options: NonNullable<LiveLineConfig['options']>;
  update: ReturnType<typeof vi.fn>;
  destroy: ReturnType<typeof vi.fn>;
}
const created: FakeChart[] = [];
vi.mock('../../renderer/src/charts/line-chart', () => ({
  createLineChart: (_canvas: HTMLCanvasElement, config: LiveLineConfig) => {
    const fake: FakeChart = {
      config,
      data: config.data,
      options: config.options ?? {},
      update: vi.fn(),
      destroy: vi.fn(),
    };
    created.push(fake);
    return fake;
  },
}));

const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);

describe('Live hits chart', () => {
  beforeEach(() => {
    created.length = 0;
  });

  it('follows chart.js guidance for live data', async () => {
    await mountWithStore(HitsChart, createApiStub());
    expect(created).toHaveLength(1);
    const options = created[0]!.config.options!;
    expect(options.animation).toBe(false);
    expect(options.parsing).toBe(false);
    expect(options.normalized).toBe(true);
    expect(options.scales?.x).toMatchObject({ type: 'linear', min: -59, max: 0 });
    expect(options.scales?.y).toMatchObject({ type: 'linear', min: 0 });
    expect(options.elements?.point?.radius).toBe(0);
  });

  it('gives each backend a 60-point series and updates in place without re-creating the chart', async () => {
    const api = createApiStub({
      hits: hitsSnapshot(T0, [backendHits('172.18.0.5:80', [1, 2, 3]), backendHits('172.18.0.6:80', [4])]),
    });
    const { wrapper } = await mountWithStore(HitsChart, api);
    const chart = created[0]!;
    const datasets = chart.data.datasets;
    expect(datasets.map((d) => d.label)).toEqual(['172.18.0.5:80', '172.18.0.6:80']);
    for (const d of datasets) {
      expect(d.data).toHaveLength(60);
      expect(d.data[0]!.x).toBe(-59);
      expect(d.data[59]!.x).toBe(0);
    }
    expect(datasets[0]!.data.slice(-3).map((p) => p.y)).toEqual([1, 2, 3]);
    expect(datasets[0]!.borderColor).not.toBe(datasets[1]!.borderColor);
    const firstPoints = datasets[0]!.data;
    const updatesBefore = chart.update.mock.calls.length;

    api.pushHits(
      hitsSnapshot(T0 + 1000, [
        backendHits('172.18.0.5:80', [1, 2, 3, 9]),
        backendHits('172.18.0.6:80', [4, 5]),
        backendHits('172.18.0.7:80', [6]),
      ]),
    );
    await flushPromises();
    expect(created).toHaveLength(1);
    expect(chart.update.mock.calls.length).toBe(updatesBefore + 1);
    expect(chart.update).toHaveBeenLastCalledWith('none');
    expect(datasets).toHaveLength(3);
    expect(datasets[0]!.data).toBe(firstPoints);
    expect(datasets[0]!.data.slice(-4).map((p) => p.y)).toEqual([1, 2, 3, 9]);
    expect(datasets[1]!.data.slice(-2).map((p) => p.y)).toEqual([4, 5]);
    expect(datasets[2]!.data).toHaveLength(60);
    expect(chart.data.datasets.every((d) => d.data.length === 60)).toBe(true);
    // The y axis is fixed per update and steps in whole values, not auto-fitted.
    expect(chart.options.scales?.y?.max).toBe(10);
    expect(wrapper.findAll('[data-test="legend-item"]')).toHaveLength(3);

    wrapper.unmount();
    expect(chart.destroy).toHaveBeenCalledTimes(1);
  });

  it('keeps a backend colour stable while others come and go', async () => {
    const api = createApiStub({ hits: hitsSnapshot(T0, [backendHits('172.18.0.6:80', [1])]) });
    await mountWithStore(HitsChart, api);
    const chart = created[0]!;
    const color = chart.data.datasets[0]!.borderColor;
    api.pushHits(
      hitsSnapshot(T0 + 1000, [backendHits('172.18.0.5:80', [1]), backendHits('172.18.0.6:80', [1, 1])]),
    );
    await flushPromises();
    expect(chart.data.datasets.find((d) => d.label === '172.18.0.6:80')!.borderColor).toBe(color);
  });
});
