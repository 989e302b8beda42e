/**
 * Several Docker engines, with a real second engine: the test makes a network namespace and a veth
 * pair with addresses of its own (10.213.x.y/30, unique per run), starts a second dockerd inside
 * it (its own data-root, exec-root and pidfile under a temp dir, listening on the veth address
 * only), loads the web image into it and starts the engine with both endpoints. Web containers on
 * both hosts answer through the LB on 127.0.0.1; killing the second dockerd takes its instances
 * out of Consul within the documented bound; restarting it brings them back, with no duplicate
 * IDs. Traffic goes only to 127.0.0.1 and the test's own veth addresses.
 *
 * Where the machine forbids a step (not root, no `ip netns`, no dockerd binary), the tests that
 * need the second engine are skipped with the reason; the rest (a followed host that never
 * answers is shown lost while the local demo serves) still runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/engine/engine.js';
import { LOST_AFTER_MS, PING_EVERY_MS } from '../../main/engine/multi/followed-host.js';
import type { FollowedHostSpec } from '../../main/engine/multi/docker-host-spec.js';
import { removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { freePort } from '../support/ports.js';
import { SecondEngine } from '../support/second-engine.js';
import { waitFor } from '../support/wait.js';

interface AgentService {
  ID: string;
  Service: string;
  Address: string;
  Port: number;
  Meta?: Record<string, string>;
}

describe('several Docker engines (a real second dockerd in its own namespace)', () => {
  const second = new SecondEngine();
  let skipReason: string | undefined;
  let engine: Engine | undefined;
  let consulPort = 0;

  const agentServices = async (): Promise<AgentService[]> => {
    const response = await fetch(`http://127.0.0.1:${consulPort}/v1/agent/services`, {
      signal: AbortSignal.timeout(2000),
    });
    return Object.values((await response.json()) as Record<string, AgentService>);
  };
  /** Who answers through the LB, over a bounded number of requests. */
  const servedBy = async (requests: number): Promise<Set<string>> => {
    const seen = new Set<string>();
    for (let i = 0; i < requests; i++) {
      const response = await fetch(engine!.status().lb.url, { signal: AbortSignal.timeout(2000) });
      await response.text();
      if (response.status === 200) seen.add(response.headers.get('x-served-by') ?? '');
    }
    return seen;
  };
  const secondAddresses = async (): Promise<Set<string>> => {
    const client = second.client();
    const list = await client.listContainers();
    const ips = await Promise.all(
      list.map(
        async (c) =>
          (await client.getContainer(c.Id).inspect()).NetworkSettings.Networks.bridge?.IPAddress ?? '',
      ),
    );
    return new Set(ips);
  };

  beforeAll(async () => {
    skipReason = await second.setUp();
    if (skipReason) console.warn(`multi-engine: the second-engine tests are skipped: ${skipReason}`);
    const ghostPort = await freePort();
    const followedHosts: FollowedHostSpec[] = [
      // Nothing listens there: a followed host that never answers.
      { address: `tcp://127.0.0.1:${ghostPort}`, name: 'ghost', ip: '127.0.0.1' },
      ...(skipReason ? [] : [{ address: `tcp://${second.far}:2375`, name: 'second', ip: second.far }]),
    ];
    if (!skipReason) {
      await second.runWeb(`dtme-web-a-${second.id}`);
      await second.runWeb(`dtme-web-b-${second.id}`);
    }
    consulPort = await freePort();
    ({ engine } = await startTestEngine({ webCount: 2, consulPort, followedHosts }));
  }, 150_000);

  afterAll(async () => {
    await removeTestStack({ engine });
    await second.tearDown();
  }, 90_000);

  it('shows a followed host that never answers as lost, while the local demo serves', async () => {
    const ghost = await waitFor(
      'the ghost host to be reported lost',
      () => engine!.status().dockerHosts?.find((h) => h.name === 'ghost' && h.state === 'lost'),
      { timeoutMs: LOST_AFTER_MS + 3 * PING_EVERY_MS + 5000, intervalMs: 250 },
    );
    expect(ghost.error).toBeTruthy();
    const local = engine!.status().dockerHosts?.find((h) => h.local);
    expect(local).toMatchObject({ name: 'local', state: 'connected' });
    await waitFor('the local demo to answer through the LB', async () => (await servedBy(4)).size > 0, {
      timeoutMs: 20_000,
      intervalMs: 250,
    });
  }, 40_000);

  it('round-robins the LB over web instances on both hosts, each carrying its host', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const remote = await secondAddresses();
    const seen = await waitFor(
      'answers from both hosts through the LB',
      async () => {
        const answers = await servedBy(12);
        const fromSecond = [...answers].filter((a) => remote.has(a));
        return fromSecond.length === 2 && answers.size === 4 ? answers : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(seen.size).toBe(4);
    const web = (await agentServices()).filter((s) => s.Service === 'web');
    expect(web.filter((s) => s.Meta?.['dt-host'] === 'second').map((s) => s.Address)).toEqual([
      second.far,
      second.far,
    ]);
    expect(web.filter((s) => s.Meta?.['dt-host'] === 'local')).toHaveLength(2);
    const instances = engine!.status().services.find((s) => s.name === 'web')!.instances;
    expect(instances.filter((i) => i.host === 'second')).toHaveLength(2);
  }, 60_000);

  it('takes a killed host out within the bound and puts it back, no duplicate IDs, when it returns', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const onSecond = (list: AgentService[]): AgentService[] =>
      list.filter((s) => s.Meta?.['dt-host'] === 'second');
    const before = onSecond(await agentServices())
      .map((s) => s.ID)
      .sort();
    expect(before).toHaveLength(2);

    const killedAt = Date.now();
    await second.kill('SIGKILL');
    await waitFor(
      'the second host to leave Consul',
      async () => onSecond(await agentServices()).length === 0 || undefined,
      {
        timeoutMs: LOST_AFTER_MS + 2 * PING_EVERY_MS + 5000,
        intervalMs: 250,
      },
    );
    const leftAfterMs = Date.now() - killedAt;
    console.log(`multi-engine: the killed host's instances left Consul after ${leftAfterMs} ms`);
    expect(engine!.status().dockerHosts?.find((h) => h.name === 'second')?.state).toBe('lost');
    const remote = await waitFor('the LB to stop sending to the lost host', async () => {
      const answers = await servedBy(6);
      return answers.size === 2 ? answers : undefined;
    });
    expect(remote.size).toBe(2);

    second.startDockerd();
    const after = await waitFor(
      'the second host back in Consul',
      async () => {
        const ids = onSecond(await agentServices()).map((s) => s.ID);
        return ids.length >= 2 ? ids.sort() : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(after).toEqual(before);
    const all = (await agentServices()).map((s) => s.ID);
    expect(new Set(all).size).toBe(all.length);
    // The registrator's own reconnect may resync first; the host's state follows at its next ping.
    await waitFor(
      'the second host to be shown connected again',
      () => engine!.status().dockerHosts?.find((h) => h.name === 'second' && h.state === 'connected'),
      { timeoutMs: 2 * PING_EVERY_MS + 3000, intervalMs: 100 },
    );
    const back = engine!.status().services.find((s) => s.name === 'web')!.instances;
    expect(back.filter((i) => i.host === 'second')).toHaveLength(2);
  }, 120_000);
});
