/**
 * electron-builder.yml, checked the way electron-builder itself checks it
 * (its loader and its schema validation), and every path it names exists.
 */
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger } from 'builder-util';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  desktopName: string;
  engines: { node: string };
};

/** electron-builder's own default deb dependencies (a private method of its deb/rpm target). */
function electronBuilderDebDefaults(): string[] {
  const { default: FpmTarget } = createRequire(import.meta.url)(
    'app-builder-lib/out/targets/FpmTarget.js',
  ) as {
    default: { prototype: { getDefaultDepends(target: string): string[] } };
  };
  return FpmTarget.prototype.getDefaultDepends('deb');
}

async function load(): Promise<Configuration> {
  const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
  return config;
}

/** electron-builder's loader turns `files: [...]` into `[{filter: [...]}]`: flatten either form. */
function patterns(value: unknown): string[] {
  const list = (Array.isArray(value) ? value : [value]) as (string | { filter?: string | string[] })[];
  return list.flatMap((entry) => (typeof entry === 'string' ? [entry] : [entry.filter ?? []].flat()));
}

/** The folder part of a glob ("out/node/**" → "out/node"). */
function staticPrefix(pattern: string): string {
  const parts = pattern.split('/');
  const index = parts.findIndex((part) => /[*?{[]/.test(part));
  return (index === -1 ? parts : parts.slice(0, index)).join('/');
}

/** Built by other steps of `npm run build`; checked below where our own build makes them. */
const BUILT_BY_THE_RENDERER = ['renderer/dist'];

/** The first validation compiles electron-builder's large JSON schema: seconds on a busy 2-core machine. */
const SCHEMA_TIMEOUT_MS = 60_000;

describe('electron-builder.yml', () => {
  it(
    "passes electron-builder's own schema validation",
    async () => {
      const config = await load();
      await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    },
    SCHEMA_TIMEOUT_MS,
  );

  it(
    'would be refused by that validation if it were wrong (the check is real)',
    async () => {
      const config = await load();
      await expect(
        validateConfiguration(
          { ...config, linux: { ...config.linux, notAnOption: true } } as Configuration,
          new DebugLogger(false),
        ),
      ).rejects.toThrow(/configuration object that does not match the API schema/);
    },
    SCHEMA_TIMEOUT_MS,
  );

  it('describes the tray app: ids, targets, tray-only on macOS, no native rebuild, hardened fuses', async () => {
    const config = await load();
    expect(config).toMatchObject({
      appId: 'dev.discoverytray.app',
      productName: 'Discovery Tray',
      directories: { buildResources: 'assets', output: 'dist' },
      npmRebuild: false,
      linux: { target: ['AppImage', 'deb'], category: 'Development' },
      mac: { extendInfo: { LSUIElement: true } },
      win: { target: 'nsis' },
      electronFuses: {
        runAsNode: false,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
      },
    });
    expect(config.linux?.maintainer).toMatch(/<.+@.+>/);
  });

  it('names only files that exist (after the build), and packs the app entry and preload', async () => {
    const config = await load();
    const included = patterns(config.files).filter((f) => !f.startsWith('!'));
    expect(included.length).toBeGreaterThan(5);
    for (const pattern of [...included, ...patterns(config.asarUnpack)]) {
      const prefix = staticPrefix(pattern);
      if (BUILT_BY_THE_RENDERER.includes(prefix)) continue;
      expect(existsSync(join(root, prefix)), `${pattern} names ${prefix}, which does not exist`).toBe(true);
    }
    for (const icon of [config.linux?.icon, config.mac?.icon, config.win?.icon]) {
      expect(typeof icon).toBe('string');
      expect(existsSync(join(root, icon as string)), `${icon} is missing`).toBe(true);
    }
    expect(pkg.main.startsWith('out/node/')).toBe(true);
    expect(included).toContain('out/node/**/*');
    expect(existsSync(join(root, pkg.main)), `${pkg.main} is missing: run npm run build`).toBe(true);
    expect(included).toContain('out/preload/**/*');
    const preload = readFileSync(join(root, 'out/preload/preload.cjs'), 'utf8');
    // One CommonJS file for the sandbox: the only module it loads is electron.
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
    // What the engine reads at run time is packed (main/engine/package-root.ts resolves assets/).
    expect(included).toEqual(
      expect.arrayContaining(['assets/templates/**/*', 'assets/simple-web/**/*', 'assets/tray/**/*']),
    );
    expect(included).toContain('renderer/dist/**/*');
  });

  it('builds a dmg for Intel and one for Apple silicon, each named with its architecture', async () => {
    const config = await load();
    expect(config.mac?.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(config.dmg?.artifactName).toContain('${arch}');
  });

  it('gives Linux desktops an entry whose window class is the one Electron sets (package.json desktopName)', async () => {
    const config = await load();
    // Electron 45 names its windows (WM_CLASS, Wayland app_id) after desktopName without ".desktop".
    expect(pkg.desktopName).toBe('discovery-tray.desktop');
    expect(config.linux?.syncDesktopName).toBe(true);
    expect(config.linux?.desktop?.entry).toMatchObject({
      Name: 'Discovery Tray',
      Comment: expect.stringMatching(/\S/) as unknown,
      Categories: expect.stringMatching(/^Development;/) as unknown,
      StartupWMClass: pkg.desktopName.replace(/\.desktop$/, ''),
    });
  });

  it("keeps the AppImage's sandbox: no --no-sandbox written into its desktop entry", async () => {
    // electron-builder's AppRun adds --no-sandbox by itself only where user namespaces are refused.
    const config = await load();
    expect(config.appImage?.executableArgs).toEqual([]);
  });

  it("asks the deb for electron-builder's own dependencies, plus gbm, ALSA and D-Bus (the tray)", async () => {
    const config = await load();
    const depends = config.deb?.depends as string[];
    const defaults = electronBuilderDebDefaults();
    expect(defaults).toContain('libnss3');
    expect(depends).toEqual(expect.arrayContaining(defaults));
    expect(depends).toEqual(expect.arrayContaining(['libgbm1', 'libasound2 | libasound2t64', 'libdbus-1-3']));
    // Electron's tray is a StatusNotifierItem over D-Bus: libappindicator (the default) is never loaded.
    expect(config.deb?.recommends).toEqual([]);
  });

  it('keeps every hardening fuse, and states the Node.js the CLI needs', async () => {
    const config = await load();
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(pkg.engines).toEqual({ node: '>=20.19' });
  });
});
