/**
 * The engine host's settings: saved in the state folder and read back, a bad file costs the
 * defaults plus a warning that says what was wrong (never a crash), a save that fails changes
 * nothing and says what to do, and every saved change is announced (the tray redraws, the
 * dashboards get the settings topic).
 */
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings, type TopicName } from '../../../contract/index.js';
import { settingsFileStorage } from '../../../main/server/settings-file.js';
import { DiscoveryService } from '../../../main/service/discovery-service.js';
import { PushHub } from '../../../main/service/push-hub.js';
import { SettingsStore, memoryStorage } from '../../../main/service/settings-store.js';
import { FakeRuntime } from '../app/fixtures.js';

let root: string;
let dir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dt-settings-'));
  dir = join(root, 'state');
});
afterEach(async () => {
  await chmod(root, 0o700).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

const file = (): string => join(dir, 'settings.json');

describe('the settings store', () => {
  it('starts from the defaults, saves a patch to a private file and reads it back', async () => {
    const store = new SettingsStore(settingsFileStorage(dir));
    expect(await store.load()).toEqual({ ...DEFAULT_SETTINGS, language: 'system' });
    expect(store.warning).toBeUndefined();
    const seen: Settings[] = [];
    store.changed.on((settings) => seen.push(settings));
    expect(await store.update({ ...DEFAULT_SETTINGS, language: 'zh-CN' })).toEqual({
      ...DEFAULT_SETTINGS,
      language: 'zh-CN',
    });
    expect(seen).toEqual([{ ...DEFAULT_SETTINGS, language: 'zh-CN' }]);
    expect(JSON.parse(await readFile(file(), 'utf8'))).toEqual({ ...DEFAULT_SETTINGS, language: 'zh-CN' });
    expect((await stat(file())).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    // A new process reads what the last one saved.
    expect(await new SettingsStore(settingsFileStorage(dir)).load()).toEqual({
      ...DEFAULT_SETTINGS,
      language: 'zh-CN',
    });
  });

  it('takes a file that is not JSON as the defaults, with a warning naming the file, and mends it on save', async () => {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(file(), '{"language": "zh-CN",', { mode: 0o600 });
    const store = new SettingsStore(settingsFileStorage(dir));
    expect(await store.load()).toEqual({ ...DEFAULT_SETTINGS, language: 'system' });
    expect(store.warning).toContain(file());
    expect(store.warning).toContain('is not JSON');
    // Choosing again rewrites the file, even when the value equals the default.
    await store.update({ language: 'system' });
    expect(store.warning).toBeUndefined();
    expect(JSON.parse(await readFile(file(), 'utf8'))).toEqual({ ...DEFAULT_SETTINGS, language: 'system' });
  });

  it('keeps the good fields of a file with a bad one, and the fields of a newer version untouched', async () => {
    const store = new SettingsStore(
      memoryStorage(JSON.stringify({ language: 'klingon', dockerHost: 'unix:///x.sock', lbPort: 70000 })),
    );
    expect(await store.load()).toEqual({ ...DEFAULT_SETTINGS, dockerHost: 'unix:///x.sock' });
    expect(store.warning).toContain('lbPort must be a port number from 1 to 65535; got 70000');
    expect(store.warning).toContain('language must be one of system, en, zh-CN; got "klingon"');
    const storage = memoryStorage(JSON.stringify({ language: 'en', futureSetting: { on: true } }));
    const other = new SettingsStore(storage);
    expect(await other.load()).toEqual({ ...DEFAULT_SETTINGS, language: 'en' });
    expect(other.warning).toBeUndefined();
    await other.update({ language: 'zh-CN' });
    expect(JSON.parse(storage.text!)).toEqual({
      ...DEFAULT_SETTINGS,
      language: 'zh-CN',
      futureSetting: { on: true },
    });
  });

  it('takes an array, a huge file or null as the defaults with a warning', async () => {
    for (const text of ['[]', 'null', ' '.repeat(70 * 1024)]) {
      const store = new SettingsStore(memoryStorage(text));
      expect(await store.load(), text.slice(0, 5)).toEqual({ ...DEFAULT_SETTINGS, language: 'system' });
      expect(store.warning, text.slice(0, 5)).toMatch(/does not hold an object|is over 64 KiB|is not JSON/);
    }
  });

  it('fails a save it cannot write with what to do, and changes nothing', async () => {
    // A folder that cannot be made (a file is in the way): unwritable even for root, as CI runs.
    await writeFile(join(root, 'blocker'), 'a file, not a folder');
    const store = new SettingsStore(settingsFileStorage(join(root, 'blocker', 'state')));
    expect(await store.load()).toEqual({ ...DEFAULT_SETTINGS, language: 'system' });
    await expect(store.update({ language: 'en' })).rejects.toMatchObject({
      code: 'state-unwritable',
      message: expect.stringContaining('DISCOVERY_TRAY_STATE_DIR') as unknown,
    });
    expect(store.get()).toEqual({ ...DEFAULT_SETTINGS, language: 'system' });
  });

  it('does not believe a settings file in a folder others may write, and says so', async () => {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(file(), JSON.stringify({ language: 'zh-CN' }), { mode: 0o600 });
    await chmod(dir, 0o777);
    const store = new SettingsStore(settingsFileStorage(dir));
    expect(await store.load()).toEqual(DEFAULT_SETTINGS);
    expect(store.warning).toContain('chmod 700');
    await expect(store.update({ language: 'en' })).rejects.toMatchObject({ code: 'folder-insecure' });
  });

  it('saves concurrent patches one after the other, the last one winning', async () => {
    const storage = memoryStorage();
    const store = new SettingsStore(storage);
    await Promise.all([store.update({ language: 'en' }), store.update({ language: 'zh-CN' })]);
    expect(store.get()).toEqual({ ...DEFAULT_SETTINGS, language: 'zh-CN' });
    expect(JSON.parse(storage.text!)).toEqual({ ...DEFAULT_SETTINGS, language: 'zh-CN' });
  });
});

describe('settings through the application service', () => {
  it('validates a patch, saves it, redraws the tray and pushes it to every dashboard', async () => {
    const service = new DiscoveryService(new FakeRuntime(), {
      settings: new SettingsStore(settingsFileStorage(dir)),
    });
    const hub = new PushHub(service.feeds(), 10_000);
    const pushed: [TopicName, unknown][] = [];
    hub.attach({ send: (topic, payload) => pushed.push([topic, payload]) });
    expect(pushed.find(([topic]) => topic === 'settings')?.[1]).toEqual({
      ...DEFAULT_SETTINGS,
      language: 'system',
    });
    pushed.length = 0;
    let redraws = 0;
    service.changed.on(() => redraws++);
    await expect(service.call('updateSettings', { language: 'de' as never })).rejects.toMatchObject({
      code: 'bad-request',
    });
    await expect(service.call('updateSettings', { colour: 'red' } as never)).rejects.toMatchObject({
      code: 'bad-request',
    });
    expect(redraws).toBe(0);
    expect(await service.call('updateSettings', { ...DEFAULT_SETTINGS, language: 'zh-CN' })).toEqual({
      ...DEFAULT_SETTINGS,
      language: 'zh-CN',
    });
    expect(redraws).toBe(1);
    expect(service.view().settings).toEqual({ ...DEFAULT_SETTINGS, language: 'zh-CN' });
    hub.flush();
    expect(pushed.filter(([topic]) => topic === 'settings')).toEqual([
      ['settings', { ...DEFAULT_SETTINGS, language: 'zh-CN' }],
    ]);
    expect(await service.call('getSettings')).toEqual({ ...DEFAULT_SETTINGS, language: 'zh-CN' });
    hub.close();
  });

  it('shows a bad settings file among the status warnings', async () => {
    const service = new DiscoveryService(new FakeRuntime(), {
      settings: new SettingsStore(memoryStorage('not json')),
    });
    await service.getSettings();
    expect(
      service
        .getStatus()
        .warnings.map((w) => w.message)
        .join('\n'),
    ).toContain('is not JSON');
  });
});
