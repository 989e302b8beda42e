import { describe, expect, it } from 'vitest';
import { nodeString } from '../../../main/engine/template/ast.js';
import { isFunction } from '../../../main/engine/template/functions.js';
import { TemplateSyntaxError, compileTemplate } from '../../../main/engine/template/index.js';
import { MAX_NESTING, parseTemplate } from '../../../main/engine/template/parser.js';
import { GoFloat } from '../../../main/engine/template/values.js';
import { caught, render } from './helpers.js';

function syntaxError(source: string): TemplateSyntaxError {
  const error = caught(() => compileTemplate(source, 'demo.ctmpl'));
  expect(error).toBeInstanceOf(TemplateSyntaxError);
  return error as unknown as TemplateSyntaxError;
}

function parse(source: string): ReturnType<typeof parseTemplate> {
  return parseTemplate(source, 't', isFunction);
}

describe('parser', () => {
  it('builds a tree that prints back as the source', () => {
    const sources = [
      'a{{.Name}}b',
      '{{range $i, $e := service "web"}}{{$e.Address}}{{else}}none{{end}}',
      '{{if .A}}x{{else}}{{if .B}}y{{end}}{{end}}',
      '{{with $v := key "k"}}{{$v}}{{end}}',
      '{{.Tags | join ","}}',
      '{{(index .M "k").Sub}}',
    ];
    for (const source of sources) expect(nodeString(parse(source).root)).toBe(source);
  });

  it('turns "else if" into an if nested in the else branch', () => {
    const root = parse('{{if .A}}a{{else if .B}}b{{else}}c{{end}}').root;
    const ifNode = root.nodes[0];
    expect(ifNode?.type).toBe('if');
    if (ifNode?.type !== 'if') return;
    expect(ifNode.elseList?.nodes[0]?.type).toBe('if');
    expect(nodeString(ifNode)).toBe('{{if .A}}a{{else}}{{if .B}}b{{else}}c{{end}}{{end}}');
  });

  it('reads literals with Go escapes and number syntax', () => {
    const action = parse('{{printf "\\t\\"\\u00e9\\x41\\101\\\\" `a\\n` \'\\n\' 0x10 1.5 1e3 -2}}').root
      .nodes[0];
    if (action?.type !== 'action') throw new Error('expected an action');
    const args = action.pipe.cmds[0]?.args ?? [];
    expect(args.map((a) => (a.type === 'string' ? a.text : a.type === 'number' ? a.value : a.type))).toEqual([
      'identifier',
      '\t"éAA\\',
      'a\\n',
      10,
      16,
      new GoFloat(1.5),
      new GoFloat(1000),
      -2,
    ]);
  });

  it('records the {{define}}d templates and the main one', () => {
    const parsed = parse('{{define "row"}}<{{.}}>{{end}}{{template "row" 1}}');
    expect([...parsed.templates.keys()].sort()).toEqual(['row', 't']);
  });

  it('reports an unclosed action at its opening delimiter', () => {
    const error = syntaxError('line one\n  {{ .Name');
    expect(error.line).toBe(2);
    expect(error.column).toBe(3);
    expect(error.templateName).toBe('demo.ctmpl');
    expect(error.message).toBe('demo.ctmpl:2:3: unclosed action');
  });

  it('reports an unknown function at compile time with its position', () => {
    const error = syntaxError('{{ range service "web" }}\n  {{ .Tags | frobnicate "," }}\n{{ end }}');
    expect(error.message).toBe('demo.ctmpl:2:14: function "frobnicate" not defined');
    expect([error.line, error.column]).toEqual([2, 14]);
  });

  it('reports an unexpected {{end}} and {{else}}', () => {
    expect(syntaxError('ok\n{{ end }}').message).toBe('demo.ctmpl:2:4: unexpected {{end}}');
    expect(syntaxError('{{else}}').message).toBe('demo.ctmpl:1:3: unexpected {{else}}');
    expect(syntaxError('{{if 1}}{{else}}{{else}}{{end}}').message).toBe(
      'demo.ctmpl:1:19: expected {{end}}; found {{else}}',
    );
  });

  it('reports a missing {{end}} at the block that is left open', () => {
    expect(syntaxError('a\n{{range service "web"}}\nserver\n').message).toBe(
      'demo.ctmpl:2:3: unexpected EOF: {{range}} has no matching {{end}}',
    );
    expect(syntaxError('{{if 1}}{{with 2}}{{end}}').message).toBe(
      'demo.ctmpl:1:3: unexpected EOF: {{if}} has no matching {{end}}',
    );
  });

  it('reports bad string escapes at the backslash', () => {
    const error = syntaxError('{{ printf "ok \\q" }}');
    expect(error.message).toBe('demo.ctmpl:1:15: invalid escape sequence \\q in literal');
    expect(syntaxError('{{ "\\u12" }}').column).toBe(5);
    expect(syntaxError('{{ "\\400" }}').column).toBe(5);
    expect(syntaxError("{{ 'ab' }}").message).toBe("demo.ctmpl:1:4: malformed character constant: 'ab'");
  });

  it('reports undefined variables, and variables used outside their block', () => {
    expect(syntaxError('{{ $x }}').message).toBe('demo.ctmpl:1:4: undefined variable "$x"');
    expect(syntaxError('{{ if 1 }}{{ $y := 1 }}{{ end }}{{ $y }}').message).toBe(
      'demo.ctmpl:1:36: undefined variable "$y"',
    );
    expect(syntaxError('{{ $z = 1 }}').message).toBe('demo.ctmpl:1:4: undefined variable "$z"');
  });

  it('rejects malformed pipelines as Go does', () => {
    const cases: [string, string][] = [
      ['{{}}', 'demo.ctmpl:1:3: missing value for command'],
      ['{{ if }}{{ end }}', 'demo.ctmpl:1:7: missing value for if'],
      ['{{ 1 | 2 }}', 'demo.ctmpl:1:8: non executable command in pipeline stage 2'],
      ['{{ "a""b" }}', 'demo.ctmpl:1:7: unexpected "\\"b\\"" in operand'],
      ['{{ "x".Foo }}', 'demo.ctmpl:1:4: unexpected . after term "\\"x\\""'],
      ['{{ range $a, $b, $c := . }}{{ end }}', 'demo.ctmpl:1:16: too many declarations in range'],
      ['{{ with $a, $b := . }}{{ end }}', 'demo.ctmpl:1:11: too many declarations in with'],
      ['{{ end 1 }}', 'demo.ctmpl:1:8: unexpected "1" in end'],
      ['{{ break }}', 'demo.ctmpl:1:4: {{break}} outside {{range}}'],
      ['{{ range . }}{{ else if 1 }}{{ end }}', 'demo.ctmpl:1:22: {{else if}} is not allowed in {{range}}'],
      ['{{ 99999999999999999999 }}', 'demo.ctmpl:1:4: 99999999999999999999 overflows int'],
      ['{{ 1e }}', 'demo.ctmpl:1:4: illegal number syntax: "1e"'],
      ['{{ 1.2.3 }}', 'demo.ctmpl:1:7: unexpected ".3" in operand'],
      ['{{ template "nope" }}', 'demo.ctmpl:1:4: no such template "nope"'],
      [
        '{{ if 1 }}{{ define "x" }}{{ end }}{{ end }}',
        'demo.ctmpl:1:14: {{define}} is only allowed at the top level',
      ],
    ];
    for (const [source, message] of cases) expect(syntaxError(source).message).toBe(message);
  });

  it('counts columns in characters on lines with non-ASCII text', () => {
    expect(syntaxError('é😀 {{ nope }}').column).toBe(7);
  });

  it('accepts break and continue inside range, also within if', () => {
    expect(() =>
      compileTemplate('{{range .}}{{if .}}{{break}}{{else}}{{continue}}{{end}}{{end}}'),
    ).not.toThrow();
  });

  it('accepts nesting up to the limit and refuses deeper nesting instead of overflowing the stack', () => {
    const parens = (n: number): string => `{{ ${'(print '.repeat(n)}1${')'.repeat(n)} }}`;
    const blocks = (n: number): string => `${'{{ if 1 }}'.repeat(n)}x${'{{ end }}'.repeat(n)}`;
    expect(render(parens(MAX_NESTING)).output).toBe('1');
    expect(render(blocks(MAX_NESTING)).output).toBe('x');
    expect(syntaxError(parens(MAX_NESTING + 1)).message).toMatch(
      /nested too deeply \(more than 200 levels\)$/,
    );
    expect(syntaxError(blocks(MAX_NESTING + 1)).message).toMatch(/nested too deeply/);
    expect(syntaxError(parens(5000)).message).toMatch(/nested too deeply/);
  });
});
