import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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

// Animation frames on demand: the chart redraws in a task right after the frame that follows a
// push (once-per-frame.ts); runFrames runs the pending frames, then lets that task run.
let frames = new Map<number, FrameRequestCallback>();
let frameIds = 0;
async function runFrames(): Promise<void> {
  const due = frames;
  frames = new Map();
  for (const callback of due.values()) callback(performance.now());
  await new Promise((resolve) => setTimeout(resolve, 0));
}
async function settle(): Promise<void> {
  await flushPromises();
  await runFrames();
}

describe('Live hits chart', () => {
  beforeEach(() => {
    created.length = 0;
    frames = new Map();
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => {
      frames.set(++frameIds, callback);
      return frameIds;
    });
    vi.stubGlobal('cancelAnimationFrame', (id: number) => frames.delete(id));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('follows chart.js guidance for live data', async () => {
    await mountWithStore(HitsChart, createApiStub());
    await runFrames();
    expect(created).toHaveLength(1);
    const options = created[0]!.config.options!;
    expect(options.animation).toBe(false);
    expect(options.parsing).toBe(false);
    expect(options.normalized).toBe(true);
    expect(options.scales?.x).toMatchObject({ type: 'linear', min: -59, max: 0 });
    expect(options.scales?.y).toMatchObject({ type: 'linear', min: 0 });
    expect(options.elements?.point?.radius).toBe(0);
    expect(options.spanGaps).toBe(true);
    expect(options.scales?.x?.ticks).toMatchObject({ minRotation: 0, maxRotation: 0 });
  });

  it('gives each backend a 60-point series and updates in place without re-creating the chart', async () => {
    const api = createApiStub({
      hits: hitsSnapshot(T0, [backendHits('172.18.0.5:80', [1, 2, 3]), backendHits('172.18.0.6:80', [4])]),
    });
    const { wrapper } = await mountWithStore(HitsChart, api);
    await runFrames();
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
    await settle();
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
    await runFrames();
    const chart = created[0]!;
    const color = chart.data.datasets[0]!.borderColor;
    api.pushHits(
      hitsSnapshot(T0 + 1000, [backendHits('172.18.0.5:80', [1]), backendHits('172.18.0.6:80', [1, 1])]),
    );
    await settle();
    expect(chart.data.datasets.find((d) => d.label === '172.18.0.6:80')!.borderColor).toBe(color);
  });

  it('draws the busiest ten backends and sums the rest into one line, so 100 stay legible', async () => {
    // 14 backends: 10.0.0.1 the busiest (14/s) … 10.0.0.14 the quietest (1/s).
    const backends = Array.from({ length: 14 }, (_, i) => backendHits(`10.0.0.${i + 1}:80`, [1, 14 - i]));
    const { wrapper } = await mountWithStore(HitsChart, createApiStub({ hits: hitsSnapshot(T0, backends) }));
    await runFrames();
    const chart = created[0]!;
    const labels = chart.data.datasets.map((d) => d.label);
    expect(labels).toHaveLength(11);
    expect(labels.slice(0, 10)).toEqual(backends.slice(0, 10).map((b) => b.address));
    // The last four (4, 3, 2 and 1 per second) share one line: its last point is their sum.
    const others = chart.data.datasets[10]!;
    expect(others.data.slice(-2).map((p) => p.y)).toEqual([4, 4 + 3 + 2 + 1]);
    expect(wrapper.findAll('[data-test="legend-item"]')).toHaveLength(10);
    expect(wrapper.get('[data-test="legend-others"]').text()).toContain('4 others (summed)');
    expect(wrapper.get('[data-test="legend-others"]').text()).toContain('10/s');
    expect(wrapper.get('canvas').attributes('aria-label')).toContain('4 others (summed): 10 per second');
  });

  it('draws eleven backends as eleven lines: an "others" line never stands for one', async () => {
    const backends = Array.from({ length: 11 }, (_, i) => backendHits(`10.0.1.${i + 1}:80`, [i + 1]));
    const { wrapper } = await mountWithStore(HitsChart, createApiStub({ hits: hitsSnapshot(T0, backends) }));
    await runFrames();
    expect(created[0]!.data.datasets).toHaveLength(11);
    expect(wrapper.find('[data-test="legend-others"]').exists()).toBe(false);
  });

  it('redraws once, right after the next animation frame, for all the pushes that came before it', async () => {
    const api = createApiStub({ hits: hitsSnapshot(T0, [backendHits('172.18.0.5:80', [1])]) });
    await mountWithStore(HitsChart, api);
    await runFrames();
    const chart = created[0]!;
    const before = chart.update.mock.calls.length;
    for (let n = 1; n <= 3; n++)
      api.pushHits(hitsSnapshot(T0 + n * 1000, [backendHits('172.18.0.5:80', [n])]));
    await flushPromises();
    // The pushes' own tasks do not draw, nor does the frame itself.
    expect(chart.update.mock.calls.length).toBe(before);
    expect(frames.size).toBe(1);
    for (const callback of frames.values()) callback(performance.now());
    frames = new Map();
    expect(chart.update.mock.calls.length).toBe(before);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(chart.update.mock.calls.length).toBe(before + 1);
    expect(chart.data.datasets[0]!.data.slice(-3).map((p) => p.y)).toEqual([1, 2, 3]);
    await runFrames();
    expect(chart.update.mock.calls.length).toBe(before + 1);
  });

  it('keeps its datasets when the busiest ten change, handing a dropped one to a newcomer', async () => {
    // 14 backends, 10.0.2.1 the busiest; then the order turns round.
    const ranked = (at: number, reverse: boolean) =>
      hitsSnapshot(
        at,
        Array.from({ length: 14 }, (_, i) => backendHits(`10.0.2.${i + 1}:80`, [reverse ? i + 1 : 14 - i])),
      );
    const api = createApiStub({ hits: ranked(T0, false) });
    const { store } = await mountWithStore(HitsChart, api);
    await runFrames();
    const chart = created[0]!;
    const before = [...chart.data.datasets];
    api.pushHits(ranked(T0 + 1000, true));
    await settle();
    const after = chart.data.datasets;
    expect(after).toHaveLength(11);
    expect(new Set(after)).toEqual(new Set(before));
    const lines = after.filter((d) => !d.label!.startsWith('\u0000'));
    expect(lines.map((d) => d.label).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `10.0.2.${i + 5}:80`).sort(),
    );
    for (const d of lines) {
      expect(d.borderColor).toBe(store.colors.colorOf(d.label!));
      expect(d.data.at(-1)!.y).toBe(Number(/\.(\d+):80$/.exec(d.label!)![1]));
    }
  });

  it('names the Docker host of each backend once the hits come from more than one host', async () => {
    const twoHosts = hitsSnapshot(T0, [
      backendHits('172.18.0.5:80', [3], { host: 'local', containerName: 'demo-web-1' }),
      backendHits('10.1.2.3:32768', [2], { host: 'lab2', containerName: 'demo-web-2' }),
    ]);
    const { wrapper } = await mountWithStore(HitsChart, createApiStub({ hits: twoHosts }));
    await settle();
    expect(wrapper.findAll('[data-test="legend-host"]').map((h) => h.text())).toEqual([
      'on local',
      'on lab2',
    ]);
    expect(wrapper.find('canvas').attributes('aria-label')).toContain('demo-web-2 on lab2: 2 per second');

    const oneHost = hitsSnapshot(T0, [
      backendHits('172.18.0.5:80', [3], { host: 'local' }),
      backendHits('172.18.0.6:80', [2], { host: 'local' }),
    ]);
    const single = await mountWithStore(HitsChart, createApiStub({ hits: oneHost }));
    await settle();
    expect(single.wrapper.findAll('[data-test="legend-host"]')).toHaveLength(0);
  });
});
