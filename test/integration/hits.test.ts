/**
 * Live hits against real Docker, Consul and nginx: the counts per backend
 * match what the client saw, the rates fall to zero for backends that are
 * scaled away (and their log streams close), the timeline shows each new
 * container's whole discovery chain, and a web image that logs nothing is
 * counted from nginx's access log instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HitsSnapshot, TimelineEvent } from '../../contract/index.js';
import type { Engine } from '../../main/engine/engine.js';
import type { DiscoveryService } from '../../main/service/discovery-service.js';
import { runLoad } from '../../main/engine/traffic/load-loop.js';
import { docker } from '../support/docker-fixtures.js';
import { removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { TEST_LABEL, testImages } from '../support/images.js';
import { waitFor } from '../support/wait.js';

const ip = (address: string): string => address.split(':')[0]!;

function totalsByIp(hits: HitsSnapshot): Record<string, number> {
  return Object.fromEntries(hits.backends.map((b) => [ip(b.address), b.total]));
}

function webContainerIds(app: DiscoveryService): string[] {
  return (app.getStatus().services.find((s) => s.name === 'web')?.instances ?? []).map((i) => i.containerId);
}

describe('hits from the web logs (simple-web)', () => {
  let engine: Engine;
  let app: DiscoveryService;
  let lbUrl: string;

  beforeAll(async () => {
    ({ engine, app } = await startTestEngine({ webCount: 3 }));
    lbUrl = app.getStatus().lb.url;
  });

  afterAll(async () => {
    app?.stopTraffic();
    await removeTestStack({ engine });
  });

  it('counts per backend what the load loop saw, with the round-robin order', async () => {
    await waitFor(
      'one log stream per web container',
      () => (engine.parts?.hits?.openLogStreams() ?? { web: 0, lb: 0 }).web === 3,
      {
        timeoutMs: 10_000,
      },
    );
    const before = totalsByIp(app.getHits());
    const report = await runLoad({
      url: lbUrl,
      total: 300,
      concurrency: 3,
      deadlineMs: 60_000,
      mix: ['get', 'post'],
    });
    // A request the client gave up on (a busy shared machine) may still have been served and counted.
    expect(report.failed, JSON.stringify(report.failures.slice(0, 3))).toBeLessThanOrEqual(6);
    const tolerance = 2 + report.failed;
    expect(Object.keys(report.byBackend)).toHaveLength(3);
    const sentTotal = Object.values(report.byBackend).reduce((a, b) => a + b, 0);
    expect(sentTotal).toBe(300 - report.failed);

    // The log lines arrive a little after the answers: wait (bounded) until all are counted.
    const hits = await waitFor(
      'the hits to catch up with the load',
      () => {
        const now = app.getHits();
        const after = totalsByIp(now);
        const counted = Object.keys(report.byBackend).reduce(
          (a, k) => a + (after[k] ?? 0) - (before[k] ?? 0),
          0,
        );
        return counted >= sentTotal ? now : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(hits.source).toBe('web-logs');
    const after = totalsByIp(hits);
    for (const [backend, seen] of Object.entries(report.byBackend)) {
      const counted = (after[backend] ?? 0) - (before[backend] ?? 0);
      expect(
        Math.abs(counted - seen),
        `${backend}: counted ${counted}, the client saw ${seen}`,
      ).toBeLessThanOrEqual(tolerance);
    }
    for (const b of hits.backends) {
      expect(b.address).toMatch(/^\d+\.\d+\.\d+\.\d+:80$/);
      expect(b.series).toHaveLength(60);
      expect(b.containerName).toMatch(/web/);
    }
    // Shares cover complete seconds, and 300 requests can fit in the current one: wait for it to end.
    const shared = await waitFor(
      'a complete second with the load in it',
      () => {
        const now = app.getHits();
        return now.backends.some((b) => b.share > 0) ? now : undefined;
      },
      { timeoutMs: 3000, intervalMs: 50 },
    );
    expect(shared.backends.reduce((a, b) => a + b.share, 0)).toBeCloseTo(1, 5);
    expect(hits.recent).toHaveLength(50);
    // Requests rotate over all three. (The order is the order the three log streams arrive in, which
    // a busy machine can shuffle within a few requests: judge the window, not every neighbour.)
    expect(new Set(hits.recent.slice(-12)).size).toBe(3);
    for (const backend of new Set(hits.recent)) {
      const share = hits.recent.filter((address) => address === backend).length / hits.recent.length;
      expect(share, `${backend} served ${share} of the recent requests`).toBeGreaterThan(0.2);
      expect(share).toBeLessThan(0.47);
    }
  });

  it('pushes one aggregated snapshot about once a second, not one per hit', async () => {
    const pushed: HitsSnapshot[] = [];
    const off = engine.hitsChanged.on((s) => pushed.push(s));
    try {
      const report = await runLoad({
        url: lbUrl,
        total: 150,
        concurrency: 3,
        deadlineMs: 30_000,
        mix: ['get'],
      });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const elapsedSeconds = pushed.length > 1 ? (pushed.at(-1)!.at - pushed[0]!.at) / 1000 : 0;
      expect(report.sent).toBe(150);
      expect(pushed.length).toBeGreaterThan(0);
      // 150 hits, but at most one push per second (plus the edges).
      expect(pushed.length).toBeLessThanOrEqual(Math.ceil(elapsedSeconds) + 2);
    } finally {
      off();
    }
  });

  it('drops the per-second rate of scaled-away backends to 0 and closes their log streams', async () => {
    const idsBefore = webContainerIds(app);
    expect(idsBefore).toHaveLength(3);
    const down = await app.call('scale', { service: 'web', count: 1 });
    expect(down.running).toBe(1);
    const [kept] = webContainerIds(app);
    const keptAddress = app.getStatus().services.find((s) => s.name === 'web')!.instances[0]!;
    const removed = idsBefore.filter((id) => id !== kept);

    await waitFor(
      'the log streams of the removed containers to close',
      () => (engine.parts?.hits?.openLogStreams() ?? { web: 0, lb: 0 }).web === 1,
      {
        timeoutMs: 10_000,
      },
    );
    expect(engine.parts?.hits?.openLogStreams() ?? { web: 0, lb: 0 }).toEqual({ web: 1, lb: 1 });
    expect(removed).toHaveLength(2);

    // Keep traffic flowing (bounded) so that the kept backend has a rate and the others visibly none.
    app.startTraffic({ ratePerSecond: 20, durationSeconds: 6 });
    const hits = await waitFor(
      'only the kept backend to serve',
      () => {
        const now = app.getHits();
        const keptRow = now.backends.find((b) => b.address === `${keptAddress.address}:${keptAddress.port}`);
        const others = now.backends.filter((b) => b !== keptRow && b.total > 0);
        return keptRow &&
          keptRow.perSecond > 0 &&
          others.length === 2 &&
          others.every((b) => b.perSecond === 0)
          ? now
          : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    // The removed backends stay listed (their totals and series) until their window runs out.
    expect(hits.backends.filter((b) => b.total > 0)).toHaveLength(3);
    app.stopTraffic();
    await engine.traffic.idle();
  });

  it('puts the whole discovery chain of a new container on the timeline, in order', async () => {
    const before = new Set(webContainerIds(app));
    const up = await app.call('scale', { service: 'web', count: 2 });
    expect(up.running).toBe(2);
    const added = webContainerIds(app).find((id) => !before.has(id));
    expect(added).toBeDefined();
    app.startTraffic({ ratePerSecond: 20, durationSeconds: 5 });
    const chain = await waitFor(
      'the new container to serve its first request',
      () => {
        const events = engine.timeline.list().filter((e) => e.containerId === added);
        return events.some((e) => e.kind === 'first-request') ? events : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    app.stopTraffic();
    await engine.traffic.idle();
    const kinds = chain.map((e) => e.kind);
    expect(kinds).toEqual([
      'container-started',
      'registered',
      'template-rendered',
      'lb-reloaded',
      'first-request',
    ]);
    assertPlausibleChain(chain);

    // And status --json carries the recent timeline.
    const status = app.getStatus();
    expect(status.timeline?.length).toBeGreaterThan(0);
    expect(status.timeline?.length).toBeLessThanOrEqual(100);
    expect(status.timeline?.some((e) => e.containerId === added && e.kind === 'first-request')).toBe(true);

    // The reverse on scale-down: out of Consul, out of the config, nginx reloaded, then stopped.
    await app.call('scale', { service: 'web', count: 1 });
    const gone = engine.timeline
      .list()
      .filter((e) => e.containerId === added && e.seq > chain.at(-1)!.seq)
      .map((e) => e.kind);
    expect(gone.slice(0, 3)).toEqual(['deregistered', 'template-rendered', 'lb-reloaded']);
    expect(gone).toContain('container-stopped');
  });
});

function assertPlausibleChain(chain: TimelineEvent[]): void {
  for (let i = 1; i < chain.length; i++) {
    const step = chain[i]!;
    expect(step.seq).toBeGreaterThan(chain[i - 1]!.seq);
    expect(step.at, `${step.kind} after ${chain[i - 1]!.kind}`).toBeGreaterThanOrEqual(chain[i - 1]!.at);
    expect(step.sincePreviousMs, step.kind).toBeGreaterThanOrEqual(0);
    expect(step.sincePreviousMs, step.kind).toBeLessThan(20_000);
  }
  const total = chain.at(-1)!.at - chain[0]!.at;
  expect(total).toBeGreaterThan(0);
  expect(total).toBeLessThan(30_000);
}

describe('hits from the LB access log (a web image that logs nothing)', () => {
  const runId = `hits-${process.pid}`;
  const image = `discovery-tray-test/silent-web:${runId}`;
  let engine: Engine | undefined;
  let app: DiscoveryService | undefined;

  beforeAll(async () => {
    // A busybox httpd serving a static page: not one line per request on its stdout.
    const builder = await docker.createContainer({
      Image: testImages.busybox,
      Cmd: ['sh', '-c', 'mkdir -p /www && echo "<h1>silent</h1>" > /www/index.html'],
      Labels: { [TEST_LABEL]: runId },
    });
    try {
      await builder.start();
      await builder.wait();
      await builder.commit({
        repo: 'discovery-tray-test/silent-web',
        tag: runId,
        changes: [
          `CMD ["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 80 -h /www & wait"]`,
          'EXPOSE 80',
          `LABEL ${TEST_LABEL}=${runId}`,
        ],
      });
    } finally {
      await builder.remove({ force: true }).catch(() => undefined);
    }
    ({ engine, app } = await startTestEngine({ webCount: 2, images: { ...baseImages(), web: image } }));
  });

  afterAll(async () => {
    await removeTestStack({ engine });
    await docker
      .getImage(image)
      .remove({ force: true })
      .catch(() => undefined);
  });

  it('switches to the access log by itself and counts every request there', async () => {
    const lbUrl = app!.getStatus().lb.url;
    const report = await runLoad({
      url: lbUrl,
      total: 120,
      concurrency: 2,
      deadlineMs: 60_000,
      mix: ['get'],
    });
    expect(report.failed, JSON.stringify(report.failures.slice(0, 3))).toBeLessThanOrEqual(3);
    // The page says nothing about who served it: only nginx knows.
    expect(report.byBackend).toEqual({});
    const hits = await waitFor(
      'the access log to be chosen and all requests counted',
      () => {
        const now = app!.getHits();
        const total = now.backends.reduce((a, b) => a + b.total, 0);
        return now.source === 'lb-access-log' && total >= 120 - report.failed ? now : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    const counted = hits.backends.reduce((a, b) => a + b.total, 0);
    expect(counted).toBeGreaterThanOrEqual(120 - report.failed);
    expect(counted).toBeLessThanOrEqual(120);
    const served = hits.backends.filter((b) => b.total > 0);
    expect(served).toHaveLength(2);
    for (const b of served) expect(b.total).toBeGreaterThan(120 / 4);
    expect(new Set(hits.recent.slice(-4)).size).toBe(2);
    expect(app!.getStatus().hitsSource).toBe('lb-access-log');
  });
});

function baseImages(): { consul: string; lb: string; web: string; webBase: string } {
  return { consul: testImages.consul, lb: testImages.lb, web: testImages.web, webBase: testImages.python };
}
