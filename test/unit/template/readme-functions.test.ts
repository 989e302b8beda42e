/**
 * The README's "Template functions" section lists what a template can call: it must say exactly
 * what the engine's function table holds, so a function added or removed there fails here until
 * the README says so too. The functions it names as refused must really be refused, by name.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../../main/engine/template/functions.js';
import { TemplateSyntaxError, compileTemplate } from '../../../main/engine/template/index.js';
import { caught } from './helpers.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The section's text, from its heading to the next heading. */
function section(title: string): string {
  const start = README.indexOf(`### ${title}\n`);
  if (start < 0) throw new Error(`README.md has no "### ${title}" section`);
  const end = README.indexOf('\n#', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

const backticked = (text: string): string[] =>
  [...text.matchAll(/`([A-Za-z][A-Za-z0-9_]*)`/g)].map((m) => m[1]!);

/** The bullet list: "- group: `a`, `b`" with continuation lines indented. */
function listedFunctions(text: string): string[] {
  const list = /\n(- [\s\S]*?)\n\n/.exec(text);
  if (!list) throw new Error('the "Template functions" section has no list');
  return backticked(list[1]!);
}

/** The paragraph after the list: "Any other function (`vault`, …)". */
function refusedFunctions(text: string): string[] {
  const paragraph = /Any other function \(([^)]*)\)/.exec(text);
  if (!paragraph)
    throw new Error('the "Template functions" section does not say what happens to other functions');
  return backticked(paragraph[1]!);
}

describe('the README’s template functions', () => {
  const text = section('Template functions');

  it('lists every function of the engine’s table, and only those', () => {
    const listed = listedFunctions(text);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...FUNCTIONS.keys()].sort());
  });

  it('names as refused only functions the engine refuses, with an error naming each', () => {
    const refused = refusedFunctions(text);
    expect(refused).toContain('vault');
    expect(refused).toContain('secret');
    for (const name of refused) {
      expect(FUNCTIONS.has(name)).toBe(false);
      const error = caught(() => compileTemplate(`x {{ ${name} "a" }}`, 'edited.ctmpl'));
      expect(error).toBeInstanceOf(TemplateSyntaxError);
      expect((error as Error).message).toBe(`edited.ctmpl:1:6: function "${name}" not defined`);
    }
  });
});
