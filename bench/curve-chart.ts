/** The cost curve's picture (docs/bench-curve.svg): one panel per figure of the curve table, against N. */
import type { CurvePoint } from './curve-stage.js';
import { lineChartSvg } from './svg-line-chart.js';

export function curveChartSvg(points: readonly CurvePoint[]): string {
  const of = (pick: (p: CurvePoint) => number): number[] => points.map(pick);
  return lineChartSvg({
    xs: of((p) => p.n),
    xLabel: 'N web backends',
    panels: [
      {
        title: 'N-th backend → first request served',
        yLabel: 'ms (p50)',
        series: [
          { name: 'from registration', values: of((p) => p.registeredToServedMs.p50) },
          { name: 'from start', values: of((p) => p.startToServedMs.p50) },
        ],
      },
      {
        title: 'Scale 0 → N',
        yLabel: 'ms',
        series: [
          { name: 'engine', values: of((p) => p.scaleMs) },
          { name: 'Docker API alone', values: of((p) => p.dockerMs) },
        ],
      },
      {
        title: 'One render',
        yLabel: 'µs (p50)',
        series: [{ name: 'default template', values: of((p) => p.renderUs.p50) }],
      },
      {
        title: 'Config size',
        yLabel: 'KB',
        series: [{ name: 'nginx config', values: of((p) => p.configBytes / 1024) }],
      },
      {
        title: 'Engine CPU at N, idle',
        yLabel: '% of a core',
        series: [{ name: 'engine process', values: of((p) => p.idleCpuPct) }],
      },
      {
        title: 'Memory at N',
        yLabel: 'MB',
        series: [
          { name: 'engine RSS', values: of((p) => p.rssMb) },
          { name: 'N web: machine', values: of((p) => p.machineMb) },
          { name: 'N × one web', values: of((p) => p.n * p.webMbEach) },
        ],
      },
    ],
  });
}
