/**
 * getSettings/updateSettings over a real transport: the control API a browser dashboard uses
 * (token, JSON, the contract's validator), and the settings pushed over Server-Sent Events to
 * every open dashboard when one of them changes the language.
 */
import { DEFAULT_SETTINGS } from '../../../contract/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControlServer } from '../../../main/server/control-server.js';
import { DiscoveryService } from '../../../main/service/discovery-service.js';
import { PushHub } from '../../../main/service/push-hub.js';
import { SettingsStore, memoryStorage } from '../../../main/service/settings-store.js';
import { FakeRuntime } from '../app/fixtures.js';

const TOKEN = 'settings-test-token';
let server: ControlServer;
let push: PushHub;
let storage: ReturnType<typeof memoryStorage>;

beforeEach(async () => {
  storage = memoryStorage();
  const service = new DiscoveryService(new FakeRuntime(), { settings: new SettingsStore(storage) });
  push = new PushHub(service.feeds(), 50);
  server = new ControlServer({ handlers: service, push, token: TOKEN });
  await server.listen();
});
afterEach(async () => {
  push.close();
  await server.close();
});

function call(method: 'GET' | 'POST', body?: unknown): Promise<Response> {
  return fetch(`${server.address.url}/api/settings`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('settings over the control API', () => {
  it('reads, patches and refuses what can never be right', async () => {
    expect(await (await call('GET')).json()).toEqual({ result: { ...DEFAULT_SETTINGS, language: 'system' } });
    const saved = await call('POST', { language: 'zh-CN' });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ result: { ...DEFAULT_SETTINGS, language: 'zh-CN' } });
    expect(JSON.parse(storage.text!)).toEqual({ ...DEFAULT_SETTINGS, language: 'zh-CN' });
    const bad = await call('POST', { language: 'fr' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: 'bad-request', message: expect.stringContaining('language must be one of') as unknown },
    });
    expect(await (await call('GET')).json()).toEqual({ result: { ...DEFAULT_SETTINGS, language: 'zh-CN' } });
    const noToken = await fetch(`${server.address.url}/api/settings`);
    expect(noToken.status).toBe(401);
  });

  it('pushes the settings to an open dashboard when another one changes them', async () => {
    const abort = new AbortController();
    const stream = await fetch(`${server.address.url}/api/events?token=${TOKEN}`, { signal: abort.signal });
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const settingsEvents = (): unknown[] =>
      [...text.matchAll(/event: settings\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]!) as unknown);
    const readUntil = async (done: () => boolean): Promise<void> => {
      const deadline = Date.now() + 5000;
      while (!done() && Date.now() < deadline) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += decoder.decode(chunk.value as Uint8Array, { stream: true });
      }
    };
    try {
      await readUntil(() => settingsEvents().length >= 1);
      expect(settingsEvents()).toEqual([{ ...DEFAULT_SETTINGS, language: 'system' }]);
      await call('POST', { language: 'en' });
      await readUntil(() => settingsEvents().length >= 2);
      expect(settingsEvents()).toEqual([
        { ...DEFAULT_SETTINGS, language: 'system' },
        { ...DEFAULT_SETTINGS, language: 'en' },
      ]);
    } finally {
      abort.abort();
    }
  });
});
