/**
 * `up --consul-servers 3`: the demo stack runs a real three-server Consul cluster instead of the dev
 * server; the servers join, elect a leader, each answers on its own 127.0.0.1 port, and the demo
 * (registration, render, LB) works on top of it. A count that is not 1, 3 or 5 is refused with a
 * clear message before anything is created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Dockerode from 'dockerode';
import type { Engine } from '../../main/engine/engine.js';
import type { DiscoveryService } from '../../main/service/discovery-service.js';
import { consulServerCount } from '../../main/engine/stack/consul-cluster.js';
import { removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { loadThrough } from '../support/load-loop.js';
import { freePort } from '../support/ports.js';
import { waitFor } from '../support/wait.js';

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return (await response.json()) as T;
}

interface Member {
  Name: string;
  Status: number;
  Tags?: Record<string, string>;
}

describe('a three-server Consul cluster in the demo stack (real Docker, Consul, nginx)', () => {
  let engine: Engine | undefined;
  let app: DiscoveryService | undefined;
  let consulPort = 0;

  beforeAll(async () => {
    consulPort = await freePort();
    ({ engine, app } = await startTestEngine({ webCount: 2, consulPort, consulServers: 3 }));
  }, 90_000);

  afterAll(async () => {
    await removeTestStack({ engine });
  }, 60_000);

  it('runs three server agents that agree on one leader, each on its own 127.0.0.1 port', async () => {
    const project = engine!.config.project;
    const leaders = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const url = `http://127.0.0.1:${consulPort + i}`;
      const members = await waitFor(
        `three alive servers seen from ${url}`,
        async () => {
          const list = await getJson<Member[]>(`${url}/v1/agent/members`);
          const alive = list.filter((m) => m.Status === 1 && m.Tags?.role === 'consul');
          return alive.length === 3 ? alive : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 250 },
      );
      expect(members.map((m) => m.Name).sort()).toEqual([1, 2, 3].map((n) => `${project}-consul-${n}`));
      leaders.add(await getJson<string>(`${url}/v1/status/leader`));
      expect(await getJson<string[]>(`${url}/v1/status/peers`)).toHaveLength(3);
    }
    expect(leaders.size).toBe(1);
    expect([...leaders][0]).toMatch(/:8300$/);
  });

  it('registers the web instances in the cluster and the LB serves them', async () => {
    const instances = await waitFor(
      'two web instances in the catalog, seen from another server',
      async () => {
        const list = await getJson<unknown[]>(
          `http://127.0.0.1:${consulPort + 2}/v1/health/service/web?passing=true`,
        );
        return list.length === 2 ? list : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(instances).toHaveLength(2);
    const status = engine!.status();
    expect(status.consul.connected).toBe(true);
    // The engine starts on the leader, whichever server that is.
    expect([0, 1, 2].map((i) => `http://127.0.0.1:${consulPort + i}`)).toContain(status.consul.url);
    const response = await fetch(status.lb.url, { signal: AbortSignal.timeout(2000) });
    expect(response.status).toBe(200);
  });

  it('survives losing the server it talks to under load: 0 failed requests, no lost registration', async () => {
    const lbUrl = engine!.status().lb.url;
    const docker = new Dockerode();
    const load = loadThrough(lbUrl);
    const webIds = engine!
      .status()
      .services.flatMap((svc) => (svc.name === 'web' ? svc.instances.map((i) => i.id) : []));
    expect(webIds).toHaveLength(2);
    // The engine starts on the leader: stop it (a server of this test's own stack).
    const startUrl = engine!.status().consul.url;
    const leader = await getJson<string>(`${startUrl}/v1/status/leader`);
    const self = await getJson<{ Config: { NodeName: string }; Member: { Addr: string } }>(
      `${startUrl}/v1/agent/self`,
    );
    expect(leader.startsWith(`${self.Member.Addr}:`)).toBe(true);
    const stopped = self.Config.NodeName;
    await docker.getContainer(stopped).stop({ t: 1 });
    const moved = await waitFor(
      'the engine on another Consul server',
      () => {
        const url = engine!.status().consul.url;
        return url !== startUrl && engine!.status().consul.connected ? url : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    expect([0, 1, 2].map((i) => `http://127.0.0.1:${consulPort + i}`)).toContain(moved);
    expect(
      engine!.timeline
        .recent(200)
        .map((e) => e.message)
        .join('\n'),
    ).toMatch(/moved to http:\/\/127\.0\.0\.1/);
    // Re-registered on a live agent: entries of the stopped server's node do not count.
    const ids = await waitFor(
      'both web instances passing on the node of a live server',
      async () => {
        const list = await getJson<{ Node: { Node: string }; Service: { ID: string } }[]>(
          `${moved}/v1/health/service/web?passing=true`,
        );
        const live = new Set(list.filter((e) => e.Node.Node !== stopped).map((e) => e.Service.ID));
        return live.size === 2 ? live : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect([...ids].sort()).toEqual(webIds.sort());
    const scaled = await app!.scale({ service: 'web', count: 3 });
    expect(scaled).toBeDefined();
    await waitFor(
      'three web instances in the config',
      () =>
        ((engine!.status().lb.config ?? '').match(/server \d+\.\d+\.\d+\.\d+:\d+ max_fails/g)?.length ?? 0) >=
          3 || undefined,
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    const { sent, failed, firstFailure } = await load.stop();
    expect(sent).toBeGreaterThan(50);
    console.info(`load through the LB: ${sent} requests, ${failed} failed ${firstFailure}`);
    expect(failed).toBe(0);
  }, 90_000);

  it('refuses a server count that is not 1, 3 or 5, and says which are allowed', () => {
    expect(consulServerCount('3')).toBe(3);
    expect(consulServerCount(1)).toBe(1);
    for (const bad of ['2', '4', '0', 'three', 7, ''])
      expect(() => consulServerCount(bad)).toThrow(/must be 1 \(a dev server\), 3 or 5/);
  });
});
