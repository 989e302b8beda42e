/**
 * The classic demo, headless, against real Docker, Consul and nginx:
 * one backend answers; scale to 3 and nginx round-robins over three; back to 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../contract/index.js';
import type { Engine } from '../../main/engine/engine.js';
import type { DiscoveryService } from '../../main/service/discovery-service.js';
import { probe } from '../../main/engine/traffic/http-probe.js';
import { runLoad } from '../../main/engine/traffic/load-loop.js';
import { removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { waitFor } from '../support/wait.js';

async function backendsOf(url: string, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    const result = await probe(url, 'get');
    expect(result.ok, result.error).toBe(true);
    seen.push(result.backend ?? 'unknown');
  }
  return seen;
}

describe('the classic demo (real Docker, Consul, nginx)', () => {
  let engine: Engine;
  let app: DiscoveryService;
  let lbUrl: string;

  beforeAll(async () => {
    ({ engine, app } = await startTestEngine({ webCount: 1 }));
    lbUrl = app.getStatus().lb.url;
  });

  afterAll(async () => {
    await removeTestStack({ engine });
  });

  it('routes every request to the one backend, then round-robins over three, then one again', async () => {
    const one = await backendsOf(lbUrl, 6);
    expect(new Set(one).size).toBe(1);

    const up = await app.call('scale', { service: 'web', count: 3 });
    expect(up).toMatchObject({ desired: 3, running: 3, superseded: false, warnings: [] });
    const three = await backendsOf(lbUrl, 6);
    expect(new Set(three).size).toBe(3);
    // In turn: each window of three consecutive requests covers all three backends.
    for (let i = 0; i + 3 <= three.length; i += 3) expect(new Set(three.slice(i, i + 3)).size).toBe(3);

    const web = app.getStatus().services.find((s) => s.name === 'web');
    expect(web?.instances.filter((i) => i.state === 'serving')).toHaveLength(3);

    const down = await app.call('scale', { service: 'web', count: 1 });
    expect(down).toMatchObject({ desired: 1, running: 1 });
    const again = await backendsOf(lbUrl, 6);
    expect(new Set(again).size).toBe(1);
  });

  it('drops not one request while scaling 3 → 1 → 3 under GET, POST and slow load', async () => {
    await app.call('scale', { service: 'web', count: 3 });
    let loadDone = false;
    const load = runLoad({
      url: lbUrl,
      total: 2000,
      concurrency: 4,
      deadlineMs: 150_000,
      // POSTs are never retried by nginx, and slow requests are in flight when a backend goes.
      mix: ['get', 'post', 'get', 'post', 'get', 'post', 'slow'],
      slowDelayMs: 300,
    }).finally(() => (loadDone = true));

    // Scale down and up again, over and over, for as long as the load runs (bounded).
    let cyclesUnderLoad = 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (let cycle = 0; cycle < 10 && !loadDone; cycle++) {
      await app.call('scale', { service: 'web', count: 1 });
      await app.call('scale', { service: 'web', count: 3 });
      if (!loadDone) cyclesUnderLoad++;
    }
    const report = await load;

    expect(cyclesUnderLoad).toBeGreaterThanOrEqual(1);
    expect(report.sent).toBe(2000);
    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.byKind.post).toBeGreaterThan(800);
    expect(report.byKind.slow).toBeGreaterThan(250);
    // Backends came and went: more distinct backends served than ever ran at once.
    expect(Object.keys(report.byBackend).length).toBeGreaterThanOrEqual(3);
    // 2,000 requests of which a seventh take 300 ms, on 2 cores: give it room.
  }, 300_000);

  it('refuses bad scale values and changes nothing', async () => {
    const before = app.getStatus().services.find((s) => s.name === 'web')?.running;
    for (const [service, count] of [
      ['web', -1],
      ['web', 1.5],
      ['web', LIMITS.maxWebInstances + 1],
      ['web', 'three'],
      ['db', 2],
    ] as const) {
      // As a front end would send them: through the contract's validator.
      await expect(app.call('scale', { service, count } as never)).rejects.toThrow(/Nothing was changed/);
    }
    expect(app.getStatus().services.find((s) => s.name === 'web')?.running).toBe(before);
  });

  it('keeps the last good config serving when the template breaks, and reports the error', async () => {
    const good = app.getTemplate().source;
    const generation = app.getStatus().lb.generation;

    // 1. A template syntax error is refused and shown; nginx never sees it.
    await expect(
      app.setTemplate({ source: 'upstream app {\n  {{range service "backend.web"}\n}' }),
    ).rejects.toThrow(/line 2|2:/);
    expect(app.getStatus().template.lastError?.message).toMatch(/2:/);
    expect((await probe(lbUrl, 'get')).ok).toBe(true);

    // 2. A template that renders an invalid nginx config: nginx -t refuses it, the old config keeps serving.
    await app.setTemplate({
      source: good.replace('least_conn;', 'least_conn;\n  this_is_not_a_directive on;'),
    });
    await waitForLbError(app);
    const status = app.getStatus();
    expect(status.lb.lastError?.message).toMatch(/unknown directive "this_is_not_a_directive"/);
    expect(status.lb.lastError?.excerpt?.join('\n')).toContain('this_is_not_a_directive');
    expect(status.lb.generation).toBe(generation);
    expect((await probe(lbUrl, 'post')).ok).toBe(true);

    // 3. Back to the good template: it renders what nginx already serves, and every error clears
    //    (the refused config's too, or the tray and the status bar would stay red for nothing).
    await app.setTemplate({ source: good });
    const deadline = Date.now() + 5000;
    while (app.getStatus().lb.lastError && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(app.getStatus().template.lastError).toBeUndefined();
    expect(app.getStatus().lb.lastError).toBeUndefined();
    expect(app.getStatus().lb.generation).toBe(generation);
    expect((await probe(lbUrl, 'get')).ok).toBe(true);
  });

  it('refuses a template calling vault or secret, naming the function; the last good config keeps serving', async () => {
    // Run alone, the test may start before the web backend is in the config: first, it serves.
    await waitFor('the LB to answer from a web backend', async () => (await probe(lbUrl, 'get')).ok, {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    const good = app.getTemplate().source;
    const generation = app.getStatus().lb.generation;
    const historyBefore = await app.call('getTemplateHistory');
    const webAddresses = (): string[] =>
      (app.getStatus().services.find((s) => s.name === 'web')?.instances ?? []).map((i) => i.address);
    for (const [name, call] of [
      ['vault', '{{ with vault "secret/lb" }}{{ .Data.key }}{{ end }}'],
      ['secret', '{{ with secret "secret/lb" }}{{ .Data.key }}{{ end }}'],
    ] as const) {
      // Through the contract's validator, as the dashboard and the CLI send it.
      const refusal: unknown = await app
        .call('setTemplate', { source: `${good}\n# ${call}\n` })
        .catch((e: unknown) => e);
      expect(refusal).toMatchObject({ code: 'bad-template' });
      expect((refusal as Error).message).toContain(`function "${name}" not defined`);
      const status = app.getStatus();
      expect(status.template.lastError?.message).toContain(`function "${name}" not defined`);
      expect(status.template.lastError?.line).toBe(good.split('\n').length + 1);
      expect(status.lb.generation).toBe(generation);
      expect(app.getTemplate().source).toBe(good);
      // Answered by the web backends, through the LB on 127.0.0.1, as before.
      for (const backend of await backendsOf(lbUrl, 5)) expect(webAddresses()).toContain(backend);
    }
    // Nothing refused is kept for the next start.
    expect(await app.call('getTemplateHistory')).toEqual(historyBefore);
  });
});

async function waitForLbError(app: DiscoveryService): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!app.getStatus().lb.lastError) {
    if (Date.now() > deadline) throw new Error('nginx never refused the broken config');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
