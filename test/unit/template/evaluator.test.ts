import { describe, expect, it } from 'vitest';
import { TemplateRenderError, renderTemplate } from '../../../main/engine/template/index.js';
import { FakeDataSource, caught, instance, out, render, standardData } from './helpers.js';

function renderError(source: string): TemplateRenderError {
  const error = caught(() => render(source));
  expect(error).toBeInstanceOf(TemplateRenderError);
  return error as unknown as TemplateRenderError;
}

describe('text and whitespace', () => {
  it('copies text outside actions byte for byte', () => {
    expect(out('  plain\n\ttext\r\n')).toBe('  plain\n\ttext\r\n');
    expect(out('')).toBe('');
  });

  it('keeps the whitespace around actions without trim markers', () => {
    expect(out('a\n  {{ "x" }}\n  b')).toBe('a\n  x\n  b');
  });

  it('trims whitespace and newlines on the marked side only', () => {
    expect(out('a \n {{- "x" }} \n b')).toBe('ax \n b');
    expect(out('a \n {{ "x" -}} \n b')).toBe('a \n xb');
    expect(out('a \n {{- "x" -}} \n b')).toBe('axb');
    expect(out('{{ range service "web" -}}\n  {{ .Address }}\n{{- end }}')).toBe('10.0.0.110.0.0.2');
  });

  it('treats comments as empty actions, trims included', () => {
    expect(out('a {{/* note */}} b')).toBe('a  b');
    expect(out('a {{- /* note */ -}} b')).toBe('ab');
    expect(out('a\n{{- /* multi\nline */}}\nb')).toBe('a\nb');
  });

  it('renders a typical line-per-item block the way Go does', () => {
    const source = 'servers:\n{{- range service "web" }}\n  - {{ .Address }}\n{{- end }}\n';
    expect(out(source)).toBe('servers:\n  - 10.0.0.1\n  - 10.0.0.2\n');
  });
});

describe('values and printing', () => {
  it('prints literals as Go does', () => {
    expect(
      out('{{ "s" }} {{ `r\\n` }} {{ 42 }} {{ -7 }} {{ 0x1F }} {{ \'a\' }} {{ true }} {{ false }}'),
    ).toBe('s r\\n 42 -7 31 97 true false');
  });

  it("prints floats with Go's shortest %v form", () => {
    expect(out('{{ 1.5 }} {{ 1.0 }} {{ 1e6 }} {{ 123456.0 }} {{ 0.0001 }} {{ 0.00001 }} {{ 1e21 }}')).toBe(
      '1.5 1 1e+06 123456 0.0001 1e-05 1e+21',
    );
  });

  it('prints slices, maps and missing values like Go', () => {
    expect(out('{{ split "," "a,b,c" }}')).toBe('[a b c]');
    expect(out('{{ with index (service "web") 0 }}{{ .ServiceMeta }} {{ .Tags }}{{ end }}')).toBe(
      'map[version:1.1] [backend production]',
    );
    expect(out('{{ . }}|{{ .Missing }}|{{ $ }}')).toBe('<no value>|<no value>|<no value>');
    expect(out('{{ split "," "" }}')).toBe('[]');
  });

  it('reads struct fields, chained map keys and missing map keys', () => {
    const source =
      '{{ range service "web" }}{{ .ID }} {{ .Port }} {{ .ServiceMeta.version }} {{ index .ServiceMeta "version" }};{{ end }}';
    expect(out(source)).toBe('web-1 8080 1.1 1.1;web-2 8080 <no value> ;');
  });

  it('reads fields of variables and of parenthesised pipelines', () => {
    expect(out('{{ $s := index (service "web") 1 }}{{ $s.Address }} {{ $s.ServiceMeta.version }}')).toBe(
      '10.0.0.2 <no value>',
    );
    expect(out('{{ (index (service "web") 0).ServiceMeta.version }}')).toBe('1.1');
  });
});

describe('truthiness', () => {
  const cases: [string, boolean][] = [
    ['true', true],
    ['false', false],
    ['0', false],
    ['1', true],
    ['-1', true],
    ['0.0', false],
    ['0.5', true],
    ['""', false],
    ['" "', true],
    ['and nil', false],
    ['.Missing', false],
    ['split "," ""', false],
    ['split "," "a"', true],
    ['byTag (service "none|any")', false],
    ['byTag (service "web")', true],
    ['index (service "web") 0', true],
  ];
  for (const [expr, truth] of cases) {
    it(`treats ${expr} as ${truth}`, () => {
      expect(
        out(`{{ if ${expr} }}T{{ else }}F{{ end }}`, {
          ...standardData(),
          services: { ...standardData().services, none: [] },
        }),
      ).toBe(truth ? 'T' : 'F');
    });
  }
});

