/**
 * How `npm start` gets Electron, on a project folder the test lays out: a
 * package.json with its built entry, and node_modules/electron with the real
 * electron package's index.js (copied from the installed Electron 45) beside a
 * stand-in install.js that "downloads" a small shell script as the binary. So
 * the package's own lazy download is what runs, and the started "app" reports
 * the arguments it got.
 */
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INSTALL_COMMAND, decideLaunch, electronFromPackage, launch } from '../../scripts/electron-launch.js';

const realElectron = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
const VERSION = (JSON.parse(readFileSync(join(realElectron, 'package.json'), 'utf8')) as { version: string })
  .version;

/** A binary that writes its arguments next to the package and exits with 7, so that the exit code is seen. */
const FAKE_BINARY = '#!/bin/sh\nprintf "%s\\n" "$@" > "$(dirname "$0")/../launched-with.txt"\nexit 7\n';

/** Stands in for install.js: @electron/get's download, without the network. */
const FAKE_INSTALL = `const fs = require('fs');
const path = require('path');
if (process.env.DT_TEST_ELECTRON_OFFLINE) {
  console.error('TypeError: fetch failed');
  process.exit(1);
}
fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
fs.writeFileSync(path.join(__dirname, 'dist', 'electron'), ${JSON.stringify(FAKE_BINARY)}, { mode: 0o755 });
fs.writeFileSync(path.join(__dirname, 'dist', 'version'), ${JSON.stringify(VERSION)});
fs.writeFileSync(path.join(__dirname, 'path.txt'), 'electron');
`;

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  delete process.env.DT_TEST_ELECTRON_OFFLINE;
});

interface Layout {
  built?: boolean;
  electron?: boolean;
  downloaded?: boolean;
}

function project({ built = true, electron = true, downloaded = false }: Layout = {}): {
  root: string;
  electronDir: string;
} {
  const root = mkdtempSync(join(tmpdir(), 'dt-start-'));
  folders.push(root);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'app', main: 'out/main.js' }));
  if (built) {
    mkdirSync(join(root, 'out'));
    writeFileSync(join(root, 'out', 'main.js'), '');
  }
  const electronDir = join(root, 'node_modules', 'electron');
  if (electron) {
    mkdirSync(electronDir, { recursive: true });
    writeFileSync(
      join(electronDir, 'package.json'),
      JSON.stringify({ name: 'electron', version: VERSION, main: 'index.js' }),
    );
    copyFileSync(join(realElectron, 'index.js'), join(electronDir, 'index.js'));
    writeFileSync(join(electronDir, 'install.js'), FAKE_INSTALL);
  }
  if (downloaded) {
    mkdirSync(join(electronDir, 'dist'));
    writeFileSync(join(electronDir, 'dist', 'electron'), FAKE_BINARY);
    chmodSync(join(electronDir, 'dist', 'electron'), 0o755);
    writeFileSync(join(electronDir, 'path.txt'), 'electron');
  }
  return { root, electronDir };
}

const DESKTOP = { DISPLAY: ':0' };

