/**
 * The one place that touches chart.js: only the parts the live chart uses are registered
 * (tree-shaken build, no date adapter). Tests replace this module.
 */
import {
  Chart,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip);

export type LiveLineConfig = ChartConfiguration<'line', { x: number; y: number }[]>;
export type LiveLineChart = Pick<
  Chart<'line', { x: number; y: number }[]>,
  'data' | 'options' | 'update' | 'destroy'
>;

export function createLineChart(canvas: HTMLCanvasElement, config: LiveLineConfig): LiveLineChart {
  return new Chart(canvas, config);
}
