import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RENDER_LIMITS,
  TemplateRenderError,
  parseServiceQuery,
} from '../../../main/engine/template/index.js';
import { caught, render } from './helpers.js';

function limitError(
  source: string,
  limits: { maxOutputBytes?: number; maxSteps?: number } = {},
): TemplateRenderError {
  const error = caught(() => render(source, undefined, limits));
  expect(error).toBeInstanceOf(TemplateRenderError);
  return error as unknown as TemplateRenderError;
}

describe('render limits', () => {
  it('defaults to 1 MiB of output and a million steps', () => {
    expect(DEFAULT_RENDER_LIMITS).toEqual({ maxOutputBytes: 1048576, maxSteps: 1_000_000 });
  });

  it('stops output that exceeds maxOutputBytes, naming the limit and its value', () => {
    const error = limitError('{{ range 1000 }}0123456789{{ end }}', { maxOutputBytes: 100 });
    expect(error.message).toBe(
      'test:1:17: executing "test" at <0123456789>: output exceeds the maxOutputBytes limit of 100 bytes',
    );
    expect([error.line, error.column]).toEqual([1, 17]);
  });

  it('counts output in UTF-8 bytes', () => {
    expect(render('{{ "éé" }}', undefined, { maxOutputBytes: 4 }).output).toBe('éé');
    expect(limitError('{{ "ééé" }}', { maxOutputBytes: 5 }).message).toMatch(
      /maxOutputBytes limit of 5 bytes$/,
    );
  });

  it('stops megabytes of output with the default limit', () => {
    const error = limitError('{{ range 10000000 }}{{ printf "%1000d" 1 }}{{ end }}');
    expect(error.message).toMatch(/output exceeds the maxOutputBytes limit of 1048576 bytes$/);
  });

  it('stops evaluation that exceeds maxSteps, naming the limit and its value', () => {
    const error = limitError('{{ range 100000 }}{{ end }}', { maxSteps: 1000 });
    expect(error.message).toMatch(/evaluation exceeds the maxSteps limit of 1000 steps$/);
  });

  it('stops a huge loop with the default limit in bounded time', () => {
    const started = Date.now();
    const error = limitError('{{ range 1000000000 }}{{ if eq . -1 }}x{{ end }}{{ end }}');
    expect(error.message).toMatch(/maxSteps limit of 1000000 steps$/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops strings that grow past the limit before they are built', () => {
    const doubling =
      '{{ $s := "xxxxxxxx" }}{{ range 100 }}{{ $s = printf "%s%s" $s $s }}{{ end }}{{ len $s }}';
    expect(limitError(doubling, { maxOutputBytes: 10_000 }).message).toMatch(
      /a string value exceeds the maxOutputBytes limit of 10000 bytes$/,
    );
    expect(limitError('{{ $s := printf "%999999d" 1 }}', { maxOutputBytes: 1000 }).message).toMatch(
      /maxOutputBytes/,
    );
    const replace = '{{ $s := printf "%1000d" 1 }}{{ $t := replaceAll " " $s $s }}';
    expect(limitError(replace, { maxOutputBytes: 100_000 }).message).toMatch(/a string value exceeds/);
  });

  it('charges work on big strings in proportion to their size', () => {
    const source = '{{ $s := printf "%100000d" 1 }}{{ range 1000 }}{{ if eq $s "" }}{{ end }}{{ end }}';
    expect(limitError(source, { maxSteps: 50_000 }).message).toMatch(/maxSteps/);
  });

  it('handles pathological strings in linear time', () => {
    const started = Date.now();
    expect(render('{{ len (trimSpace (printf "a%200000sb" "")) }}').output).toBe('200002');
    expect(() => parseServiceQuery(`${'a.'.repeat(200_000)}!`)).toThrow(/invalid service query/);
    expect(limitError(`{{ parseFloat "${'1'.repeat(200_000)}x" }}`).message).toMatch(/invalid syntax$/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('renders within the limits normally', () => {
    const result = render('{{ range 100 }}ab{{ end }}', undefined, { maxOutputBytes: 200, maxSteps: 1000 });
    expect(result.output).toHaveLength(200);
  });

  it('rejects invalid limits', () => {
    expect(() => render('x', undefined, { maxSteps: -1 })).toThrow(RangeError);
  });
});
