/**
 * Where each part of the engine's configuration comes from: flags > environment > settings file >
 * defaults (the Docker endpoint: flag, then setting, then the search that reads DOCKER_HOST), and
 * what the settings accept, with messages that say what is allowed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, maskToken, settingsRequest } from '../../../contract/index.js';
import { parseUpOptions } from '../../../main/cli/up.js';
import { settingsFileStorage } from '../../../main/server/settings-file.js';
import { buildEngineConfig } from '../../../main/service/engine-config-sources.js';
import { SettingsStore, memoryStorage } from '../../../main/service/settings-store.js';

const file = { ...DEFAULT_SETTINGS, lbPort: 9001, consulPort: 9002, lbImage: 'nginx:1.27-alpine' };

describe('the engine configuration', () => {
  it('is the defaults when nothing is set', () => {
    const config = buildEngineConfig({ settings: DEFAULT_SETTINGS, env: {} });
    expect(config).toMatchObject({ lbPort: 8080, consulPort: 8500, project: 'discovery-tray' });
    expect(config.images).toMatchObject({ consul: 'hashicorp/consul:1.20', lb: 'nginx:alpine' });
    expect(config.dockerHost).toBeUndefined();
    expect(config.consulAddress).toBeUndefined();
  });

  it('takes the settings file over the defaults, the environment over the file, the flags over both', () => {
    expect(buildEngineConfig({ settings: file, env: {} })).toMatchObject({ lbPort: 9001, consulPort: 9002 });
    const env = { DISCOVERY_TRAY_LB_PORT: '9101', DISCOVERY_TRAY_LB_IMAGE: 'nginx:env' };
    const fromEnv = buildEngineConfig({ settings: file, env });
    expect(fromEnv).toMatchObject({ lbPort: 9101, consulPort: 9002 });
    expect(fromEnv.images.lb).toBe('nginx:env');
    const fromFlags = buildEngineConfig({
      settings: file,
      env,
      flags: { lbPort: 9201, images: { lb: 'nginx:flag' } },
    });
    expect(fromFlags).toMatchObject({ lbPort: 9201, consulPort: 9002 });
    expect(fromFlags.images).toMatchObject({ lb: 'nginx:flag', consul: 'hashicorp/consul:1.20' });
  });

  it('uses your own Consul with its token only when the setting says own', () => {
    const own = {
      ...DEFAULT_SETTINGS,
      consulMode: 'own' as const,
      consulAddress: '10.0.0.5:8500',
      consulToken: 's3cret',
    };
    expect(buildEngineConfig({ settings: own, env: {} })).toMatchObject({
      consulAddress: '10.0.0.5:8500',
      consulToken: 's3cret',
    });
    const managed = buildEngineConfig({ settings: { ...own, consulMode: 'managed' }, env: {} });
    expect(managed.consulAddress).toBeUndefined();
    expect(managed.consulToken).toBeUndefined();
    expect(
      buildEngineConfig({ settings: own, env: { DISCOVERY_TRAY_CONSUL_TOKEN: 'env' } }).consulToken,
    ).toBe('env');
  });

  it('tries a chosen Docker endpoint: the flag over the setting', () => {
    const settings = { ...DEFAULT_SETTINGS, dockerHost: 'unix:///run/setting.sock' };
    expect(buildEngineConfig({ settings, env: {} }).dockerHost).toBe('unix:///run/setting.sock');
    expect(
      buildEngineConfig({ settings, env: {}, flags: { dockerHost: 'tcp://127.0.0.1:2375' } }).dockerHost,
    ).toBe('tcp://127.0.0.1:2375');
  });

  it('refuses an environment port that is not one, saying which variable', () => {
    expect(() =>
      buildEngineConfig({ settings: DEFAULT_SETTINGS, env: { DISCOVERY_TRAY_CONSUL_PORT: '99999' } }),
    ).toThrow('DISCOVERY_TRAY_CONSUL_PORT must be a port number from 1 to 65535; got "99999"');
  });
});

describe('settings validation', () => {
  it('names what is allowed for each bad field', () => {
    const messages = (patch: unknown): string => {
      const parsed = settingsRequest.safeParse(patch);
      return parsed.success ? '' : parsed.error.issues.map((i) => i.message).join(' ');
    };
    expect(messages({ lbPort: 0 })).toContain('lbPort must be a port number from 1 to 65535; got 0');
    expect(messages({ consulPort: 80.5 })).toContain('consulPort must be a port number');
    expect(messages({ lbImage: 'Nginx Latest' })).toContain('lbImage must be a Docker image reference');
    expect(messages({ dockerHost: 'docker.example' })).toContain('dockerHost must be empty');
    expect(messages({ consulMode: 'remote' })).toContain('consulMode must be managed');
    expect(messages({ consulToken: 'has space' })).toContain('consulToken must be an ACL token');
    expect(messages({ openAtLogin: 'yes' })).toContain('openAtLogin must be true or false');
    expect(messages({ lbPort: 8081, dockerHost: '', webImage: 'localhost:5000/me/web:2' })).toBe('');
  });

  it('never shows a saved token in full, and a masked one sent back keeps it', async () => {
    const token = '0f3c9a4e-1b2d-4c5e-8f9a-1234567890ab';
    const store = new SettingsStore(memoryStorage());
    await store.update({ consulMode: 'own', consulAddress: '127.0.0.1:8500', consulToken: token });
    expect(store.get().consulToken).toBe(maskToken(token));
    expect(store.get().consulToken).not.toContain(token.slice(0, 8));
    await store.update({ ...store.get(), lbPort: 8081 });
    expect(store.withSecrets().consulToken).toBe(token);
    await store.update({ consulToken: '' });
    expect(store.withSecrets().consulToken).toBe('');
  });

  it('refuses your own Consul without an address, and a file saying so gives the default with a warning', async () => {
    const store = new SettingsStore(memoryStorage());
    await expect(store.update({ consulMode: 'own' })).rejects.toMatchObject({ code: 'bad-request' });
    const bad = new SettingsStore(memoryStorage(JSON.stringify({ consulMode: 'own', lbPort: 'x' })));
    expect(await bad.load()).toEqual(DEFAULT_SETTINGS);
    expect(bad.warning).toContain('consulAddress is empty');
    expect(bad.warning).toContain('lbPort must be a port number');
  });
});

describe('discovery-tray up and the settings file', () => {
  it('reads the file the app writes, the environment winning over it and the flags over both', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dt-up-settings-'));
    try {
      const dir = join(root, 'state');
      await new SettingsStore(settingsFileStorage(dir)).update({
        lbPort: 9001,
        consulPort: 9002,
        webImage: 'me/web:1',
      });
      const settings = await new SettingsStore(settingsFileStorage(dir)).load();
      const { flags } = parseUpOptions(['--consul-port', '9302']);
      const config = buildEngineConfig({
        settings,
        env: { DISCOVERY_TRAY_CONSUL_PORT: '9202', DISCOVERY_TRAY_LB_PORT: '9201' },
        flags,
      });
      expect(config).toMatchObject({ lbPort: 9201, consulPort: 9302 });
      expect(config.images.web).toBe('me/web:1');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