describe('what npm start decides', () => {
  it('needs the build first', () => {
    const { root } = project({ built: false });
    expect(decideLaunch({ root, env: DESKTOP, platform: 'linux' })).toMatchObject({
      kind: 'fail',
      problem: 'The app is not built (out/main.js is missing).',
      fix: 'npm run build',
    });
  });

  it('needs the electron package (a dev dependency)', () => {
    const { root } = project({ electron: false });
    expect(decideLaunch({ root, env: DESKTOP, platform: 'linux' })).toMatchObject({
      kind: 'fail',
      fix: 'npm ci',
    });
  });

  it('needs a graphical session on Linux, not elsewhere', () => {
    const { root } = project({ downloaded: true });
    expect(decideLaunch({ root, env: {}, platform: 'linux' })).toMatchObject({
      kind: 'fail',
      problem: expect.stringContaining('DISPLAY and WAYLAND_DISPLAY are unset') as unknown,
    });
    expect(decideLaunch({ root, env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'linux' }).kind).toBe(
      'ready',
    );
    expect(decideLaunch({ root, env: {}, platform: 'darwin' }).kind).toBe('ready');
  });

  it("runs the binary the package has, the same one the package's own index.js names", () => {
    const { root, electronDir } = project({ downloaded: true });
    const decision = decideLaunch({ root, env: DESKTOP, platform: 'linux' });
    expect(decision).toEqual({
      kind: 'ready',
      binary: join(electronDir, 'dist', 'electron'),
      electronVersion: VERSION,
    });
    expect(electronFromPackage(root)).toBe(join(electronDir, 'dist', 'electron'));
  });

  it('lets the package fetch a missing binary, or, under ELECTRON_SKIP_BINARY_DOWNLOAD, names the command', () => {
    const { root, electronDir } = project();
    expect(decideLaunch({ root, env: DESKTOP, platform: 'linux', nodeVersion: '22.12.0' })).toEqual({
      kind: 'fetch',
      electronVersion: VERSION,
    });
    expect(
      decideLaunch({ root, env: { ...DESKTOP, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, platform: 'linux' }),
    ).toEqual({
      kind: 'fail',
      problem: `The Electron ${VERSION} binary is not downloaded yet (${join(electronDir, 'dist')} has none), and ELECTRON_SKIP_BINARY_DOWNLOAD is set, so npm start does not fetch it.`,
      fix: expect.stringMatching(/^npx install-electron --no /) as unknown,
    });
  });

  it('fetches again when path.txt names a binary that is gone, as the package would', () => {
    const { root, electronDir } = project({ downloaded: true });
    rmSync(join(electronDir, 'dist'), { recursive: true });
    expect(decideLaunch({ root, env: DESKTOP, platform: 'linux' }).kind).toBe('fetch');
  });

  it('says that the downloader wants a newer Node.js than 22.12 before it runs on an older one', () => {
    const { root } = project();
    const decision = decideLaunch({ root, env: DESKTOP, platform: 'linux', nodeVersion: '20.19.0' });
    expect(decision).toMatchObject({ kind: 'fetch', warning: expect.stringContaining('22.12') as unknown });
  });

  it('uses ELECTRON_OVERRIDE_DIST_PATH as the package does, and says when it names no binary', () => {
    const { root } = project();
    const unpacked = mkdtempSync(join(tmpdir(), 'dt-electron-dist-'));
    folders.push(unpacked);
    const env = { ...DESKTOP, ELECTRON_OVERRIDE_DIST_PATH: unpacked };
    expect(decideLaunch({ root, env, platform: 'linux' })).toMatchObject({
      kind: 'fail',
      problem: `ELECTRON_OVERRIDE_DIST_PATH is ${unpacked}, and ${join(unpacked, 'electron')} does not exist.`,
    });
    writeFileSync(join(unpacked, 'electron'), FAKE_BINARY);
    expect(decideLaunch({ root, env, platform: 'linux' })).toMatchObject({
      kind: 'ready',
      binary: join(unpacked, 'electron'),
    });
  });
});

describe('npm start', () => {
  it('on a fresh install: the package downloads its binary, then the app starts with the project and the arguments', async () => {
    const { root, electronDir } = project();
    const said: string[] = [];
    const code = await launch({
      root,
      env: DESKTOP,
      platform: 'linux',
      args: ['--inspect-tray'],
      log: (l) => said.push(l),
    });
    expect(code).toBe(7);
    expect(said[0]).toBe(`Electron ${VERSION} is not downloaded yet: fetching it once (about 100 MB).`);
    expect(readFileSync(join(electronDir, 'launched-with.txt'), 'utf8')).toBe(`${root}\n--inspect-tray\n`);

    // The second start finds the binary and says nothing.
    said.length = 0;
    expect(await launch({ root, env: DESKTOP, platform: 'linux', args: [], log: (l) => said.push(l) })).toBe(
      7,
    );
    expect(said).toEqual([]);
  });

  it('where the download fails: exit 1, what failed, and the commands that fix it', async () => {
    const { root } = project();
    process.env.DT_TEST_ELECTRON_OFFLINE = '1';
    const said: string[] = [];
    const code = await launch({ root, env: DESKTOP, platform: 'linux', args: [], log: (l) => said.push(l) });
    expect(code).toBe(1);
    const message = said.at(-1)!;
    expect(message).toContain(`Electron ${VERSION} could not be downloaded`);
    expect(message).toContain(`Fix:                               ${INSTALL_COMMAND}   where downloads work`);
    expect(message).toContain('Or run the demo without the app:   npx discovery-tray up');
  });

  it('where it cannot work, starts nothing and says why', async () => {
    const { root } = project({ built: false });
    const said: string[] = [];
    expect(await launch({ root, env: DESKTOP, platform: 'linux', args: [], log: (l) => said.push(l) })).toBe(
      1,
    );
    expect(said).toEqual([
      [
        'The app is not built (out/main.js is missing).',
        '',
        '  Fix:                               npm run build',
        '  Or run the demo without the app:   npx discovery-tray up',
      ].join('\n'),
    ]);
  });
});
