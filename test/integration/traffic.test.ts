/**
 * The traffic generator and the live event stream, through the control API,
 * against real Docker, Consul and nginx: the rate is kept (within 10 % at
 * 50/s), the generator stops by itself at its deadline, bad requests change
 * nothing, and GET /api/events pushes batched `status`, `hits`, `timeline`
 * and `traffic` events at most about once a second each.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, HitsSnapshot, TrafficStatus } from '../../contract/index.js';
import type { Engine } from '../../main/engine/engine.js';
import type { DiscoveryService } from '../../main/service/discovery-service.js';
import type { ControlServer } from '../../main/server/control-server.js';
import { sseFrames } from '../../main/server/sse-frames.js';
import { controlServerFor, removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { waitFor } from '../support/wait.js';

const TOKEN = 'traffic-test-token-0123456789';

interface SseEvent {
  event: string;
  data: unknown;
  receivedAt: number;
}

describe('traffic generator and event stream (real Docker, Consul, nginx)', () => {
  let engine: Engine;
  let app: DiscoveryService;
  let server: ControlServer;
  let api: string;

  beforeAll(async () => {
    ({ engine, app } = await startTestEngine({ webCount: 2 }));
    server = controlServerFor(app, TOKEN);
    await server.listen();
    api = server.address.url;
  });

  afterAll(async () => {
    await server?.close();
    app?.stopTraffic();
    await removeTestStack({ engine });
  });

  async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; payload: ApiResult<T> }> {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, payload: (await response.json()) as ApiResult<T> };
  }

  function result<T>(payload: ApiResult<T>): T {
    if ('error' in payload) throw new Error(payload.error.message);
    return payload.result;
  }

  /** Reads the event stream until `stop` resolves; returns what arrived and whether the server ended it. */
  async function readEvents(
    path: string,
    stop: Promise<unknown>,
  ): Promise<{ events: SseEvent[]; endedByServer: boolean }> {
    const abort = new AbortController();
    const response = await fetch(`${api}${path}`, { signal: abort.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events: SseEvent[] = [];
    let endedByServer = false;
    let stopped = false;
    void stop.then(() => {
      stopped = true;
      abort.abort();
    });
    try {
      for await (const { event, data } of sseFrames(response.body as AsyncIterable<Uint8Array>)) {
        events.push({ event, data: JSON.parse(data) as unknown, receivedAt: Date.now() });
      }
      endedByServer = !stopped;
    } catch (error) {
      if (!stopped) throw error;
    }
    return { events, endedByServer };
  }

  it('refuses bad traffic requests and changes nothing', async () => {
    for (const body of [
      { ratePerSecond: 0, durationSeconds: 5 },
      { ratePerSecond: 201, durationSeconds: 5 },
      { ratePerSecond: 10, durationSeconds: 3601 },
      { ratePerSecond: 'lots', durationSeconds: 5 },
    ]) {
      const { status, payload } = await call<TrafficStatus>('POST', '/api/traffic', body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect('error' in payload && payload.error.code).toBe('bad-request');
      expect('error' in payload && payload.error.message).toMatch(/from 1 to (200|3600)/);
    }
    const now = result((await call<TrafficStatus>('GET', '/api/traffic')).payload);
    expect(now).toMatchObject({ running: false, sent: 0 });
  });

  it('keeps 50 requests per second within 10 %, stops by itself at its deadline, and streams batched events', async () => {
    let trafficDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (trafficDone = resolve));
    const reading = readEvents(`/api/events?token=${TOKEN}`, done);
    await waitFor('the event stream to be open', () => server.eventClients === 1, { timeoutMs: 5000 });

    const startedAt = Date.now();
    const started = result(
      (await call<TrafficStatus>('POST', '/api/traffic', { ratePerSecond: 50, durationSeconds: 4 })).payload,
    );
    expect(started).toMatchObject({ running: true, ratePerSecond: 50 });
    expect(started.endsAt! - started.startedAt!).toBe(4000);

    const final = await waitFor(
      'the generator to stop by itself',
      async () => {
        const status = result((await call<TrafficStatus>('GET', '/api/traffic')).payload);
        return status.running ? undefined : status;
      },
      { timeoutMs: 15_000, intervalMs: 50 },
    );
    const stoppedAfterMs = Date.now() - startedAt;
    await engine.traffic.idle();
    // Let the last hits reach a snapshot, then stop reading.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    trafficDone();
    const { events } = await reading;

    // It stopped by itself, at its deadline (not before, and not long after).
    expect(stoppedAfterMs).toBeGreaterThanOrEqual(3900);
    expect(stoppedAfterMs).toBeLessThan(6000);
    const status = app.getTraffic();
    // 50/s for 4 s: 200 requests, within 10 %.
    expect(status.sent).toBeGreaterThanOrEqual(180);
    expect(status.sent).toBeLessThanOrEqual(220);
    expect(status.succeeded + status.failed).toBe(status.sent);
    // Every request came back one way or the other; on a calm machine none fail (a busy shared one
    // can make simple-web slower than the 5 s timeout: that is the LB's answer, not the rate's).
    expect(status.succeeded, status.lastError).toBeGreaterThan(status.sent / 2);
    expect(status.latencyMs?.p50).toBeGreaterThan(0);
    expect(status.latencyMs!.p99).toBeGreaterThanOrEqual(status.latencyMs!.p95);
    expect(Object.keys(status.byBackend)).toHaveLength(2);
    expect(final.running).toBe(false);

    // Seen from the backends: the hits of the run add up to what succeeded.
    const hits = app.getHits();
    const perSecond = hits.backends[0]!.series.map((_, i) =>
      hits.backends.reduce((a, b) => a + b.series[i]!, 0),
    );
    expect(perSecond.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(status.succeeded - 2);

    // The stream: an initial picture, then batches, each kind at most about once a second.
    const kinds = new Set(events.map((e) => e.event));
    for (const kind of ['status', 'hits', 'traffic']) expect(kinds, kind).toContain(kind);
    const seconds = (events.at(-1)!.receivedAt - events[0]!.receivedAt) / 1000;
    for (const kind of ['status', 'hits', 'traffic', 'timeline']) {
      const count = events.filter((e) => e.event === kind).length;
      expect(count, kind).toBeLessThanOrEqual(Math.ceil(seconds) + 2);
    }
    const lastTraffic = events.filter((e) => e.event === 'traffic').at(-1)!.data as TrafficStatus;
    expect(lastTraffic.running).toBe(false);
    const hitsEvents = events.filter((e) => e.event === 'hits').map((e) => e.data as HitsSnapshot);
    expect(hitsEvents.some((h) => h.backends.some((b) => b.perSecond > 0))).toBe(true);
  });

  it('stops on request', async () => {
    result(
      (await call<TrafficStatus>('POST', '/api/traffic', { ratePerSecond: 20, durationSeconds: 60 })).payload,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stopped = result((await call<TrafficStatus>('POST', '/api/traffic/stop')).payload);
    expect(stopped.running).toBe(false);
    await engine.traffic.idle();
    const sent = app.getTraffic().sent;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(40);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(app.getTraffic().sent).toBe(sent);
  });

  it('serves hits over the API, and keeps the event stream behind the token and the Host check', async () => {
    const hits = result((await call<HitsSnapshot>('GET', '/api/hits')).payload);
    expect(hits.source).toBe('web-logs');
    expect(hits.backends.length).toBeGreaterThanOrEqual(2);

    expect((await fetch(`${api}/api/events`, { signal: AbortSignal.timeout(5000) })).status).toBe(401);
    expect((await fetch(`${api}/api/events?token=wrong`, { signal: AbortSignal.timeout(5000) })).status).toBe(
      401,
    );
    // The query token is for the event stream only.
    expect(
      (await fetch(`${api}/api/status?token=${TOKEN}`, { signal: AbortSignal.timeout(5000) })).status,
    ).toBe(401);
    expect(await statusWithHost(`/api/events?token=${TOKEN}`, 'evil.example:80')).toBe(403);
  });

  it('ends open event streams when the server closes', async () => {
    let never: () => void = () => undefined;
    const reading = readEvents(
      `/api/events?token=${TOKEN}`,
      new Promise<void>((resolve) => (never = resolve)),
    );
    await waitFor('the event stream to be open', () => server.eventClients === 1, { timeoutMs: 5000 });
    await server.close();
    const { events, endedByServer } = await Promise.race([
      reading,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('stream still open')), 5000)),
    ]);
    never();
    expect(endedByServer).toBe(true);
    expect(events.map((e) => e.event)).toContain('status');
    expect(server.eventClients).toBe(0);
  });

  function statusWithHost(path: string, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request(`${api}${path}`, { headers: { host }, timeout: 5000 }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
  }
});
