/**
 * The user's three-server cluster with Consul's production timing (raft_multiplier 5), the engine
 * on the leader, web scaled to 2, load through the LB; the leader is stopped. The other servers
 * go on believing in the stopped leader for seconds, so the registrations the engine puts back on
 * the server it moves to fail to reach the catalog at first, and Consul would not try again for
 * up to a minute. Meanwhile the stopped node is declared failed, and its copies leave every
 * passing query. The LB must keep serving all along: 0 failed requests, both instances listed on
 * the live server in the end.
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
import { leaderOf, startUserConsulCluster, type ClusterServer } from '../support/user-consul-cluster.js';
import { waitFor } from '../support/wait.js';

describe('stopping the Consul leader the engine uses, with production Raft timing (real Docker, Consul, nginx)', () => {
  const resources = new TestResources();
  let servers: ClusterServer[] = [];
  let leader: ClusterServer;
  let engine: Engine | undefined;

  beforeAll(async () => {
    servers = await startUserConsulCluster(resources, { raftMultiplier: 5 });
    leader = await leaderOf(servers);
    // The leader first: the engine uses the first address that answers.
    const ordered = [leader, ...servers.filter((s) => s !== leader)];
    ({ engine } = await startTestEngine({
      webCount: 2,
      consulAddress: ordered.map((s) => s.url.replace('http://', '')).join(','),
    }));
  }, 180_000);

  afterAll(async () => {
    await removeTestStack({ engine });
    await resources.cleanup();
  }, 60_000);

  it('keeps the LB serving while the registrations reach the catalog through the new leader: 0 failed', async () => {
    expect(engine!.status().consul.url).toBe(leader.url);
    const webIds = webInstanceIds(engine!);
    expect(webIds).toHaveLength(2);
    await waitFor('both instances in the LB config', () => routedBackends(engine!) === 2 || undefined, {
      timeoutMs: 20_000,
      intervalMs: 100,
    });

    const load = loadThrough(engine!.status().lb.url);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await leader.container.stop({ t: 1 });
    const moved = await engineMovedOff(engine!, leader.url);
    const live = servers.find((s) => s.url === moved)!;
    // The stopped node declared failed: from here its copies are out of every passing query.
    await waitFor(
      'the stopped node failed in the catalog',
      async () => {
        const entries = await getJson<HealthEntry[]>(`${live.url}/v1/health/service/web`).catch(() => []);
        return (
          entries.some(
            (e) =>
              e.Node.Node === leader.name &&
              e.Checks.some((c) => c.CheckID === 'serfHealth' && c.Status === 'critical'),
          ) || undefined
        );
      },
      { timeoutMs: 45_000, intervalMs: 250 },
    );
    // Both instances passing on the live node, as the catalog says it.
    const ids = await waitFor(
      'both web instances passing on the server in use',
      async () => {
        const list = await getJson<HealthEntry[]>(`${live.url}/v1/health/service/web?passing=true`).catch(
          () => [],
        );
        return list.length === 2 && list.every((e) => e.Node.Node === live.name)
          ? list.map((e) => e.Service.ID)
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(ids.sort()).toEqual(webIds);
    // A few seconds more under load, with the config rendered from that catalog.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const { sent, failed, firstFailure } = await load.stop();
    console.info(`leader stopped: load through the LB: ${sent} requests, ${failed} failed ${firstFailure}`);
    if (failed > 0) console.info(recentTimeline(engine!));
    expect(sent).toBeGreaterThan(50);
    expect(failed).toBe(0);
    expect(routedBackends(engine!)).toBe(2);
  }, 150_000);
});