describe('control structures', () => {
  it('chooses if / else if / else branches', () => {
    const source = '{{ if eq $x 1 }}one{{ else if eq $x 2 }}two{{ else }}many{{ end }}';
    expect(out(`{{ $x := 1 }}${source}`)).toBe('one');
    expect(out(`{{ $x := 2 }}${source}`)).toBe('two');
    expect(out(`{{ $x := 3 }}${source}`)).toBe('many');
  });

  it('ranges over a list, with else when it is empty', () => {
    expect(out('{{ range service "web" }}[{{ .Address }}]{{ else }}none{{ end }}')).toBe(
      '[10.0.0.1][10.0.0.2]',
    );
    expect(out('{{ range service "web" }}x{{ else }}none{{ end }}', { services: { web: [] } })).toBe('none');
    expect(out('{{ range .Missing }}x{{ else }}nil is empty{{ end }}')).toBe('nil is empty');
  });

  it('ranges with one variable (the element) or two (index and element)', () => {
    expect(out('{{ range $s := service "web" }}{{ $s.ID }} {{ end }}')).toBe('web-1 web-2 ');
    expect(out('{{ range $i, $s := service "web" }}{{ $i }}={{ $s.ID }} {{ end }}')).toBe('0=web-1 1=web-2 ');
  });

  it('ranges over maps in sorted key order, with the key as the index', () => {
    const data = {
      services: {
        web: [instance(1, { Tags: ['b', 'a'] }), instance(2, { Tags: ['c', 'a'] })],
      },
    };
    expect(
      out('{{ range $tag, $list := byTag (service "web") }}{{ $tag }}:{{ len $list }} {{ end }}', data),
    ).toBe('a:2 b:1 c:1 ');
    expect(out('{{ range byTag (service "web") }}{{ len . }}{{ end }}', data)).toBe('211');
  });

  it('ranges over an integer (Go 1.22)', () => {
    expect(
      out(
        '{{ range 3 }}{{ . }}{{ end }}|{{ range $i := 2 }}{{ $i }}{{ end }}|{{ range 0 }}x{{ else }}e{{ end }}',
      ),
    ).toBe('012|01|e');
  });

  it('supports break and continue inside range', () => {
    expect(
      out(
        '{{ range 10 }}{{ if eq . 3 }}{{ continue }}{{ end }}{{ if eq . 5 }}{{ break }}{{ end }}{{ . }}{{ end }}',
      ),
    ).toBe('0124');
    expect(
      out('{{ range 2 }}{{ range 5 }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }};{{ end }}'),
    ).toBe('01;01;');
  });

  it('sets dot in with, and takes else when the value is empty', () => {
    expect(out('{{ with key "app/config" }}[{{ . }}]{{ else }}none{{ end }}')).toBe('[cfg-value]');
    expect(out('{{ with key "app/empty" }}[{{ . }}]{{ else }}none{{ end }}')).toBe('none');
    expect(out('{{ with $v := env "REGION" }}{{ $v }}-{{ . }}{{ end }}')).toBe('eu-eu');
    expect(out('{{ with "" }}a{{ else with "b" }}{{ . }}{{ end }}')).toBe('b');
  });

  it('keeps dot unchanged inside if', () => {
    expect(out('{{ with "outer" }}{{ if "x" }}{{ . }}{{ end }}{{ end }}')).toBe('outer');
  });

  it('executes defined templates with their own dot and $', () => {
    const source =
      '{{ define "srv" }}server {{ .Address }}:{{ $.Port }};{{ end }}{{ range service "web" }}{{ template "srv" . }}{{ end }}';
    expect(out(source)).toBe('server 10.0.0.1:8080;server 10.0.0.2:8080;');
    expect(out('{{ block "b" "x" }}[{{ . }}]{{ end }}')).toBe('[x]');
  });
});

describe('variables and scoping', () => {
  it('declares, reads and assigns variables', () => {
    expect(out('{{ $x := "a" }}{{ $x }}{{ $x = "b" }}{{ $x }}')).toBe('ab');
  });

  it('lets an assignment inside a block change the outer variable', () => {
    expect(out('{{ $n := 0 }}{{ range service "web" }}{{ $n = .ID }}{{ end }}{{ $n }}')).toBe('web-2');
  });

  it('shadows with := inside a block and restores after it', () => {
    expect(out('{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}')).toBe('21');
  });

  it('makes $ the data (nil in consul-template) everywhere', () => {
    expect(out('{{ with "x" }}{{ $ }}{{ end }}')).toBe('<no value>');
  });

  it('declares variables in parenthesised pipelines', () => {
    expect(out('{{ print ($x := "v") }}{{ $x }}')).toBe('vv');
  });
});

