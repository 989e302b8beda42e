/**
 * The user's own Consul cluster given as several addresses (`up --consul A --consul B --consul C`):
 * a three-server cluster this test starts and owns, with ACLs on and default deny (the engine only
 * gets its three published 127.0.0.1 addresses and the token), the demo on top of it with web
 * scaled to 2. The engine uses the first that
 * answers; stopping it under load moves the engine to the next live one with 0 failed requests at
 * the LB and both instances still registered (seen through another server); the stopped server,
 * started again, does not bring back its old copies; a frozen server (which hangs rather than
 * refusing connections) is left within the documented bound. Bad input changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/engine/engine.js';
import { formatStatus } from '../../main/cli/format-status.js';
import { HEARTBEAT_DETECTION_MS } from '../../main/engine/consul/server-heartbeat.js';
import { TestResources, waitForConsulLeader } from '../support/docker-fixtures.js';
import { removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { loadThrough } from '../support/load-loop.js';
import { freePort } from '../support/ports.js';
import { refusedStart, stackOf } from '../support/refused-start.js';
import { startUserConsulCluster, type ClusterServer } from '../support/user-consul-cluster.js';
import { waitFor } from '../support/wait.js';

/** The cluster runs with ACLs on (default deny): the engine, and these reads, need this token. */
const token = randomUUID();

async function getJson<T>(url: string, withToken = true): Promise<T> {
  const response = await fetch(url, {
    headers: withToken ? { 'x-consul-token': token } : {},
    signal: AbortSignal.timeout(2000),
  });
  return (await response.json()) as T;
}

interface HealthEntry {
  Node: { Node: string };
  Service: { ID: string };
}

