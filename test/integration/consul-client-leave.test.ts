/**
 * The engine registers with a Consul CLIENT agent, as on a host of a real cluster (three servers,
 * one client per host). The client agent is stopped the way an init system stops it (SIGTERM):
 * it leaves the cluster gracefully, and the servers take its node's registrations out of the
 * catalog a moment before the agent stops answering. The containers still run, so the LB must go
 * on serving them all along (0 failed requests) while the engine moves to a server and puts the
 * registrations back there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/engine/engine.js';
import { TestResources } from '../support/docker-fixtures.js';
import { removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { loadThrough } from '../support/load-loop.js';
import { startUserConsulClusterWithClients, type ClusterServer } from '../support/user-consul-cluster.js';
import { waitFor } from '../support/wait.js';

interface HealthEntry {
  Node: { Node: string };
  Service: { ID: string };
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  return (await response.json()) as T;
}

const routedBackends = (engine: Engine): number =>
  (engine.status().lb.config ?? '').match(/server \d+\.\d+\.\d+\.\d+:\d+ max_fails/g)?.length ?? 0;

describe('a Consul client agent that leaves the cluster gracefully (real Docker, Consul, nginx)', () => {
  const resources = new TestResources();
  let servers: ClusterServer[] = [];
  let client: ClusterServer;
  let engine: Engine | undefined;

  beforeAll(async () => {
    const cluster = await startUserConsulClusterWithClients(resources, { clients: 1 });
    servers = cluster.servers;
    client = cluster.clients[0]!;
    // The client agent first: the engine registers with the agent of its host.
    ({ engine } = await startTestEngine({
      webCount: 3,
      consulAddress: [client, ...servers].map((s) => s.url.replace('http://', '')).join(','),
    }));
  }, 180_000);

  afterAll(async () => {
    await removeTestStack({ engine });
    await resources.cleanup();
  }, 60_000);

  it('keeps every instance in the config while the engine moves to a server: 0 failed', async () => {
    expect(engine!.status().consul.url).toBe(client.url);
    const webIds = engine!
      .status()
      .services.flatMap((svc) => (svc.name === 'web' ? svc.instances.map((i) => i.id) : []))
      .sort();
    expect(webIds).toHaveLength(3);
    await waitFor('three instances in the LB config', () => routedBackends(engine!) === 3 || undefined, {
      timeoutMs: 20_000,
      intervalMs: 100,
    });

    const load = loadThrough(engine!.status().lb.url);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // SIGTERM, then up to 10 s: the agent leaves the cluster (leave_on_terminate, a client's default).
    await client.container.stop({ t: 10 });
    const moved = await waitFor(
      'the engine on a server',
      () => {
        const { url, connected } = engine!.status().consul;
        return url !== client.url && connected ? url : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    const live = servers.find((s) => s.url === moved)!;
    const ids = await waitFor(
      'the three instances passing on the server in use',
      async () => {
        const list = await getJson<HealthEntry[]>(`${live.url}/v1/health/service/web?passing=true`).catch(
          () => [],
        );
        return list.length === 3 && list.every((e) => e.Node.Node === live.name)
          ? list.map((e) => e.Service.ID)
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    ).catch(async (error: unknown) => {
      console.info(JSON.stringify(await getJson(`${live.url}/v1/health/service/web`).catch(String)));
      console.info(
        engine!.timeline
          .recent(60)
          .map((e) => `${new Date(e.at).toISOString()} ${e.kind} ${e.message}`)
          .join('\n'),
      );
      throw error;
    });
    expect(ids.sort()).toEqual(webIds);
    // A few seconds more under load, with the config rendered from the server's catalog.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const { sent, failed, firstFailure } = await load.stop();
    console.info(
      `client agent left: load through the LB: ${sent} requests, ${failed} failed ${firstFailure}`,
    );
    // Whether the agent synced copies back as it left this time (a race): removed by the engine if so.
    const strays = engine!.timeline.recent(80).filter((e) => e.message.includes('synced them back'));
    console.info(`stray catalog copies: ${strays.map((e) => e.message).join(' | ') || 'none this run'}`);
    if (failed > 0)
      console.info(
        engine!.timeline
          .recent(40)
          .map((e) => `${new Date(e.at).toISOString()} ${e.kind} ${e.message}`)
          .join('\n'),
      );
    expect(sent).toBeGreaterThan(50);
    expect(failed).toBe(0);
    expect(routedBackends(engine!)).toBe(3);
  }, 150_000);
});
