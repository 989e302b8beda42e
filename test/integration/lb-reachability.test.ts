/**
 * Containers of the user's own, on Docker's default bridge and on a network the test makes, are
 * served through the LB (the engine joins the LB to their networks) without a failed or slow
 * request; the LB leaves a network when its last backend goes; a registration nobody can reach
 * is shown as unreachable, with why, and stays out of the config.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../main/engine/traffic/load-loop.js';
import { TestResources, containerIp, docker } from '../support/docker-fixtures.js';
import { removeTestStack, startTestEngine, type TestEngine } from '../support/engine-fixture.js';
import { waitFor } from '../support/wait.js';

describe('the LB reaches backends on any network, or says why not', () => {
  const resources = new TestResources();
  let test: TestEngine | undefined;

  beforeAll(async () => {
    test = await startTestEngine({ webCount: 1 });
  }, 120_000);

  afterAll(async () => {
    await test?.engine.parts?.consul.agent.service.deregister('dt-it-unreachable').catch(() => undefined);
    await removeTestStack(test);
    await resources.cleanup();
  }, 60_000);

  const lbNetworks = async (): Promise<string[]> =>
    Object.keys(
      (await docker.getContainer(test!.engine.parts!.lb.containerId).inspect()).NetworkSettings.Networks,
    );

  it('serves a container on the default bridge and one on a user network, 0 failed or slow of 300', async () => {
    const { engine } = test!;
    const network = await resources.network();
    // The classic template routes `backend.web`: the web service's instances tagged backend.
    const env = { SERVICE_NAME: 'web', SERVICE_TAGS: 'backend' };
    const started = Date.now();
    const [onBridge, onNetwork] = await Promise.all([
      resources.run({ env }),
      resources.run({ env, network }),
    ]);
    // 300 requests spread over the first 4.5 s: 6 rounds of 50, a pause between them.
    const load = {
      sent: 0,
      failures: [] as unknown[],
      latenciesMs: [] as number[],
      byBackend: {} as Record<string, number>,
    };
    for (let round = 0; round < 6; round++) {
      const part = await runLoad({
        url: `http://127.0.0.1:${engine.lbPort}/`,
        total: 50,
        concurrency: 2,
        deadlineMs: Math.max(1, 5000 - (Date.now() - started)),
        mix: ['get'],
      });
      load.sent += part.sent;
      load.failures.push(...part.failures);
      load.latenciesMs.push(...part.latenciesMs);
      for (const [backend, n] of Object.entries(part.byBackend))
        load.byBackend[backend] = (load.byBackend[backend] ?? 0) + n;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, started + (round + 1) * 750 - Date.now())),
      );
    }
    expect(Date.now() - started).toBeLessThan(5000);
    const bridgeIp = await containerIp(onBridge, 'bridge');
    const networkIp = await containerIp(onNetwork, network);
    const served = (ip: string): number =>
      Object.entries(load.byBackend)
        .filter(([backend]) => backend.includes(ip))
        .reduce((sum, [, n]) => sum + n, 0);
    expect(load.sent).toBe(300);
    expect(load.failures).toEqual([]);
    expect(load.latenciesMs.filter((ms) => ms > 1000)).toEqual([]);
    expect(served(bridgeIp)).toBeGreaterThan(0);
    expect(served(networkIp)).toBeGreaterThan(0);
    expect(await lbNetworks()).toEqual(expect.arrayContaining(['bridge', network]));

    // Its last backend goes: the LB leaves the network (after a short linger).
    await onNetwork.remove({ force: true });
    resources.forget(onNetwork.id);
    await waitFor('the LB to leave the test network', async () => !(await lbNetworks()).includes(network), {
      timeoutMs: 20_000,
      intervalMs: 250,
    });
    expect(await lbNetworks()).toContain('bridge');
  }, 60_000);

  it('shows a registration nobody can reach as unreachable, and leaves it out of the config', async () => {
    const { engine } = test!;
    const network = await resources.network();
    const subnet = (await docker.getNetwork(network).inspect()).IPAM?.Config?.[0]?.Subnet ?? '';
    const address = subnet.replace(/\.\d+\/\d+$/, '.200');
    expect(address).toMatch(/^\d+\.\d+\.\d+\.200$/);
    await engine.parts!.consul.agent.service.register({
      name: 'web',
      id: 'dt-it-unreachable',
      address,
      port: 80,
      tags: ['backend'],
    });
    const instance = await waitFor(
      'the registration to be reported unreachable',
      () =>
        engine
          .status()
          .services.flatMap((s) => s.instances)
          .find((i) => i.id === 'dt-it-unreachable' && i.state === 'unreachable'),
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(instance.unreachableReason).toMatch(/cannot connect to .*200:80/);
    expect(engine.status().lb.config).not.toContain(address);
    expect(engine.timeline.recent(200).some((e) => e.kind === 'unreachable')).toBe(true);
    // The LB did not join a network for an address no container holds.
    expect(await lbNetworks()).not.toContain(network);
  }, 40_000);
});
