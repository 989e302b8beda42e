import { describe, expect, it } from 'vitest';
import { lineChartSvg, niceStep } from '../../bench/svg-line-chart.js';

const points = (svg: string, series: string): [number, number][] => {
  const match = new RegExp(`data-series="${series}"[^>]*points="([^"]+)"`).exec(svg);
  if (!match) throw new Error(`no line for ${series}`);
  return match[1]!.split(' ').map((p) => p.split(',').map(Number) as [number, number]);
};

describe('the bench chart (SVG small multiples)', () => {
  const svg = lineChartSvg({
    xs: [1, 10, 25, 50, 100],
    xLabel: 'N web backends',
    panels: [
      { title: 'Render', yLabel: 'µs', series: [{ name: 'linear', values: [2, 20, 50, 100, 200] }] },
      { title: 'Size <bytes>', yLabel: 'KB', series: [{ name: 'gap', values: [1, Number.NaN, 3, 4, 5] }] },
    ],
  });

  it('places N on a linear x axis, so a straight line means linear growth', () => {
    const line = points(svg, 'linear');
    expect(line).toHaveLength(5);
    const slope = (a: [number, number], b: [number, number]): number => (b[1] - a[1]) / (b[0] - a[0]);
    expect(slope(line[0]!, line[1]!)).toBeCloseTo(slope(line[3]!, line[4]!), 1);
    // x of N=50 halfway between the axis' origin (N=0) and N=100.
    const x0 = line[0]![0] - (line[4]![0] - line[0]![0]) / 99;
    expect(line[3]![0]).toBeCloseTo((x0 + line[4]![0]) / 2, 0);
  });

  it('labels the axes and escapes text, and leaves out what was not measured', () => {
    expect(svg).toContain('N web backends');
    expect(svg).toContain('>µs<');
    expect(svg).toContain('Size &#60;bytes&#62;');
    expect(svg).not.toContain('NaN');
    expect(points(svg, 'gap')).toHaveLength(4);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });

  it('picks y ticks of 1, 2 or 5 times a power of ten covering the maximum', () => {
    expect(niceStep(200)).toBe(50);
    expect(niceStep(7)).toBe(2);
    expect(niceStep(0.7)).toBe(0.2);
    expect(niceStep(0)).toBe(1);
  });
});
