/**
 * Hits with several Docker engines, with a real second dockerd in a network namespace the test
 * makes (test/support/second-engine.ts): the demo's web runs on both engines (two local replicas,
 * two placed on the second host with `scale --host`), a bounded load goes through the LB on
 * 127.0.0.1, and the hits per backend, read from each host's own web logs, are exactly what the
 * LB served to each (counted from the answers' X-Served-By), each carrying its host. A replica on
 * the second host is known to the LB by that host's address and its published port, not by the
 * container IP it prints, so the answers are mapped through the second engine's own inspect.
 * Then the second host is cut off the network (its veth down) until it is lost, and put back:
 * its streams close with it, and once it is back its replicas are followed and counted again.
 * Traffic goes only to 127.0.0.1 (the test's veth address serves the LB, not the test).
 *
 * Where the machine forbids the second engine (not root, no `ip netns`, no dockerd), the test is
 * skipped with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendHits, HitsSnapshot } from '../../contract/index.js';
import type { Engine } from '../../main/engine/engine.js';
import type { FollowedHostSpec } from '../../main/engine/multi/docker-host-spec.js';
import { LOST_AFTER_MS, PING_EVERY_MS } from '../../main/engine/multi/followed-host.js';
import { ROLE_LABEL, STACK_LABEL } from '../../main/engine/stack/stack-config.js';
import { runLoad, type LoadReport } from '../../main/engine/traffic/load-loop.js';
import { dispatch } from '../../main/service/dispatch.js';
import type { DiscoveryService } from '../../main/service/discovery-service.js';
import { removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { SecondEngine } from '../support/second-engine.js';
import { waitFor } from '../support/wait.js';

const REQUESTS = 200;

const keyOf = (b: Pick<BackendHits, 'address' | 'host'>): string => `${b.host ?? '?'}/${b.address}`;

function totals(hits: HitsSnapshot): Map<string, number> {
  return new Map(hits.backends.map((b) => [keyOf(b), b.total]));
}

describe('hits from the web logs of every Docker host (a real second dockerd)', () => {
  const second = new SecondEngine();
  let skipReason: string | undefined;
  let engine: Engine | undefined;
  let app: DiscoveryService;

  /**
   * Who each X-Served-By is, as the hits name it: a local replica is registered under its own IP
   * (port 80); one on the second host under that host's address and its published port.
   */
  const backendByServer = async (): Promise<Map<string, string>> => {
    const byServer = new Map<string, string>();
    for (const instance of engine!.status().services.find((s) => s.name === 'web')?.instances ?? [])
      if (instance.host === 'local')
        byServer.set(instance.address, `local/${instance.address}:${instance.port}`);
    const client = second.client();
    const remote = await client.listContainers({
      filters: { label: [`${STACK_LABEL}=${engine!.config.project}`, `${ROLE_LABEL}=web`] },
    });
    for (const c of remote) {
      const info = await client.getContainer(c.Id).inspect();
      const port = info.NetworkSettings.Ports['80/tcp']?.[0]?.HostPort;
      byServer.set(info.NetworkSettings.Networks.bridge?.IPAddress ?? '', `second/${second.far}:${port}`);
    }
    return byServer;
  };

  /** Answers through the LB by who served them, over a bounded number of requests. */
  const answersBy = async (requests: number): Promise<Set<string>> => {
    const seen = new Set<string>();
    for (let i = 0; i < requests; i++) {
      const response = await fetch(app.getStatus().lb.url, { signal: AbortSignal.timeout(2000) });
      await response.text();
      if (response.status === 200) seen.add(response.headers.get('x-served-by') ?? '');
    }
    return seen;
  };

  beforeAll(async () => {
    skipReason = await second.setUp();
    if (skipReason) {
      console.warn(`multi-engine-hits: skipped: ${skipReason}`);
      return;
    }
    const followedHosts: FollowedHostSpec[] = [
      { address: `tcp://${second.far}:2375`, name: 'second', ip: second.far },
    ];
    ({ engine, app } = await startTestEngine({ webCount: 2, followedHosts }));
    // Two more, on the second host: placed after the start, so their logs are followed from their start.
    const reply = await dispatch(app, 'scale', { service: 'web', count: 4, host: 'second' });
    expect(reply).toMatchObject({ result: { running: 4 } });
  }, 150_000);

  afterAll(async () => {
    await removeTestStack({ engine });
    await second.tearDown();
  }, 90_000);

  /** The totals once the lines of earlier answers are in: counts that no longer move. */
  const settledTotals = async (): Promise<Map<string, number>> => {
    let previous = '';
    return waitFor(
      'the counts to settle',
      () => {
        const now = totals(app.getHits());
        const text = JSON.stringify([...now]);
        const settled = text === previous;
        previous = text;
        return settled ? now : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 1000 },
    );
  };

  /** What the LB served to each backend (by its X-Served-By), keyed as the hits are. */
  const servedPerBackend = (report: LoadReport, byServer: Map<string, string>): Map<string, number> => {
    expect(report.failed, JSON.stringify(report.failures.slice(0, 3))).toBe(0);
    const served = new Map<string, number>();
    for (const [server, count] of Object.entries(report.byBackend)) {
      const key = byServer.get(server);
      expect(key, `X-Served-By ${server} is one of the four replicas`).toBeDefined();
      served.set(key!, count);
    }
    return served;
  };

  /** Waits (bounded) until the lines of `served` are in, then checks that each backend counted exactly its part. */
  const expectCountedExactly = async (
    before: Map<string, number>,
    served: Map<string, number>,
  ): Promise<HitsSnapshot> => {
    const sent = [...served.values()].reduce((a, b) => a + b, 0);
    const delta = (hits: HitsSnapshot): Map<string, number> => {
      const after = totals(hits);
      return new Map([...after].map(([key, total]) => [key, total - (before.get(key) ?? 0)]));
    };
    // The log lines arrive a little after the answers.
    const hits = await waitFor(
      'the hits to catch up with the load',
      () => {
        const now = app.getHits();
        const counted = [...delta(now).values()].reduce((a, b) => a + b, 0);
        return counted >= sent ? now : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    ).catch(() => app.getHits());
    expect(hits.source).toBe('web-logs');
    const counted = new Map([...delta(hits)].filter(([, n]) => n > 0));
    expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(served));
    return hits;
  };

  /** The four replicas answer through the LB and their logs are followed. */
  const allFollowed = async (): Promise<void> => {
    await waitFor(
      'answers from the four replicas through the LB',
      async () => (await answersBy(8)).size === 4,
      {
        timeoutMs: 30_000,
        intervalMs: 200,
      },
    );
    await waitFor(
      'one log stream per web container, on both hosts',
      () => engine!.parts?.hits?.openLogStreams().web === 4,
      { timeoutMs: 10_000, intervalMs: 100 },
    );
  };

  it('counts per backend, on both hosts, exactly what the LB served to each, with its host', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    await allFollowed();
    const byServer = await backendByServer();
    expect([...byServer.values()].filter((k) => k.startsWith('second/'))).toHaveLength(2);
    expect([...byServer.values()].filter((k) => k.startsWith('local/'))).toHaveLength(2);
    const before = await settledTotals();
    const report = await runLoad({
      url: app.getStatus().lb.url,
      total: REQUESTS,
      concurrency: 2,
      deadlineMs: 60_000,
      mix: ['get'],
    });
    const served = servedPerBackend(report, byServer);
    console.log(`multi-engine-hits: ${REQUESTS} requests served as ${JSON.stringify([...served])}`);
    // Round-robin over both hosts: every replica served its part.
    expect(served.size).toBe(4);
    const hits = await expectCountedExactly(before, served);
    // Each backend is named as the status names its instance: the host, and the container.
    const onSecond = hits.backends.filter((b) => b.host === 'second');
    expect(onSecond).toHaveLength(2);
    for (const b of onSecond) {
      expect(b.address.startsWith(`${second.far}:`)).toBe(true);
      expect(b.containerName).toMatch(/-web-\d+$/);
    }
    expect(hits.backends.filter((b) => b.host === 'local')).toHaveLength(2);
  }, 60_000);

  it('stops following a host that is lost, and counts exactly again, under load, as it comes back', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const byServer = await backendByServer();
    await second.setLink(false);
    try {
      await waitFor(
        'the second host to be lost',
        () => engine!.status().dockerHosts?.find((h) => h.name === 'second' && h.state === 'lost'),
        { timeoutMs: LOST_AFTER_MS + 3 * PING_EVERY_MS + 5000, intervalMs: 250 },
      );
      // Its streams went with it: only the local replicas are followed.
      await waitFor(
        'only the local log streams open',
        () => engine!.parts?.hits?.openLogStreams().web === 2,
        {
          timeoutMs: 5000,
          intervalMs: 100,
        },
      );
    } catch (error) {
      await second.setLink(true);
      throw error;
    }
    // A steady load while the host comes back: its replicas' first requests after the return count too.
    const before = await settledTotals();
    const back = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await second.setLink(true);
      await waitFor(
        'the second host to be connected again',
        () => engine!.status().dockerHosts?.find((h) => h.name === 'second' && h.state === 'connected'),
        { timeoutMs: 4 * PING_EVERY_MS + 5000, intervalMs: 100 },
      );
      // Long enough for the LB to route there again and for a few rounds to reach it.
      await new Promise((resolve) => setTimeout(resolve, 3000));
    })();
    const report = await runLoad({
      url: app.getStatus().lb.url,
      total: 20_000,
      concurrency: 2,
      deadlineMs: 40_000,
      mix: ['get'],
      until: back,
    });
    await back;
    const served = servedPerBackend(report, byServer);
    console.log(
      `multi-engine-hits: ${report.sent} requests while the host came back, served as ${JSON.stringify([...served])}`,
    );
    expect([...served.keys()].filter((k) => k.startsWith('second/'))).toHaveLength(2);
    await expectCountedExactly(before, served);
    expect(engine!.parts?.hits?.openLogStreams().web).toBe(4);
  }, 90_000);
});
