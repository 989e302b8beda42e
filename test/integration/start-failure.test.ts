/**
 * A start that fails half-way stops what it started: with an LB image that cannot be had, the
 * start fails after the registrator is already following Docker. No registrator may be left
 * behind, or it would keep registering containers nobody follows (and a retry would start a
 * second one).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../main/engine/engine.js';
import { DiscoveryService } from '../../main/service/discovery-service.js';
import { TestResources } from '../support/docker-fixtures.js';
import { removeTestStack, testEngineConfig } from '../support/engine-fixture.js';
import { waitFor } from '../support/wait.js';

describe('a start that fails half-way (real Docker, Consul)', () => {
  const resources = new TestResources();
  let engine: Engine | undefined;

  afterAll(async () => {
    await resources.cleanup();
    await removeTestStack({ engine });
  });

  it('leaves no registrator running: a container started afterwards is not registered', async () => {
    const config = await testEngineConfig({ webCount: 1 });
    config.images = { ...config.images, lb: 'discovery-tray-test/no-such-lb:missing' };
    engine = new Engine(config);
    const app = new DiscoveryService(engine);
    await expect(app.startDemo()).rejects.toMatchObject({ code: 'image-unavailable' });
    expect(app.view().phase).toBe('failed');

    // The managed Consul came up before the failure and stays (the stack is not removed on a failed start).
    const consul = `http://127.0.0.1:${config.consulPort}`;
    await waitFor('Consul of the failed start', async () => (await fetch(`${consul}/v1/status/leader`)).ok);
    const name = `orphan-probe-${resources.runId}`;
    await resources.run({ env: { SERVICE_NAME: name }, exposedPorts: ['80/tcp'] });
    // A running registrator registers within a few milliseconds; give it plenty.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const registered = (await (await fetch(`${consul}/v1/catalog/services`)).json()) as Record<
      string,
      unknown
    >;
    expect(Object.keys(registered)).not.toContain(name);
  });
});
