/**
 * The state folder holds the engine's token: with real files, a symlink planted
 * where the temporary file goes is never followed, and a folder that other
 * users can write (or that is not ours) is refused with what to do.
 */
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  endpointFile,
  ensureStateFolder,
  saveEndpoint,
  writeFileAtomic,
} from '../../main/server/state-file.js';

const endpoint = { pid: process.pid, port: 4321, token: 'secret-token', startedAt: 1 };

describe('the state file and its folder (real files)', () => {
  let root: string;
  let dir: string;
  const previous = process.env.DISCOVERY_TRAY_STATE_DIR;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'dt-state-file-'));
    dir = join(root, 'state');
    process.env.DISCOVERY_TRAY_STATE_DIR = dir;
  });

  afterEach(() => {
    if (previous === undefined) delete process.env.DISCOVERY_TRAY_STATE_DIR;
    else process.env.DISCOVERY_TRAY_STATE_DIR = previous;
    rmSync(root, { recursive: true, force: true });
  });

  it('creates a missing folder readable by the user only, and the file with mode 0600', async () => {
    await saveEndpoint(endpoint);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(endpointFile()).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(endpointFile(), 'utf8'))).toEqual(endpoint);
  });

  it('never follows a symlink planted at the temporary path', async () => {
    mkdirSync(dir, { mode: 0o700 });
    const victim = join(root, 'victim');
    writeFileSync(victim, 'precious\n');
    const planted = `${endpointFile()}.${process.pid}.tmp`;
    symlinkSync(victim, planted);

    await saveEndpoint(endpoint);

    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(endpointFile()).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(endpointFile(), 'utf8'))).toEqual(endpoint);
    // The planted link is someone else's: left where it was, not removed and not written through.
    expect(lstatSync(planted).isSymbolicLink()).toBe(true);
    expect(
      readdirSync(dir).filter((name) => name.endsWith('.tmp') && name !== `engine.json.${process.pid}.tmp`),
    ).toEqual([]);
  });

  it('writes atomically through O_EXCL: a symlink at the temporary path of any file stays untouched', async () => {
    mkdirSync(dir, { mode: 0o700 });
    const victim = join(root, 'victim');
    writeFileSync(victim, 'precious\n');
    const target = join(dir, 'settings.json');
    symlinkSync(victim, `${target}.${process.pid}.tmp`);
    await writeFileAtomic(target, '{"a":1}\n');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readFileSync(target, 'utf8')).toBe('{"a":1}\n');
    expect(lstatSync(target).isFile()).toBe(true);
  });

  for (const [mode, who] of [
    [0o777, 'others'],
    [0o770, 'group'],
    [0o702, 'others'],
  ] as const) {
    it(`refuses a folder with mode ${mode.toString(8)} (writable by ${who}), saying chmod 700, and writes nothing`, async () => {
      mkdirSync(dir);
      chmodSync(dir, mode);
      await expect(saveEndpoint(endpoint)).rejects.toThrow(
        new RegExp(`${dir}.*writable by (its group|other users).*chmod 700 ${dir}`),
      );
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('refuses a folder that belongs to another user', async () => {
    const uid = process.getuid!();
    let foreign: string;
    if (uid === 0) {
      // As root, make one that belongs to nobody.
      foreign = join(root, 'nobodys');
      mkdirSync(foreign, { mode: 0o700 });
      chownSync(foreign, 65534, 65534);
    } else {
      // As a user, a system folder belongs to root.
      foreign = '/usr';
    }
    process.env.DISCOVERY_TRAY_STATE_DIR = foreign;
    await expect(saveEndpoint(endpoint)).rejects.toThrow(
      new RegExp(`${foreign} belongs to uid ${statSync(foreign).uid}, not to you \\(uid ${uid}\\)`),
    );
    expect(readdirSync(foreign).filter((name) => name.startsWith('engine.json'))).toEqual([]);
  });
});

describe('ensureStateFolder, for everything the state folder will hold', () => {
  it('creates the folder private, accepts it again, and refuses it once others can write it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dt-state-folder-'));
    const previous = process.env.DISCOVERY_TRAY_STATE_DIR;
    process.env.DISCOVERY_TRAY_STATE_DIR = join(root, 'a', 'b');
    try {
      expect(await ensureStateFolder()).toBe(join(root, 'a', 'b'));
      expect(statSync(join(root, 'a', 'b')).mode & 0o777).toBe(0o700);
      await ensureStateFolder();
      chmodSync(join(root, 'a', 'b'), 0o777);
      const refused: unknown = await ensureStateFolder().catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'folder-insecure' });
      expect((refused as Error).message).toMatch(/writable by other users \(mode 777\).*chmod 700/);
    } finally {
      if (previous === undefined) delete process.env.DISCOVERY_TRAY_STATE_DIR;
      else process.env.DISCOVERY_TRAY_STATE_DIR = previous;
      rmSync(root, { recursive: true, force: true });
    }
  });
});