describe('pipelines', () => {
  it('passes the piped value as the last argument', () => {
    expect(out('{{ "world" | printf "%s, %s" "hello" }}')).toBe('hello, world');
    expect(out('{{ "a,b" | split "," | join "-" }}')).toBe('a-b');
    expect(out('{{ with index (service "web") 0 }}{{ .Tags | join "," }}{{ end }}')).toBe(
      'backend,production',
    );
  });

  it('calls niladic functions used as arguments', () => {
    expect(out('{{ len services }}')).toBe('2');
  });

  it('supports nested parenthesised pipelines', () => {
    expect(out('{{ printf "%s-%s" (toUpper "a") ("b" | toUpper) }}')).toBe('A-B');
  });

  it('evaluates and/or lazily and returns the deciding value', () => {
    expect(out('{{ and 1 "x" }} {{ and 0 "x" }} {{ or "" 0 }} {{ or "" "y" 0 }}')).toBe('x 0 0 y');
    expect(out('{{ or 1 (index (split "," "a") 9) }}')).toBe('1');
    expect(out('{{ and 0 (index (split "," "a") 9) }}')).toBe('0');
    expect(out('{{ 1 | and 2 }} {{ 0 | or "" }}')).toBe('1 0');
  });
});

describe('render errors', () => {
  it('reports a field on a non-object with the position of the field', () => {
    const error = renderError('{{ $s := "x" }}\n  {{ $s.Name }}');
    expect(error.message).toBe(
      'test:2:6: executing "test" at <$s.Name>: can\'t evaluate field Name in type string',
    );
    expect([error.line, error.column, error.templateName]).toEqual([2, 6, 'test']);
  });

  it('reports unknown struct fields (a typo is not silently empty)', () => {
    expect(renderError('{{ range service "web" }}{{ .Adress }}{{ end }}').message).toBe(
      'test:1:29: executing "test" at <.Adress>: can\'t evaluate field Adress in type *dependency.HealthService',
    );
  });

  it('reports index out of range, wrong argument counts and types', () => {
    expect(renderError('{{ index (split "," "a,b") 2 }}').message).toBe(
      'test:1:4: executing "test" at <index>: error calling index: index out of range: 2',
    );
    expect(renderError('{{ join "," }}').message).toBe(
      'test:1:4: executing "test" at <join>: wrong number of args for join: want 2 got 1',
    );
    expect(renderError('{{ printf }}').message).toMatch(
      /wrong number of args for printf: want at least 1 got 0$/,
    );
    expect(renderError('{{ toUpper 5 }}').message).toBe(
      'test:1:12: executing "test" at <5>: wrong type for value; expected string; got int',
    );
    expect(renderError('{{ .Missing | toUpper }}').message).toMatch(/invalid value; expected string$/);
  });

  it('reports comparisons of different types', () => {
    expect(renderError('{{ range service "web" }}{{ if eq .Port "8080" }}{{ end }}{{ end }}').message).toBe(
      'test:1:32: executing "test" at <eq>: error calling eq: incompatible types for comparison',
    );
  });

  it('reports arguments given to non-functions and nil commands', () => {
    expect(renderError('{{ "a" "b" }}').message).toMatch(/can't give argument to non-function "a"$/);
    expect(renderError('{{ "a" | $ }}').message).toMatch(/can't give argument to non-function \$$/);
    expect(renderError('{{ nil }}').message).toMatch(/nil is not a command$/);
    expect(renderError('{{ range service "web" }}{{ "x" | .Port }}{{ end }}').message).toMatch(
      /Port has arguments but cannot be invoked as function$/,
    );
  });

  it('reports ranging over something that is not a collection', () => {
    expect(renderError('{{ range "abc" }}{{ end }}').message).toBe(
      'test:1:10: executing "test" at <"abc">: range can\'t iterate over abc',
    );
  });

  it('stops runaway template recursion', () => {
    expect(renderError('{{ define "r" }}{{ template "r" }}{{ end }}{{ template "r" }}').message).toMatch(
      /exceeded maximum template depth \(200\)$/,
    );
  });

  it('renders a hand-built CompiledTemplate, compiling it on first use', () => {
    const result = renderTemplate(
      { name: 'raw', source: '{{ env "HOME" }}' },
      new FakeDataSource(standardData()),
    );
    expect(result.output).toBe('/home/demo');
  });
});
