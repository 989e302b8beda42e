/**
 * The kept templates: a file in the state folder that is corrupt, oversized, unreadable or holds a
 * template that no longer compiles costs a warning and the classic template, never a crash; only the
 * last KEPT_TEMPLATE_VERSIONS versions are kept, newest first, and the newest is what a start uses.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEPT_TEMPLATE_VERSIONS } from '../../../contract/index.js';
import { templateFileStorage } from '../../../main/server/template-file.js';
import { TemplateChoice } from '../../../main/service/template-choice.js';
import { MAX_KEPT_TEMPLATES_CHARS, TemplateStore } from '../../../main/service/template-store.js';

let dir: string;
const file = (): string => join(dir, 'templates.json');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dt-template-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A choice over the state folder's file, as the app and `up` make it. */
function choice(): TemplateChoice {
  return new TemplateChoice(new TemplateStore(templateFileStorage(dir)));
}

async function startsWithDefault(text: string | undefined, warning: RegExp): Promise<void> {
  if (text !== undefined) writeFileSync(file(), text, { mode: 0o600 });
  const templates = choice();
  await expect(templates.forStart()).resolves.toBeUndefined();
  expect(templates.liveView()).toMatchObject({ origin: 'default', builtin: 'classic' });
  expect(templates.warning).toMatch(warning);
}

describe('the template store', () => {
  it('starts with the classic template and no warning when nothing is kept', async () => {
    const templates = choice();
    await expect(templates.forStart()).resolves.toBeUndefined();
    expect(templates.warning).toBeUndefined();
  });

  it('warns and uses the classic template when the file is not JSON', async () => {
    await startsWithDefault('{"format":1,"versions":[', /is not JSON.*the classic template is used/);
  });

  it('warns and uses the classic template when the file is oversized', async () => {
    await startsWithDefault(' '.repeat(MAX_KEPT_TEMPLATES_CHARS + 1), /is over 2 MiB/);
  });

  it('warns and uses the classic template when the file holds no list or unknown entries', async () => {
    await startsWithDefault('null', /does not hold a list of versions/);
    await startsWithDefault(
      JSON.stringify({ versions: [{ id: 1, savedAt: 1, kind: 'builtin', builtin: 'nope' }] }),
      /names a built-in this version does not have/,
    );
  });

  it('warns and uses the classic template when the file cannot be read', async () => {
    mkdirSync(file());
    await startsWithDefault(undefined, /cannot be read/);
  });

  it('warns and uses the classic template when the kept template no longer compiles', async () => {
    await startsWithDefault(
      JSON.stringify({
        versions: [{ id: 3, savedAt: 1, kind: 'edited', label: 'edited', source: '{{ nope }}' }],
      }),
      /version 3, edited\) cannot be used.*the classic template is used/,
    );
  });

  it('keeps only the last versions, newest first, and a new version rewrites a corrupt file', async () => {
    writeFileSync(file(), 'garbage', { mode: 0o600 });
    const store = new TemplateStore(templateFileStorage(dir));
    await store.load();
    expect(store.warning).toMatch(/is not JSON/);
    const total = KEPT_TEMPLATE_VERSIONS + 2;
    for (let i = 1; i <= total; i++) await store.keep({ kind: 'edited', source: `# version ${i}\n` });
    expect(store.warning).toBeUndefined();

    const again = new TemplateStore(templateFileStorage(dir));
    await again.load();
    expect(again.warning).toBeUndefined();
    expect(again.list().map((v) => v.source)).toEqual(
      Array.from({ length: KEPT_TEMPLATE_VERSIONS }, (_, k) => `# version ${total - k}\n`),
    );
    const saved = JSON.parse(readFileSync(file(), 'utf8')) as { versions: unknown[] };
    expect(saved.versions).toHaveLength(KEPT_TEMPLATE_VERSIONS);

    // The newest is what a start uses; choosing the classic one (the reset) is a new newest version.
    const templates = new TemplateChoice(again);
    expect(await templates.forStart()).toEqual({ name: 'edited.ctmpl', source: `# version ${total}\n` });
    await templates.select('classic', undefined);
    expect(again.list()).toHaveLength(KEPT_TEMPLATE_VERSIONS);
    expect(again.newest()).toMatchObject({ kind: 'builtin', builtin: 'classic' });
    expect((await templates.forStart())?.name).toBe('nginx.ctmpl');
  });

  it('gives a kept version’s text to look at, a built-in’s own text, and names the kept ids for an unknown one', async () => {
    const templates = choice();
    await templates.select('services-localhost', undefined);
    const store = templates.store;
    await store.keep({ kind: 'edited', source: '# mine\n' });
    const [mine, builtin] = store.list();
    expect(await templates.versionText(mine!.id)).toEqual({
      id: mine!.id,
      label: 'edited',
      source: '# mine\n',
    });
    const builtinText = await templates.versionText(builtin!.id);
    expect(builtinText.label).toBe('services-localhost');
    expect(builtinText.source).toContain('.localhost');
    await expect(templates.versionText(999)).rejects.toThrow(
      new RegExp(`no kept template version 999 \\(kept: ${mine!.id}, ${builtin!.id}\\)`),
    );
  });
});
