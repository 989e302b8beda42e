import { describe, expect, it } from 'vitest';
import { isDeniedEnvName, templateEnv } from '../../main/engine/render/template-env.js';

describe('the environment a template may read', () => {
  it('never gives a template the engine settings or anything that looks like a secret', () => {
    for (const name of [
      'DISCOVERY_TRAY_CONSUL_TOKEN',
      'DISCOVERY_TRAY_STATE_DIR',
      'CONSUL_HTTP_TOKEN',
      'CONSUL_HTTP_AUTH',
      'VAULT_TOKEN',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_ACCESS_KEY_ID',
      'GITHUB_TOKEN',
      'PGPASSWORD',
      'DB_PASS',
      'SSH_PRIVATE_KEY',
      'STRIPE_API_KEY',
      'GOOGLE_APPLICATION_CREDENTIALS',
      'npm_config__authToken',
    ])
      expect(isDeniedEnvName(name), name).toBe(true);
    for (const name of ['HOME', 'PATH', 'HOSTNAME', 'REGION', 'NODE_ENV', 'KEYBOARD_LAYOUT'])
      expect(isDeniedEnvName(name), name).toBe(false);
  });

  it('reads every other variable, or only those DISCOVERY_TRAY_TEMPLATE_ENV lists (the denylist still wins)', () => {
    const env = {
      HOME: '/home/u',
      REGION: 'eu',
      APP_COLOR: 'blue',
      API_TOKEN: 't',
      DISCOVERY_TRAY_CONSUL_TOKEN: 's',
    };
    expect([...templateEnv(env).keys()].sort()).toEqual(['APP_COLOR', 'HOME', 'REGION']);
    const listed = { ...env, DISCOVERY_TRAY_TEMPLATE_ENV: 'REGION, APP_*, API_TOKEN' };
    expect(Object.fromEntries(templateEnv(listed))).toEqual({ REGION: 'eu', APP_COLOR: 'blue' });
    expect(templateEnv({ ...env, DISCOVERY_TRAY_TEMPLATE_ENV: '' }).size).toBe(0);
  });
});
