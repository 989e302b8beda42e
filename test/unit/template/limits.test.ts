import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RENDER_LIMITS,
  TemplateRenderError,
  compileTemplate,
  parseServiceQuery,
  renderTemplate,
} from '../../../main/engine/template/index.js';
import { FakeDataSource, caught, render } from './helpers.js';

function limitError(
  source: string,
  limits: { maxOutputBytes?: number; maxSteps?: number; maxMilliseconds?: number } = {},
): TemplateRenderError {
  const error = caught(() => render(source, undefined, limits));
  expect(error).toBeInstanceOf(TemplateRenderError);
  return error as unknown as TemplateRenderError;
}

describe('render limits', () => {
  it('defaults to 1 MiB of output, a million steps and 2 s', () => {
    expect(DEFAULT_RENDER_LIMITS).toEqual({
      maxOutputBytes: 1048576,
      maxSteps: 1_000_000,
      maxMilliseconds: 2000,
    });
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

  it('costs every function by the work it does: 70 bytes of template cannot keep it busy', () => {
    // Each of these took 20 to 40 s when a call cost one step per KiB of its arguments.
    const hostile = [
      '{{$s := printf "%1000000d" 1}}{{range 100}}{{$t := toTitle $s}}{{end}}',
      '{{$s := printf "%1000000d" 1}}{{range 100}}{{$t := toUpper $s}}{{end}}',
      '{{$s := printf "%1000000d" 1}}{{range 100}}{{$t := replaceAll " " "x" $s}}{{end}}',
      '{{$s := printf "%300000d" 1}}{{range 100}}{{$t := split "" (print "x" $s)}}{{end}}',
    ];
    for (const source of hostile) {
      const started = performance.now();
      const error = limitError(source);
      expect(error.message).toMatch(/^test:1:\d+: .*evaluation exceeds the maxSteps limit of 1000000 steps$/);
      expect(performance.now() - started).toBeLessThan(1500);
    }
  });

  it('charges comparisons of every value with every list element', () => {
    const words = (prefix: string): string =>
      Array.from({ length: 3000 }, (_, i) => `${prefix}${i}`).join(',');
    const source = `{{ $a := split "," "${words('a')}" }}{{ $b := split "," "${words('b')}" }}{{ containsNone $a $b }}`;
    expect(limitError(source).message).toMatch(/at <containsNone>: evaluation exceeds the maxSteps limit/);
  });

  it('stops a render that takes longer than maxMilliseconds, with its position', () => {
    const started = performance.now();
    const error = limitError('x\n  {{ range 1000000000 }}{{ end }}', {
      maxSteps: Number.MAX_SAFE_INTEGER,
      maxMilliseconds: 100,
    });
    expect(error.message).toMatch(/^test:2:\d+: .*evaluation exceeds the maxMilliseconds limit of 100 ms$/);
    expect(error.line).toBe(2);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('keeps where it works in a shared array, for a thread that watches it', () => {
    const progress = new Int32Array(new SharedArrayBuffer(4));
    const source = 'abc {{ range 3 }}{{ . }}{{ end }} {{ "last" }}';
    renderTemplate(compileTemplate(source, 'test'), new FakeDataSource(), {}, { progress });
    expect(progress[0]).toBe(source.indexOf('"last"'));
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
