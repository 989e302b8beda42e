/**
 * Small multiples as one SVG: a panel per metric, each with its own y axis
 * (the metrics have different units), the same linear x axis, a line per
 * series with a dot at each measured x. Plain text in, plain text out, so the
 * bench writes the picture with no browser and no dependency; a linear x axis
 * shows at a glance which line bends up (worse than linear).
 */

export interface ChartSeries {
  name: string;
  values: readonly number[];
}

export interface ChartPanel {
  title: string;
  /** The y axis's label, with the unit. */
  yLabel: string;
  series: readonly ChartSeries[];
}

export interface LineChart {
  xs: readonly number[];
  xLabel: string;
  panels: readonly ChartPanel[];
  columns?: number;
}

const PANEL = { width: 330, height: 220, left: 56, right: 12, top: 30, bottom: 58 };
const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea'];

const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** 1, 2 or 5 times a power of ten, at least `max / 4`, so that four ticks cover `max`. */
export function niceStep(max: number): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1;
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? 10 * power;
}

const label = (value: number): string =>
  Math.abs(value) >= 10_000 ? `${value / 1000}k` : String(Math.round(value * 100) / 100);

function panelSvg(panel: ChartPanel, xs: readonly number[], xLabel: string, ox: number, oy: number): string {
  const plotW = PANEL.width - PANEL.left - PANEL.right;
  const plotH = PANEL.height - PANEL.top - PANEL.bottom;
  const xMax = Math.max(...xs, 1);
  const finite = panel.series.flatMap((s) => s.values.filter(Number.isFinite));
  const step = niceStep(Math.max(...finite, 0));
  const yMax = step * Math.max(1, Math.ceil(Math.max(...finite, 0) / step));
  const x = (v: number): number => ox + PANEL.left + (v / xMax) * plotW;
  const y = (v: number): number => oy + PANEL.top + plotH - (v / yMax) * plotH;
  const f = (v: number): string => v.toFixed(1);
  const parts: string[] = [
    `<text x="${f(ox + PANEL.width / 2)}" y="${f(oy + 18)}" text-anchor="middle" font-weight="bold">${escapeXml(panel.title)}</text>`,
    `<line x1="${f(x(0))}" y1="${f(y(0))}" x2="${f(x(xMax))}" y2="${f(y(0))}" stroke="#444"/>`,
    `<line x1="${f(x(0))}" y1="${f(y(0))}" x2="${f(x(0))}" y2="${f(y(yMax))}" stroke="#444"/>`,
  ];
  for (let v = 0; v <= yMax + step / 2; v += step)
    parts.push(
      `<line x1="${f(x(0))}" y1="${f(y(v))}" x2="${f(x(xMax))}" y2="${f(y(v))}" stroke="#ddd"/>`,
      `<text x="${f(x(0) - 4)}" y="${f(y(v) + 4)}" text-anchor="end">${label(v)}</text>`,
    );
  for (const v of xs)
    parts.push(`<text x="${f(x(v))}" y="${f(y(0) + 14)}" text-anchor="middle">${label(v)}</text>`);
  parts.push(
    `<text x="${f(x(xMax / 2))}" y="${f(y(0) + 28)}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text transform="translate(${f(ox + 12)} ${f(oy + PANEL.top + plotH / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(panel.yLabel)}</text>`,
  );
  panel.series.forEach((series, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const points = xs
      .map((v, k) => [v, series.values[k]] as const)
      .filter((p): p is readonly [number, number] => p[1] !== undefined && Number.isFinite(p[1]));
    parts.push(
      `<polyline class="series" data-series="${escapeXml(series.name)}" fill="none" stroke="${colour}" stroke-width="2" points="${points.map(([a, b]) => `${f(x(a))},${f(y(b))}`).join(' ')}"/>`,
      ...points.map(([a, b]) => `<circle cx="${f(x(a))}" cy="${f(y(b))}" r="3" fill="${colour}"/>`),
      `<rect x="${f(ox + PANEL.left + i * 88)}" y="${f(oy + PANEL.height - 16)}" width="10" height="10" fill="${colour}"/>`,
      `<text x="${f(ox + PANEL.left + i * 88 + 14)}" y="${f(oy + PANEL.height - 7)}">${escapeXml(series.name)}</text>`,
    );
  });
  return parts.join('\n');
}

export function lineChartSvg(chart: LineChart): string {
  const columns = chart.columns ?? 3;
  const rows = Math.ceil(chart.panels.length / columns);
  const width = columns * PANEL.width;
  const height = rows * PANEL.height;
  const panels = chart.panels.map((panel, i) =>
    panelSvg(
      panel,
      chart.xs,
      chart.xLabel,
      (i % columns) * PANEL.width,
      Math.floor(i / columns) * PANEL.height,
    ),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...panels,
    '</svg>',
    '',
  ].join('\n');
}
