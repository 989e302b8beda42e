/**
 * Placing the demo's web on several Docker engines (`scale web=N --host NAME|spread`), with a real
 * second dockerd in a network namespace of its own (test/support/second-engine.ts) that starts
 * without the web image: the engine copies it there. A replica placed there runs with the stack's
 * labels and a published port, is registered by that host's registrator with the host's address,
 * and the LB on 127.0.0.1 round-robins over both hosts; spread balances; scaling down drains with 0
 * failed requests; `down` removes the placed replicas too. A host the engine does not follow is
 * refused, and nothing changes. Traffic goes only to 127.0.0.1 and the test's own veth addresses.
 *
 * Where the machine forbids the second engine (not root, no `ip netns`, no dockerd), the tests that
 * need it are skipped with the reason; the refusal of an unknown host still runs, on one engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/engine/engine.js';
import { runLoad } from '../../main/engine/traffic/load-loop.js';
import type { FollowedHostSpec } from '../../main/engine/multi/docker-host-spec.js';
import { ROLE_LABEL, STACK_LABEL } from '../../main/engine/stack/stack-config.js';
import type { ControlServer } from '../../main/server/control-server.js';
import { dispatch } from '../../main/service/dispatch.js';
import type { DiscoveryService } from '../../main/service/discovery-service.js';
import { docker as localDocker } from '../support/docker-fixtures.js';
import { controlServerFor, removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { SecondEngine } from '../support/second-engine.js';

describe('scale web=N --host NAME|spread over two Docker engines', () => {
  const second = new SecondEngine();
  const token = 'test-token-placement-0123456789abcdef';
  let skipReason: string | undefined;
  let engine: Engine | undefined;
  let app: DiscoveryService;
  let server: ControlServer | undefined;

  /** The stack's web containers that run on one engine. */
  const webOn = async (which: 'local' | 'second'): Promise<string[]> => {
    const client = which === 'local' ? localDocker : second.client();
    const list = await client.listContainers({
      filters: { label: [`${STACK_LABEL}=${engine!.config.project}`, `${ROLE_LABEL}=web`] },
    });
    return list.map((c) => (c.Names[0] ?? '').replace(/^\//, '')).sort();
  };
  const counts = async (): Promise<{ local: number; second: number }> => ({
    local: (await webOn('local')).length,
    second: skipReason ? 0 : (await webOn('second')).length,
  });
  /** The addresses of the web containers on the second engine (simple-web's X-Served-By is its own). */
  const secondAddresses = async (): Promise<Set<string>> => {
    const client = second.client();
    const list = await client.listContainers();
    return new Set(list.map((c) => c.NetworkSettings.Networks.bridge?.IPAddress ?? ''));
  };
  /** Answers through the LB, by who served them, over a bounded number of requests. */
  const answersBy = async (requests: number): Promise<Map<string, number>> => {
    const seen = new Map<string, number>();
    for (let i = 0; i < requests; i++) {
      const response = await fetch(engine!.status().lb.url, { signal: AbortSignal.timeout(2000) });
      await response.text();
      const by =
        response.status === 200 ? (response.headers.get('x-served-by') ?? '?') : `HTTP ${response.status}`;
      seen.set(by, (seen.get(by) ?? 0) + 1);
    }
    return seen;
  };
  const scale = (request: object): Promise<unknown> => dispatch(app, 'scale', request);
  const webInstances = () => engine!.status().services.find((s) => s.name === 'web')?.instances ?? [];

  beforeAll(async () => {
    skipReason = await second.setUp({ loadWeb: false });
    if (skipReason) console.warn(`scale-placement: the second-engine tests are skipped: ${skipReason}`);
    const followedHosts: FollowedHostSpec[] = skipReason
      ? []
      : [{ address: `tcp://${second.far}:2375`, name: 'second', ip: second.far }];
    ({ engine, app } = await startTestEngine({ webCount: 1, followedHosts }));
    server = controlServerFor(app, token);
  }, 150_000);

  afterAll(async () => {
    await server?.close();
    await removeTestStack({ engine });
    await second.tearDown();
  }, 90_000);

  it('places a new replica on the host named (over HTTP), copying the image there; the LB round-robins over both', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const port = await server!.listen();
    const response = await fetch(`http://127.0.0.1:${port}/api/scale`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        host: `127.0.0.1:${port}`,
      },
      body: JSON.stringify({ service: 'web', count: 2, host: 'second' }),
      signal: AbortSignal.timeout(90_000),
    });
    const body = (await response.json()) as { result?: { running: number; warnings: string[] } };
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.result).toMatchObject({ running: 2, warnings: [] });
    const project = engine!.config.project;
    expect(await webOn('local')).toEqual([`${project}-web-1`]);
    expect(await webOn('second')).toEqual([`${project}-web-2`]);
    expect(
      engine!.timeline
        .recent(200)
        .some((e) => e.kind === 'image-copied' && /copied to Docker host second/.test(e.message)),
    ).toBe(true);
    // Registered by the second host's registrator, with its address and published port, and shown there.
    const placed = webInstances().find((i) => i.host === 'second');
    expect(placed).toMatchObject({ address: second.far });
    const remote = await secondAddresses();
    const answers = await answersBy(10);
    console.log(
      `scale-placement: 10 requests through the LB, by who served them: ${JSON.stringify([...answers])}`,
    );
    expect(answers.size).toBe(2);
    const fromSecond = [...answers].filter(([by]) => remote.has(by));
    expect(fromSecond).toHaveLength(1);
    // Round-robin: each of the two serves half.
    expect([...answers.values()]).toEqual([5, 5]);
  }, 120_000);

  it('spreads from 1 to 4 as 2 and 2 (a scale-down without placement takes the highest number first)', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    // No placement: the highest number goes, here the one on the second host.
    expect(await scale({ service: 'web', count: 1 })).toMatchObject({ result: { running: 1 } });
    expect(await counts()).toEqual({ local: 1, second: 0 });
    expect(await scale({ service: 'web', count: 4, host: 'spread' })).toMatchObject({
      result: { running: 4, warnings: [] },
    });
    expect(await counts()).toEqual({ local: 2, second: 2 });
    const hosts = webInstances()
      .map((i) => i.host)
      .sort();
    expect(hosts).toEqual(['local', 'local', 'second', 'second']);
    const answers = await answersBy(8);
    expect([...answers.values()]).toEqual([2, 2, 2, 2]);
  }, 120_000);

  it('scales down (and up and down again), spread, with 0 failed requests under a bounded load', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    // The project's bounded load (GET, POST that nginx never retries, slow requests in flight) while
    // the set goes 4 -> 2 -> 4 -> 2, spread, replicas leaving both hosts each time.
    const cycles = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const count of [2, 4, 2]) {
        const reply = await scale({ service: 'web', count, host: 'spread' });
        expect(reply).toMatchObject({ result: { running: count, warnings: [] } });
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    })();
    const report = await runLoad({
      url: engine!.status().lb.url,
      total: 3000,
      concurrency: 3,
      deadlineMs: 60_000,
      mix: ['get', 'post', 'slow'],
      slowDelayMs: 300,
      until: cycles.catch(() => undefined),
    });
    await cycles;
    console.log(
      `scale-placement: spread 4 -> 2 -> 4 -> 2 under load: ${report.sent} sent, ${report.failed} failed ${JSON.stringify(report.failures.slice(0, 3))}`,
    );
    expect(await counts()).toEqual({ local: 1, second: 1 });
    expect(report.sent).toBeGreaterThan(50);
    expect(report.failures).toEqual([]);
  }, 120_000);

  it('refuses a host the engine does not follow, naming the hosts it does; nothing changes', async () => {
    const desired = engine!.status().scaling.desired;
    const before = await counts();
    const reply = (await scale({ service: 'web', count: 5, host: 'nowhere' })) as {
      error?: { code: string; message: string };
    };
    expect(reply.error?.code).toBe('bad-request');
    expect(reply.error?.message).toMatch(
      /nowhere is not a Docker host the engine follows: place web on one of local/,
    );
    if (!skipReason) expect(reply.error?.message).toMatch(/local, second, or spread/);
    expect(await counts()).toEqual(before);
    expect(engine!.status().scaling.desired).toBe(desired);
  }, 60_000);

  it('removes the replicas placed on the followed host with the stack (down)', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    expect(await webOn('second')).toHaveLength(1);
    await app.down();
    expect(await webOn('second')).toEqual([]);
  }, 90_000);
});
