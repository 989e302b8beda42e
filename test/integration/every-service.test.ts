/**
 * `status` lists every service in Consul, not only the ones the engine registered (real Docker,
 * Consul and nginx): a service someone registered straight through Consul's HTTP API shows up with
 * its check's status and read-only; a container whose settings conflict shows the warning, with its
 * fix, on its own row; the demo's web is in the live config.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceView, ServiceView } from '../../contract/index.js';
import { formatStatus } from '../../main/cli/format-status.js';
import type { Engine } from '../../main/engine/engine.js';
import type { DiscoveryService } from '../../main/service/discovery-service.js';
import { TestResources, uniqueName } from '../support/docker-fixtures.js';
import { removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { waitFor } from '../support/wait.js';

describe('every service in Consul, with health, config and warnings (real Docker, Consul, nginx)', () => {
  const resources = new TestResources();
  let engine: Engine;
  let app: DiscoveryService;
  let consulUrl: string;

  async function consulPut(path: string, body?: unknown): Promise<void> {
    const response = await fetch(`${consulUrl}${path}`, {
      method: 'PUT',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(5000),
    });
    expect(response.status, await response.text()).toBe(200);
  }

  async function services(): Promise<ServiceView[]> {
    return app.call('getServices');
  }

  async function instanceOf(serviceName: string, id: string): Promise<InstanceView | undefined> {
    return (await services()).find((s) => s.name === serviceName)?.instances.find((i) => i.id === id);
  }

  beforeAll(async () => {
    ({ engine, app } = await startTestEngine({ webCount: 1 }));
    consulUrl = app.getStatus().consul.url;
  });

  afterAll(async () => {
    await resources.cleanup();
    await removeTestStack({ engine });
  });

  it('lists a service registered by someone else, read-only, with its check status as it changes', async () => {
    const name = uniqueName('billing');
    // Registered straight through the local agent's API, as another tool or a person would.
    await consulPut('/v1/agent/service/register', {
      ID: `${name}-1`,
      Name: name,
      Address: '10.1.2.3',
      Port: 9000,
      Tags: ['api'],
      Check: { TTL: '300s', Status: 'warning' },
    });
    const foreign = await waitFor('the foreign service in getServices', async () => {
      const i = await instanceOf(name, `${name}-1`);
      return i?.health?.consul === 'warning' ? i : undefined;
    });
    expect(foreign).toMatchObject({
      address: '10.1.2.3',
      port: 9000,
      tags: ['api'],
      managedBy: 'none',
      owned: false,
      inConfig: false,
      health: { consul: 'warning' },
    });
    const listed = (await services()).find((s) => s.name === name);
    expect(listed).toMatchObject({ owned: false, running: 0, alsoRegistered: 1 });
    // Consul's own service is not listed.
    expect((await services()).map((s) => s.name)).not.toContain('consul');

    const text = formatStatus(await app.call('getStatus'));
    expect(text).toContain(`service ${name}: 0 running, 1 also registered (read-only: registered by others)`);
    expect(text).toMatch(new RegExp(`${name}-1 +10\\.1\\.2\\.3:9000 .*consul warning, read-only`));

    // The health watch follows the check: a TTL pass turns it green, without a poll.
    await consulPut(`/v1/agent/check/pass/service:${name}-1`);
    await waitFor('the check turns passing', async () =>
      (await instanceOf(name, `${name}-1`))?.health?.consul === 'passing' ? true : undefined,
    );

    // Deregistered by its owner: gone from the list.
    await consulPut(`/v1/agent/service/deregister/${name}-1`);
    await waitFor('the foreign service leaves the list', async () =>
      (await services()).some((s) => s.name === name) ? undefined : true,
    );
  });

  it('marks the demo web in the live config, ours, with Consul and Docker health', async () => {
    const web = await waitFor('web in the live config', async () => {
      const i = (await services()).find((s) => s.name === 'web')?.instances[0];
      return i?.inConfig && i.health?.consul ? i : undefined;
    });
    expect(web).toMatchObject({
      state: 'serving',
      owned: true,
      managedBy: 'demo',
      inConfig: true,
      health: { consul: 'passing', docker: 'none' },
    });
    expect((await services()).find((s) => s.name === 'web')?.owned).toBe(true);
  });

  it('shows the SERVICE_80_NAME vs SERVICE_NAME warning on the row of that container, with the fix', async () => {
    const generic = uniqueName('shop');
    const portSpecific = uniqueName('http');
    const network = await resources.network();
    const container = await resources.run({
      network,
      env: { SERVICE_NAME: generic, SERVICE_80_NAME: portSpecific },
    });
    const containerName = (await container.inspect()).Name.slice(1);
    const row = await waitFor('the conflicting container registered', async () => {
      const i = (await services()).find((s) => s.name === portSpecific)?.instances[0];
      return i?.warnings?.length ? i : undefined;
    });
    expect(row.containerName).toBe(containerName);
    expect(row.owned).toBe(true);
    expect(row.warnings).toEqual([
      {
        message: expect.stringContaining(
          `env SERVICE_80_NAME="${portSpecific}" overrides env SERVICE_NAME="${generic}"`,
        ) as string,
        fix: `remove env SERVICE_NAME="${generic}" from the container (env SERVICE_80_NAME="${portSpecific}" decides the service name), or remove env SERVICE_80_NAME="${portSpecific}" to keep env SERVICE_NAME="${generic}"`,
      },
    ]);
    // Other rows carry no warning of this container's.
    const web = (await services()).find((s) => s.name === 'web')?.instances[0];
    expect(web?.warnings).toBeUndefined();
    const text = formatStatus(await app.call('getStatus'));
    expect(text).toContain(`      fix: remove env SERVICE_NAME="${generic}" from the container`);
  });
});
