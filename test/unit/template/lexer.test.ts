import { describe, expect, it } from 'vitest';
import { TemplateSyntaxError } from '../../../main/engine/template/index.js';
import { Lexer, type Token } from '../../../main/engine/template/lexer.js';
import { caught } from './helpers.js';

function lex(source: string): Token[] {
  const lexer = new Lexer(source, 'lex');
  const tokens: Token[] = [];
  for (let i = 0; ; i++) {
    const token = lexer.token(i);
    tokens.push(token);
    if (token.kind === 'eof') return tokens;
  }
}

function kinds(source: string): string[] {
  return lex(source)
    .filter((t) => t.kind !== 'space')
    .map((t) => (t.kind === 'text' || t.kind === 'eof' ? t.kind : `${t.kind}:${t.value}`));
}

describe('lexer', () => {
  it('splits text and actions and records offsets', () => {
    const tokens = lex('a {{ .Name }} b');
    expect(tokens.map((t) => [t.kind, t.value, t.pos])).toEqual([
      ['text', 'a ', 0],
      ['leftDelim', '{{', 2],
      ['space', ' ', 4],
      ['field', '.Name', 5],
      ['space', ' ', 10],
      ['rightDelim', '}}', 11],
      ['text', ' b', 13],
      ['eof', '', 15],
    ]);
  });

  it('recognises every kind of token inside an action', () => {
    expect(kinds('{{ $x := printf "%d" 1 | len }}')).toEqual([
      'leftDelim:{{',
      'variable:$x',
      'declare::=',
      'identifier:printf',
      'string:"%d"',
      'number:1',
      'pipe:|',
      'identifier:len',
      'rightDelim:}}',
      'eof',
    ]);
    expect(
      kinds("{{ if true }}{{ else }}{{ end }}{{ range $i, $e = . }}{{ nil }}{{ 'a' }}{{ `raw` }}"),
    ).toEqual([
      'leftDelim:{{',
      'keyword:if',
      'bool:true',
      'rightDelim:}}',
      'leftDelim:{{',
      'keyword:else',
      'rightDelim:}}',
      'leftDelim:{{',
      'keyword:end',
      'rightDelim:}}',
      'leftDelim:{{',
      'keyword:range',
      'variable:$i',
      'char:,',
      'variable:$e',
      'assign:=',
      'dot:.',
      'rightDelim:}}',
      'leftDelim:{{',
      'nil:nil',
      'rightDelim:}}',
      'leftDelim:{{',
      "charConstant:'a'",
      'rightDelim:}}',
      'leftDelim:{{',
      'rawString:`raw`',
      'rightDelim:}}',
      'eof',
    ]);
  });

  it('lexes field chains, variables with fields and parenthesised pipelines', () => {
    expect(kinds('{{ (.A).B.C $.D $ }}')).toEqual([
      'leftDelim:{{',
      'leftParen:(',
      'field:.A',
      'rightParen:)',
      'field:.B',
      'field:.C',
      'variable:$',
      'field:.D',
      'variable:$',
      'rightDelim:}}',
      'eof',
    ]);
  });

  it('lexes numbers in Go syntax, including signs, hex, floats and exponents', () => {
    expect(kinds('{{ -3 +4 0x1F 1.5 .5 1e6 0b101 0o17 1_000 }}').slice(1, -2)).toEqual([
      'number:-3',
      'number:+4',
      'number:0x1F',
      'number:1.5',
      'number:.5',
      'number:1e6',
      'number:0b101',
      'number:0o17',
      'number:1_000',
    ]);
  });

  it('applies trim markers to the neighbouring text, newlines included', () => {
    const texts = lex('a \n\t{{- 1 -}} \n b').filter((t) => t.kind === 'text');
    expect(texts.map((t) => t.value)).toEqual(['a', 'b']);
  });

  it('does not treat a minus without a following space as a trim marker', () => {
    expect(kinds('x {{-3}} y')).toEqual([
      'text',
      'leftDelim:{{',
      'number:-3',
      'rightDelim:}}',
      'text',
      'eof',
    ]);
    expect(lex('x {{-3}} y')[0]?.value).toBe('x ');
  });

  it('drops comments, trimming around them when asked', () => {
    expect(lex('a {{/* hidden */}} b').map((t) => t.value)).toEqual(['a ', ' b', '']);
    expect(lex('a {{- /* hidden */ -}} b').map((t) => t.value)).toEqual(['a', 'b', '']);
    expect(lex('{{/* multi\nline */}}').map((t) => t.kind)).toEqual(['eof']);
  });

  it('allows newlines inside actions', () => {
    expect(kinds('{{ printf\n  "%s"\n  "x" }}').slice(1, 4)).toEqual([
      'identifier:printf',
      'string:"%s"',
      'string:"x"',
    ]);
  });

  it('reports lexical errors with line and column', () => {
    const cases: [string, string][] = [
      ['ok\n  {{ .Name ', 'lex:2:3: unclosed action'],
      ['{{ "abc }}', 'lex:1:4: unterminated quoted string'],
      ['{{ `abc }}', 'lex:1:4: unterminated raw quoted string'],
      ['{{/* open ', 'lex:1:1: unclosed comment'],
      ['{{/* c */ x }}', 'lex:1:1: comment ends before closing delimiter'],
      ['{{ (1 }}', 'lex:1:7: unclosed left paren'],
      ['{{ 1) }}', 'lex:1:5: unexpected right paren'],
      ['{{ 3x }}', 'lex:1:4: bad number syntax: "3x"'],
      ['{{ $x : 1 }}', 'lex:1:7: expected :='],
      ['{{ .A! }}', "lex:1:6: bad character U+0021 '!'"],
      ['{{ \u00a7 }}', "lex:1:4: unrecognized character in action: U+00A7 '\u00a7'"],
    ];
    for (const [source, message] of cases) {
      const error = caught(() => lex(source));
      expect(error).toBeInstanceOf(TemplateSyntaxError);
      expect(error.message).toBe(message);
    }
  });
});
