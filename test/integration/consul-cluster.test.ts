/**
 * `up --consul-servers 3`: the demo stack runs a real three-server Consul cluster instead of the dev
 * server; the servers join, elect a leader, each answers on its own 127.0.0.1 port, and the demo
 * (registration, render, LB) works on top of it. A count that is not 1, 3 or 5 is refused with a
 * clear message before anything is created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/engine/engine.js';
import { consulServerCount } from '../../main/engine/stack/consul-cluster.js';
import { removeTestStack, startTestEngine } from '../support/engine-fixture.js';
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
  let consulPort = 0;

  beforeAll(async () => {
    consulPort = await freePort();
    ({ engine } = await startTestEngine({ webCount: 2, consulPort, consulServers: 3 }));
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
    expect(status.consul.url).toBe(`http://127.0.0.1:${consulPort}`);
    const response = await fetch(status.lb.url, { signal: AbortSignal.timeout(2000) });
    expect(response.status).toBe(200);
  });

  it('refuses a server count that is not 1, 3 or 5, and says which are allowed', () => {
    expect(consulServerCount('3')).toBe(3);
    expect(consulServerCount(1)).toBe(1);
    for (const bad of ['2', '4', '0', 'three', 7, ''])
      expect(() => consulServerCount(bad)).toThrow(/must be 1 \(a dev server\), 3 or 5/);
  });
});
