/**
 * The cluster view on a real three-server Consul cluster (`up --consul-servers 3`): the status lists
 * the three servers with the leader marked, `status` prints them, and stopping the leader gives a
 * timeline event and the new leader in the status within a bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Dockerode from 'dockerode';
import type { Engine } from '../../main/engine/engine.js';
import { formatStatus } from '../../main/cli/format-status.js';
import { removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { freePort } from '../support/ports.js';
import { waitFor } from '../support/wait.js';

describe('the Consul cluster in the status (real Docker, three Consul servers)', () => {
  let engine: Engine | undefined;

  beforeAll(async () => {
    const consulPort = await freePort();
    ({ engine } = await startTestEngine({ webCount: 1, consulPort, consulServers: 3 }));
  }, 90_000);

  afterAll(async () => {
    await removeTestStack({ engine });
  }, 60_000);

  it('lists the three servers, alive, with one leader marked, and status prints them', async () => {
    const project = engine!.config.project;
    const cluster = await waitFor(
      'three alive servers and a leader in the status',
      () => {
        const c = engine!.status().consul.cluster;
        return c && c.leader && c.members.filter((m) => m.status === 'alive').length === 3 ? c : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(cluster.members.map((m) => m.name).sort()).toEqual([1, 2, 3].map((n) => `${project}-consul-${n}`));
    expect(cluster.members.every((m) => m.role === 'server')).toBe(true);
    const leaders = cluster.members.filter((m) => m.leader);
    expect(leaders).toHaveLength(1);
    expect(leaders[0]!.address).toBe(cluster.leader);
    expect(cluster.peers).toBe(3);
    const text = formatStatus(engine!.status());
    expect(text).toContain(`cluster: 3 servers, 3 raft peers, leader ${cluster.leader}`);
    expect(text).toMatch(new RegExp(`\\* ${leaders[0]!.name} .* server alive  leader`));
  });

  it('records the leader change and shows the new leader within 30 s of stopping the leader', async () => {
    const before = engine!.status().consul.cluster!;
    const leader = before.members.find((m) => m.leader)!;
    const startedAt = Date.now();
    // A server of this test's own stack.
    await new Dockerode().getContainer(leader.name).stop({ t: 1 });
    const after = await waitFor(
      'a new leader in the status',
      () => {
        const c = engine!.status().consul.cluster;
        return c?.leader && c.leader !== before.leader && c.members.some((m) => m.leader) ? c : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    console.info(`new leader shown ${Date.now() - startedAt} ms after the leader was stopped`);
    expect(after.lastLeaderChangeAt).toBeGreaterThanOrEqual(startedAt);
    expect(after.members.find((m) => m.leader)!.name).not.toBe(leader.name);
    const events = engine!.timeline.recent(200).filter((e) => e.kind === 'consul-leader');
    expect(events.some((e) => e.at >= startedAt && e.message.includes('Consul leader is now'))).toBe(true);
    await waitFor(
      'the stopped server shown as failed',
      () =>
        engine!.status().consul.cluster?.members.find((m) => m.name === leader.name)?.status === 'failed' ||
        undefined,
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(
      engine!.timeline.recent(200).some((e) => e.kind === 'consul-member' && e.message.includes(leader.name)),
    ).toBe(true);
  }, 90_000);
});
