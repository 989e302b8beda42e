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
import {
  engineMovedOff,
  getJson,
  recentTimeline,
  routedBackends,
  webInstanceIds,
  type HealthEntry,
} from '../support/cluster-checks.js';
import { TestResources } from '../support/docker-fixtures.js';
import { removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { loadThrough } from '../support/load-loop.js';
import { startUserConsulClusterWithClients, type ClusterServer } from '../support/user-consul-cluster.js';
import { waitFor } from '../support/wait.js';

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
    const webIds = webInstanceIds(engine!);
    expect(webIds).toHaveLength(3);
    await waitFor('three instances in the LB config', () => routedBackends(engine!) === 3 || undefined, {
      timeoutMs: 20_000,
      intervalMs: 100,
    });

    const load = loadThrough(engine!.status().lb.url);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // SIGTERM, then up to 10 s: the agent leaves the cluster (leave_on_terminate, a client's default).
    await client.container.stop({ t: 10 });
    const moved = await engineMovedOff(engine!, client.url);
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
      console.info(recentTimeline(engine!, 60));
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
    if (failed > 0) console.info(recentTimeline(engine!));
    expect(sent).toBeGreaterThan(50);
    expect(failed).toBe(0);
    expect(routedBackends(engine!)).toBe(3);
  }, 150_000);
});
