/**
 * The user's three-server cluster with Consul's production timing (raft_multiplier 5), the engine
 * on the leader, web scaled to 2, load through the LB; the leader is stopped. The other servers
 * go on believing in the stopped leader for seconds, so the registrations the engine puts back on
 * the server it moves to fail to reach the catalog at first, and Consul would not try again for
 * up to a minute. Meanwhile the stopped node is declared failed, and its copies leave every
 * passing query. The LB must keep serving all along: 0 failed requests, both instances listed on
 * the server the engine uses in the end.
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
    // The server in use now: while the cluster has no leader, the engine may move on again (from a
    // server that keeps answering "no leader" to the next one), so it is read at each look.
    const inUse = (): ClusterServer => servers.find((s) => s.url === engine!.status().consul.url) ?? live;
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
    // Both instances passing on the node the engine uses, as the catalog says it.
    let lastAnswer: HealthEntry[] = [];
    const ids = await waitFor(
      'both web instances passing on the server in use',
      async () => {
        const server = inUse();
        if (server === leader) throw new Error('the engine went back to the stopped leader');
        const list = await getJson<HealthEntry[]>(`${server.url}/v1/health/service/web`).catch(() => []);
        lastAnswer = list;
        const passing = list.filter((e) => e.Checks.every((c) => c.Status === 'passing'));
        return passing.length === 2 && passing.every((e) => e.Node.Node === server.name)
          ? passing.map((e) => e.Service.ID)
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    ).catch((error: unknown) => {
      // Why, for the log: what the catalog said last and what the engine did.
      console.info(
        `server in use: ${inUse().name}; catalog's last answer: ${JSON.stringify(lastAnswer.map(summary))}`,
      );
      console.info(recentTimeline(engine!, 60));
      throw error;
    });
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

function summary(entry: HealthEntry): string {
  return `${entry.Node.Node}/${entry.Service.ID}: ${entry.Checks.map((c) => `${c.CheckID}=${c.Status}`).join(' ')}`;
}
