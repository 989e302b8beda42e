import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineStatus, HitsSnapshot } from '../../contract/index';
import type { ConnectionState } from '../../renderer/src/api/connection';
import { createHttpApi, type EventSourceLike, type HttpApi } from '../../renderer/src/api/http-api';
import { TOKEN_STORAGE_KEY, takeToken } from '../../renderer/src/api/token';
import { engineStatus, hitsSnapshot } from '../../renderer/src/test/api-stub';

const BASE = 'http://127.0.0.1:7311';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** An EventSource whose life the test drives. */
class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((ev: Event) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  closed = false;
  private readonly handlers = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  fail(closed: boolean): void {
    this.readyState = closed ? 2 : 0;
    this.onerror?.(new Event('error'));
  }
  send(type: string, data: unknown, raw = false): void {
    const text = raw ? String(data) : JSON.stringify(data);
    for (const h of this.handlers.get(type) ?? []) h(new MessageEvent(type, { data: text }));
  }
}

afterEach(() => {
  FakeEventSource.instances = [];
  vi.useRealTimers();
});

describe('HTTP client of the contract', () => {
  it('sends the bearer token and JSON, and passes ApiResult replies through', async () => {
    const fetch = vi.fn(() =>
      Promise.resolve(
        jsonResponse(200, {
          result: { service: 'web', desired: 3, running: 1, superseded: false, warnings: [] },
        }),
      ),
    );
    const api = createHttpApi({ baseUrl: `${BASE}/`, token: 's3cret', fetch });
    const reply = await api.scale({ service: 'web', count: 3 });
    expect(reply).toEqual({
      result: { service: 'web', desired: 3, running: 1, superseded: false, warnings: [] },
    });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(`${BASE}/api/scale`);
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer s3cret');
    expect((init.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect(init.body).toBe('{"service":"web","count":3}');
    expect(init.credentials).toBe('omit');
  });

  it('maps every contract call to its route', async () => {
    const fetch = vi.fn(() => Promise.resolve(jsonResponse(200, { result: null })));
    const api = createHttpApi({ baseUrl: BASE, token: 't', fetch });
    await api.getStatus();
    await api.getHits();
    await api.getTraffic();
    await api.startTraffic({ ratePerSecond: 10, durationSeconds: 5 });
    await api.stopTraffic();
    await api.getTimeline({ after: 42 });
    await api.getTemplate();
    await api.setTemplate({ source: 'x' });
    await api.startDemo();
    await api.stopDemo();
    const calls = (fetch.mock.calls as unknown as [string, RequestInit][]).map(
      ([url, init]) => `${init.method} ${url.slice(BASE.length)}`,
    );
    expect(calls).toEqual([
      'GET /api/status',
      'GET /api/hits',
      'GET /api/traffic',
      'POST /api/traffic',
      'POST /api/traffic/stop',
      'GET /api/timeline?after=42',
      'GET /api/template',
      'POST /api/template',
      'POST /api/demo/start',
      'POST /api/demo/stop',
    ]);
  });

  it('passes the server’s error envelope through (e.g. a refused count)', async () => {
    const fetch = vi.fn(() =>
      Promise.resolve(
        jsonResponse(400, { error: { message: 'Count must be 0 to 100.', code: 'bad-request' } }),
      ),
    );
    const api = createHttpApi({ baseUrl: BASE, token: 't', fetch });
    expect(await api.scale({ service: 'web', count: 99 })).toEqual({
      error: { message: 'Count must be 0 to 100.', code: 'bad-request' },
    });
  });

  it('turns an unreachable server and a non-JSON reply into clear errors, never a throw', async () => {
    const down = createHttpApi({
      baseUrl: BASE,
      token: 't',
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    const reply = await down.getStatus();
    expect(reply).toMatchObject({ error: { code: 'unreachable' } });
    expect('error' in reply && reply.error.message).toContain(
      'Cannot reach the engine at http://127.0.0.1:7311',
    );
    expect('error' in reply && reply.error.message).toContain('discovery-tray up');
    const html = createHttpApi({
      baseUrl: BASE,
      token: 't',
      fetch: () => Promise.resolve(new Response('<html>', { status: 502 })),
    });
    const bad = await html.getHits();
    expect('error' in bad && bad.error.code).toBe('bad-response');
    expect('error' in bad && bad.error.message).toContain('HTTP 502');
  });

  it('says how to get a token when the page has none', async () => {
    const fetch = vi.fn();
    const api = createHttpApi({ baseUrl: BASE, token: undefined, fetch });
    const reply = await api.getStatus();
    expect('error' in reply && reply.error.code).toBe('no-token');
    expect('error' in reply && reply.error.message).toContain('#token=');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('delivers status, hits, timeline and traffic from one EventSource with the token in the query', () => {
    const api = createHttpApi({ baseUrl: BASE, token: 'a b', fetch: vi.fn(), EventSource: FakeEventSource });
    const states: ConnectionState[] = [];
    api.onConnection((s) => states.push(s));
    const statuses: EngineStatus[] = [];
    const hits: HitsSnapshot[] = [];
    const offStatus = api.subscribe('status', (s) => statuses.push(s));
    const offHits = api.subscribe('hits', (h) => hits.push(h));
    expect(FakeEventSource.instances).toHaveLength(1);
    const source = FakeEventSource.instances[0]!;
    expect(source.url).toBe(`${BASE}/api/events?token=a%20b`);
    source.open();
    source.send('status', engineStatus());
    source.send('hits', hitsSnapshot(1, []));
    source.send('hits', 'not json {', true);
    source.send('hits', 'a string');
    source.send('status', { unrelated: true });
    expect(statuses).toHaveLength(1);
    expect(hits).toHaveLength(1);
    expect(states).toEqual(['connecting', 'live']);
    offStatus();
    expect(source.closed).toBe(false);
    offHits();
    expect(source.closed).toBe(true);
  });

  it('reconnects with backoff when the stream is refused, and polls meanwhile', async () => {
    vi.useFakeTimers();
    const fetch = vi.fn((url: string) =>
      Promise.resolve(jsonResponse(200, { result: url.endsWith('/api/status') ? engineStatus() : [] })),
    );
    const api = createHttpApi({
      baseUrl: BASE,
      token: 't',
      fetch: fetch as unknown as typeof globalThis.fetch,
      EventSource: FakeEventSource,
      reconnectMinMs: 100,
      reconnectMaxMs: 400,
      pollIntervalMs: 1000,
    });
    const states: ConnectionState[] = [];
    api.onConnection((s) => states.push(s));
    const statuses: EngineStatus[] = [];
    api.subscribe('status', (s) => statuses.push(s));
    // 404 before the route exists: EventSource closes for good.
    FakeEventSource.instances[0]!.fail(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses).toHaveLength(1);
    expect(states).toContain('polling');
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeEventSource.instances).toHaveLength(2);
    FakeEventSource.instances[1]!.fail(true);
    await vi.advanceTimersByTimeAsync(150);
    expect(FakeEventSource.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeEventSource.instances).toHaveLength(3);
    FakeEventSource.instances[2]!.open();
    expect(states[states.length - 1]).toBe('live');
    const polls = fetch.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetch.mock.calls.length).toBe(polls);
    api.close();
  });

  it('reports an unreachable engine and a refused token from the polls', async () => {
    vi.useFakeTimers();
    const fetch = vi
      .fn()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValue(
        jsonResponse(401, { error: { message: 'Missing or wrong token.', code: 'unauthorized' } }),
      );
    const api = createHttpApi({
      baseUrl: BASE,
      token: 't',
      fetch,
      EventSource: FakeEventSource,
      pollIntervalMs: 1000,
      reconnectMinMs: 60_000,
    });
    const states: ConnectionState[] = [];
    api.onConnection((s) => states.push(s));
    api.subscribe('status', () => undefined);
    FakeEventSource.instances[0]!.fail(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(states[states.length - 1]).toBe('unreachable');
    await vi.advanceTimersByTimeAsync(1000);
    expect(states[states.length - 1]).toBe('unauthorized');
    api.close();
  });
});

describe('token from the dashboard URL', () => {
  function env(href: string, stored?: string) {
    const storage = new Map<string, string>(stored ? [[TOKEN_STORAGE_KEY, stored]] : []);
    const replaced: string[] = [];
    return {
      replaced,
      storage,
      env: {
        location: { href },
        history: {
          state: null,
          replaceState: (_s: unknown, _t: string, url?: string | URL | null) =>
            void replaced.push(String(url)),
        },
        storage: {
          getItem: (k: string) => storage.get(k) ?? null,
          setItem: (k: string, v: string) => void storage.set(k, v),
        },
      },
    };
  }

  it('reads ?token=, keeps it in sessionStorage and removes it from the visible URL', () => {
    const t = env('http://127.0.0.1:7311/?token=abc&x=1#view');
    expect(takeToken(t.env)).toBe('abc');
    expect(t.storage.get(TOKEN_STORAGE_KEY)).toBe('abc');
    expect(t.replaced).toEqual(['http://127.0.0.1:7311/?x=1#view']);
  });

  it('reads #token= as well', () => {
    const t = env('http://127.0.0.1:7311/#token=def');
    expect(takeToken(t.env)).toBe('def');
    expect(t.replaced).toEqual(['http://127.0.0.1:7311/']);
  });

  it('falls back to the stored token after a reload, and leaves the URL alone', () => {
    const t = env('http://127.0.0.1:7311/', 'kept');
    expect(takeToken(t.env)).toBe('kept');
    expect(t.replaced).toEqual([]);
  });
});

describe('pickApi', () => {
  it('uses the preload bridge when Electron exposes one, else the HTTP client with the URL token', async () => {
    const { pickApi } = await import('../../renderer/src/api/pick-api');
    const bridge = { marker: 'bridge' } as unknown as NonNullable<Window['discoveryTray']>;
    window.discoveryTray = bridge;
    expect(pickApi(window)).toBe(bridge);
    delete window.discoveryTray;
    window.history.replaceState(null, '', '/?token=from-url');
    const api = pickApi(window);
    expect(api).not.toBe(bridge);
    expect(typeof (api as Partial<HttpApi>).onConnection).toBe('function');
    expect(window.location.search).toBe('');
    expect(window.sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('from-url');
  });
});
