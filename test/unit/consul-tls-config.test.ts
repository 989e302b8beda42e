/**
 * The CA of the user's https Consul: where it comes from (flag > environment > setting, only with
 * your own Consul), what the setting accepts, and that the Consul address field's words (both
 * languages) say what its validator takes.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SETTING_FIELDS } from '../../contract/index.js';
import { en } from '../../contract/i18n/en.js';
import { zhCN } from '../../contract/i18n/zh-CN.js';
import { parseUpOptions } from '../../main/cli/up.js';
import { parseConsulAddresses } from '../../main/engine/consul/consul-addresses.js';
import { buildEngineConfig, restartKey } from '../../main/service/engine-config-sources.js';

const own = {
  ...DEFAULT_SETTINGS,
  consulMode: 'own' as const,
  consulAddress: 'https://10.0.0.5:8501',
  consulCaFile: '/etc/consul/ca.pem',
};

describe('the Consul CA file', () => {
  it('comes from the setting with your own Consul only, the environment over it, the flag over both', () => {
    expect(buildEngineConfig({ settings: own, env: {} }).consulCaFile).toBe('/etc/consul/ca.pem');
    expect(
      buildEngineConfig({ settings: { ...own, consulMode: 'managed' }, env: {} }).consulCaFile,
    ).toBeUndefined();
    const env = { DISCOVERY_TRAY_CONSUL_CA: '/env/ca.pem' };
    expect(buildEngineConfig({ settings: own, env }).consulCaFile).toBe('/env/ca.pem');
    const { flags } = parseUpOptions(['--consul', 'https://10.0.0.5:8501', '--consul-ca', '/flag/ca.pem']);
    expect(flags.consulCaFile).toBe('/flag/ca.pem');
    expect(buildEngineConfig({ settings: own, env, flags }).consulCaFile).toBe('/flag/ca.pem');
  });

  it('restarts the engine when it changes', () => {
    const before = buildEngineConfig({ settings: own, env: {} });
    const after = buildEngineConfig({ settings: { ...own, consulCaFile: '/other/ca.pem' }, env: {} });
    expect(restartKey(after)).not.toBe(restartKey(before));
  });

  it('refuses --consul-ca without a file', () => {
    expect(() => parseUpOptions(['--consul', 'https://a:8501', '--consul-ca', ''])).toThrow(
      /--consul-ca needs a FILE/,
    );
  });

  it('as a setting: empty or a path, never a line break, with a message that says what to give', () => {
    const schema = SETTING_FIELDS.consulCaFile.schema;
    for (const good of ['', '/etc/consul/ca.pem', 'C:\\consul\\ca.pem', './ca with space.pem'])
      expect(schema.safeParse(good).success, good).toBe(true);
    for (const bad of ['/etc/ca.pem\n/x', 42, 'x'.repeat(1025)])
      expect(schema.safeParse(bad).success, String(bad)).toBe(false);
    expect(schema.safeParse(42).error?.issues[0]?.message).toMatch(/path of the PEM file of the CA/);
  });

  it('is kept on https endpoints only', () => {
    const trust = { caFile: '/ca.pem', ca: '-----BEGIN CERTIFICATE-----' };
    const [plain, secure] = parseConsulAddresses('http://a:8500,https://b:8501', undefined, trust);
    expect(plain!.trust).toBeUndefined();
    expect(secure!.trust).toBe(trust);
  });
});

describe("the Consul address field's words", () => {
  const valid = (text: string): boolean => SETTING_FIELDS.consulAddress.schema.safeParse(text).success;

  it('name the forms the validator accepts, in both languages', () => {
    for (const words of [en.settings.consulAddress, zhCN.settings.consulAddress]) {
      expect(words).toContain('HOST:PORT');
      expect(words).toContain('http(s)://HOST:PORT');
    }
    expect(en.settings.consulAddress).toMatch(/comma/);
    expect(en.errors['bad-consul-address']).toMatch(
      /HOST:PORT or http\(s\):\/\/HOST:PORT, several separated by commas/,
    );
    expect(zhCN.errors['bad-consul-address']).toContain('http(s)://HOST:PORT');
  });

  it('accept what the words say, and refuse the rest', () => {
    for (const good of [
      '127.0.0.1:8500',
      'http://10.0.0.1:8500',
      'https://consul.example:8501',
      'https://10.0.0.1:8501, http://10.0.0.2:8500,10.0.0.3:8500',
      '[::1]:8500',
    ])
      expect(valid(good), good).toBe(true);
    for (const bad of ['ftp://consul:21', 'https://', 'a:1,,b:2', 'consul 8500'])
      expect(valid(bad), bad).toBe(false);
  });
});
