/**
 * The layer rules in eslint.config.js fire: an import from a layer above is an error, with the
 * reason. (Lint runs in CI; this checks that the rules themselves would catch a slip.)
 */
import { ESLint, type Linter } from 'eslint';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
// The rules exactly as the project's config declares them, on a bare parser (no type checking: fast).
const config = (await import(new URL('../../eslint.config.js', import.meta.url).href)) as {
  LAYER_RULES: Linter.Config[];
};
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
    ...config.LAYER_RULES,
  ],
});

async function importErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('layer rules', () => {
  it.each([
    [
      'main/engine/stack/probe.ts',
      "import '../../service/discovery-service.js';",
      'the engine imports nothing above it',
    ],
    ['main/engine/probe.ts', "import '../app/tray.js';", 'the engine imports nothing above it'],
    ['main/engine/probe.ts', "import 'electron';", 'only main/app and preload may import electron'],
    [
      'main/service/probe.ts',
      "import '../server/control-server.js';",
      'the service sits under every front end',
    ],
    [
      'main/server/probe.ts',
      "import '../app/backend.js';",
      'the control API is no part of the desktop shell',
    ],
    ['contract/probe.ts', "import '../main/engine/errors.js';", 'the contract imports nothing but zod'],
    ['contract/probe.ts', "import 'node:fs';", 'the contract imports nothing but zod'],
    [
      'contract/i18n/probe.ts',
      "import '../../main/engine/errors.js';",
      'the contract imports nothing but zod',
    ],
    ['contract/i18n/probe.ts', "import 'node:path';", 'the contract imports nothing but zod'],
    [
      'renderer/src/probe.ts',
      "import '../../main/engine/engine.js';",
      'the dashboard knows the contract only',
    ],
    ['preload/probe.ts', "import '../main/app/ipc.js';", 'the preload is a bridge over the contract only'],
  ])('%s may not %s', async (file, source, reason) => {
    const errors = await importErrors(file, source);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(reason);
  });

  it.each([
    ['main/app/probe.ts', "import '../service/discovery-service.js';"],
    ['main/cli/probe.ts', "import '../server/control-client.js';"],
    ['main/engine/probe.ts', "import '../../contract/index.js';"],
    ['renderer/src/probe.ts', "import '../../contract/index';"],
    ['contract/probe.ts', "import * as z from 'zod';"],
    // The catalogue, one folder down, reaches the contract's own files.
    ['contract/i18n/probe.ts', "import '../errors.js';"],
  ])('%s may %s', async (file, source) => {
    expect(await importErrors(file, source)).toEqual([]);
  });
});
