import { describe, expect, it } from 'vitest';
import { TemplateRenderError } from '../../../main/engine/template/index.js';
import { compileRe2 } from '../../../main/engine/template/regex-functions.js';
import { caught, out, render } from './helpers.js';

function errorOf(source: string): string {
  const error = caught(() => render(source));
  expect(error).toBeInstanceOf(TemplateRenderError);
  return error.message;
}

describe('regexMatch (consul-template: regexp.Compile(re).MatchString(s))', () => {
  it('takes the pattern first, so a pipe gives it the string', () => {
    expect(
      out('{{ regexMatch "^a.c$" "abc" }} {{ "abd" | regexMatch "c$" }} {{ regexMatch "b" "abc" }}'),
    ).toBe('true false true');
  });

  it('matches host labels as the services-localhost template checks them', () => {
    const label = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$';
    const results = ['web', 'api-2', 'Bad_Name', '-x', 'a.b', 'x'.repeat(63), 'x'.repeat(64)].map((name) =>
      out(`{{ regexMatch ${JSON.stringify(label)} ${JSON.stringify(name)} }}`),
    );
    expect(results).toEqual(['true', 'true', 'false', 'false', 'false', 'true', 'false']);
  });

  it("translates RE2's spellings that JavaScript lacks", () => {
    expect(out('{{ regexMatch "(?i)^WEB$" "web" }}')).toBe('true');
    expect(out('{{ regexMatch "(?P<n>a)b" "ab" }}')).toBe('true');
    expect(out('{{ regexMatch "\\\\Aab\\\\z" "ab" }} {{ regexMatch "\\\\Aab\\\\z" "abc" }}')).toBe(
      'true false',
    );
    expect(out('{{ regexMatch "^[[:digit:]]+$" "123" }} {{ regexMatch "^[[:alpha:]]+$" "a1" }}')).toBe(
      'true false',
    );
    expect(out('{{ regexMatch "a\\\\-b" "a-b" }} {{ regexMatch "[]a]" "]" }}')).toBe('true true');
  });

  it("refuses what RE2 refuses, with Go's message, instead of running it with other semantics", () => {
    expect(errorOf('{{ regexMatch "(a)\\\\1" "aa" }}')).toMatch(
      /error calling regexMatch: error parsing regexp: invalid or unsupported Perl syntax: `\\1`$/,
    );
    expect(errorOf('{{ regexMatch "a(?=b)" "ab" }}')).toMatch(/invalid or unsupported Perl syntax: `\(\?=`$/);
    expect(errorOf('{{ regexMatch "(?<!a)b" "b" }}')).toMatch(
      /invalid or unsupported Perl syntax: `\(\?<!`$/,
    );
    expect(errorOf('{{ regexMatch "(" "a" }}')).toMatch(/error calling regexMatch: error parsing regexp: /);
  });

  it('checks its argument types as Go does', () => {
    expect(errorOf('{{ regexMatch "a" 1 }}')).toMatch(/wrong type for value; expected string; got int/);
  });

  it('caches compiled patterns without growing without bound', () => {
    for (let i = 0; i < 200; i++) expect(compileRe2(`^a{${i}}$`).test('a'.repeat(i))).toBe(true);
  });
});