describe("the user's own Consul cluster given as several addresses, with ACLs (real Docker, Consul, nginx)", () => {
  const resources = new TestResources();
  const servers: ClusterServer[] = [];
  let engine: Engine | undefined;

  beforeAll(async () => {
    servers.push(...(await startUserConsulCluster(resources, { token })));
    ({ engine } = await startTestEngine({
      webCount: 2,
      consulAddress: servers.map((s) => s.url.replace('http://', '')).join(','),
      consulToken: token,
    }));
  }, 120_000);

  afterAll(async () => {
    await removeTestStack({ engine });
    await resources.cleanup();
  }, 60_000);

  const serverAt = (url: string) => servers.find((s) => s.url === url)!;
  const timelineTail = (): string =>
    engine!.timeline
      .recent(40)
      .map((e) => `${new Date(e.at).toISOString()} ${e.kind} ${e.message}`)
      .join('\n');

  it('uses the first address, lists all three, and registers web on the cluster', async () => {
    const status = engine!.status();
    expect(status.consul.connected).toBe(true);
    expect(status.consul.managed).toBe(false);
    expect(status.consul.url).toBe(servers[0]!.url);
    expect(status.consul.addresses).toEqual(servers.map((s) => s.url));
    const ids = await waitFor(
      'two web instances passing, seen from the third server',
      async () => {
        const list = await getJson<HealthEntry[]>(`${servers[2]!.url}/v1/health/service/web?passing=true`);
        return list.length === 2 ? list : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(ids.every((e) => e.Node.Node === servers[0]!.name)).toBe(true);
    // The ACL is really enforced: without the token the registrations are invisible.
    expect(await getJson<HealthEntry[]>(`${servers[2]!.url}/v1/health/service/web`, false)).toHaveLength(0);
    await waitFor(
      'both instances in the LB config, and the LB answering',
      async () => {
        const inConfig = (engine!.status().lb.config ?? '').match(/server \d+\.\d+\.\d+\.\d+:\d+ max_fails/g);
        if (inConfig?.length !== 2) return undefined;
        const response = await fetch(engine!.status().lb.url, { signal: AbortSignal.timeout(2000) });
        return response.status === 200 || undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    ).catch((error: unknown) => {
      console.info(
        `the LB config never had both instances; the timeline:\n${timelineTail()}\n${JSON.stringify(engine!.status().consul)}\n${engine!.status().lb.config ?? ''}`,
      );
      throw error;
    });
  });

  it('moves to the next live server when the one in use stops, under load: 0 failed requests, nothing lost', async () => {
    const lbUrl = engine!.status().lb.url;
    const webIds = engine!
      .status()
      .services.flatMap((svc) => (svc.name === 'web' ? svc.instances.map((i) => i.id) : []))
      .sort();
    expect(webIds).toHaveLength(2);
    const load = loadThrough(lbUrl);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const used = serverAt(engine!.status().consul.url);
    const stoppedAt = Date.now();
    await used.container.stop({ t: 1 });
    const moved = await waitFor(
      'the engine on another server',
      () => {
        const { url, connected } = engine!.status().consul;
        return url !== used.url && connected ? url : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    const switchMs = Date.now() - stoppedAt;
    // The next live one in the order given.
    expect(moved).toBe(servers[(servers.indexOf(used) + 1) % 3]!.url);
    expect(
      engine!.timeline
        .recent(200)
        .map((e) => e.message)
        .join('\n'),
    ).toContain(`${used.url} stopped answering; the engine moved to ${moved}`);
    // `status` names the new address among those given.
    expect(formatStatus(engine!.status())).toContain(
      `      using ${moved} of ${servers.map((s) => s.url).join(', ')}`,
    );
    // Re-registered on the agent now in use, seen from the other live server.
    const other = servers.find((s) => s !== used && s.url !== moved)!;
    const ids = await waitFor(
      'both web instances passing on a live node',
      async () => {
        const list = await getJson<HealthEntry[]>(`${other.url}/v1/health/service/web?passing=true`);
        const live = list.filter((e) => e.Node.Node !== used.name).map((e) => e.Service.ID);
        return live.length === 2 ? live : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(ids.sort()).toEqual(webIds);
    expect(await getJson<HealthEntry[]>(`${other.url}/v1/health/service/web`, false)).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const { sent, failed, firstFailure } = await load.stop();
    console.info(
      `stopped server: moved in ${switchMs} ms; load through the LB: ${sent} requests, ${failed} failed ${firstFailure}`,
    );
    if (failed > 0) console.info(timelineTail());
    expect(sent).toBeGreaterThan(50);
    expect(failed).toBe(0);

    // The stopped server comes back with its old copies: they are removed there, nothing listed twice.
    await used.container.start();
    await waitForConsulLeader(used.url, 30_000);
    // Its agent syncs its old copies back when it gets to it (later on a loaded machine): wait
    // for the engine to have removed them, not just for a catalog that does not show them yet.
    await waitFor(
      "the stopped server's old copies removed",
      () =>
        engine!.timeline.recent(200).some((e) => e.message.includes(`left on Consul ${used.url}`)) ||
        undefined,
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const entries = await waitFor(
      'each web instance once in the catalog',
      async () => {
        const list = await getJson<{ Node: string; ServiceID: string }[]>(`${moved}/v1/catalog/service/web`);
        return list.length === 2 && list.every((e) => e.Node !== used.name) ? list : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(entries.map((e) => e.ServiceID).sort()).toEqual(webIds);
  }, 120_000);

  it('leaves a server that hangs (frozen, not stopped) within the documented bound, under load', async () => {
    const lbUrl = engine!.status().lb.url;
    const load = loadThrough(lbUrl);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const used = serverAt(engine!.status().consul.url);
    const pausedAt = Date.now();
    await used.container.pause();
    try {
      await waitFor(
        'the engine off the frozen server',
        () => {
          const { url, connected } = engine!.status().consul;
          return url !== used.url && connected ? url : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 50 },
      );
      const switchMs = Date.now() - pausedAt;
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const { sent, failed, firstFailure } = await load.stop();
      console.info(
        `frozen server: moved in ${switchMs} ms; load through the LB: ${sent} requests, ${failed} failed ${firstFailure}`,
      );
      // Detection, then one probe of the frozen server (1 s) before the next one answers.
      if (failed > 0) console.info(timelineTail());
      expect(switchMs).toBeLessThan(HEARTBEAT_DETECTION_MS + 2500);
      expect(failed).toBe(0);
    } finally {
      await used.container.unpause().catch(() => undefined);
    }
  }, 60_000);
});

describe("bad input for the user's Consul addresses", () => {
  it('refuses an address that is not HOST:PORT, naming it, and creates nothing', async () => {
    const { error, project } = await refusedStart({ consulAddress: '127.0.0.1:8500,ftp://consul:21' });
    expect(error.code).toBe('bad-consul-address');
    expect(error.message).toMatch(/"ftp:\/\/consul:21" must use http or https \(address 2 of 2\)/);
    expect(await stackOf(project)).toBe(0);
  });

  it('refuses a list where no address answers, saying which and what to do, and creates nothing', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const { error, project } = await refusedStart({ consulAddress: `127.0.0.1:${a}, http://127.0.0.1:${b}` });
    expect(error.code).toBe('consul-unavailable');
    expect(error.message).toContain(`http://127.0.0.1:${a} (ECONNREFUSED)`);
    expect(error.message).toContain(`http://127.0.0.1:${b} (ECONNREFUSED)`);
    expect(error.message).toMatch(/Start at least one agent of your cluster or correct the addresses/);
    expect(await stackOf(project)).toBe(0);
  }, 30_000);
});
