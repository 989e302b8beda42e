/**
 * The registrator against a real Docker engine and a real Consul dev server.
 */
import { hostname } from 'node:os';
import type Dockerode from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createConsulClient, parseConsulAddress } from '../../main/engine/consul/consul-connection.js';
import { connectDocker } from '../../main/engine/docker/docker-connection.js';
import { Registrator } from '../../main/engine/registrator/registrator.js';
import { Timeline } from '../../main/engine/timeline.js';
import {
  TestResources,
  containerIp,
  docker,
  uniqueName,
  waitForConsulLeader,
} from '../support/docker-fixtures.js';
import { DockerSocketProxy } from '../support/docker-socket-proxy.js';
import { waitFor } from '../support/wait.js';

interface CatalogEntry {
  ServiceID: string;
  ServiceName: string;
  ServiceAddress: string;
  ServicePort: number;
  ServiceTags: string[];
  ServiceMeta: Record<string, string>;
}

const HOST = `it-${hostname()}`;

describe('registrator (real Docker, real Consul)', () => {
  const resources = new TestResources();
  let network: string;
  let consulUrl: string;
  let consulContainer: Dockerode.Container;
  const running: Registrator[] = [];

  async function catalog(service: string): Promise<CatalogEntry[]> {
    const response = await fetch(`${consulUrl}/v1/catalog/service/${service}`);
    return (await response.json()) as CatalogEntry[];
  }

  async function startRegistrator(
    socketPath?: string,
  ): Promise<{ registrator: Registrator; timeline: Timeline }> {
    const { docker: engine } = await connectDocker(socketPath ? { socketPath } : {});
    const timeline = new Timeline();
    const registrator = new Registrator(engine, createConsulClient(parseConsulAddress(consulUrl)), timeline, {
      hostname: HOST,
      mode: 'internal',
      preferredNetworks: [network],
      retryDelayMs: 50,
      maxRetryDelayMs: 300,
    });
    await registrator.start();
    running.push(registrator);
    return { registrator, timeline };
  }

  async function stopRegistrator(registrator: Registrator): Promise<void> {
    await registrator.stop();
    running.splice(running.indexOf(registrator), 1);
  }

  beforeAll(async () => {
    network = await resources.network();
    const consul = await resources.consul(network);
    consulUrl = consul.url;
    consulContainer = consul.container;
  });

  afterEach(async () => {
    for (const registrator of [...running]) await stopRegistrator(registrator);
  });

  afterAll(async () => {
    await resources.cleanup();
  });

  it('registers a started container within 1 s with ID, address, port and tags, and deregisters it on stop', async () => {
    await startRegistrator();
    const service = uniqueName('web');
    const name = uniqueName('dt-it-web');
    const container = await resources.run({
      name,
      network,
      env: { SERVICE_NAME: service, SERVICE_TAGS: 'backend' },
    });
    const startedAt = Date.now();
    const entry = await waitFor('registration', async () => (await catalog(service))[0], {
      timeoutMs: 1000,
      intervalMs: 10,
    });
    expect(Date.now() - startedAt).toBeLessThanOrEqual(1000);
    expect(entry).toMatchObject({
      ServiceID: `${HOST}:${name}:80`,
      ServiceName: service,
      ServiceAddress: await containerIp(container, network),
      ServicePort: 80,
      ServiceTags: ['backend'],
    });
    expect(entry.ServiceMeta['dt-owner']).toBe(`discovery-tray@${HOST}`);
    expect(entry.ServiceMeta['dt-container']).toBe(container.id);

    await container.stop({ t: 1 });
    await waitFor('deregistration', async () => ((await catalog(service)).length === 0 ? true : undefined), {
      timeoutMs: 5000,
    });
  });

  it('never registers a container with SERVICE_IGNORE', async () => {
    const { registrator, timeline } = await startRegistrator();
    const service = uniqueName('ignored');
    const container = await resources.run({
      network,
      env: { SERVICE_NAME: service, SERVICE_IGNORE: 'true' },
    });
    await waitFor('start event', () =>
      timeline.list().some((e) => e.kind === 'container-started' && e.containerId === container.id),
    );
    await registrator.settled();
    expect(await catalog(service)).toEqual([]);
    expect(registrator.status().services.some((s) => s.containerId === container.id)).toBe(false);
  });

  it('registers containers that were already running when it starts, and removes stale entries it owns', async () => {
    const first = await startRegistrator();
    const keptService = uniqueName('kept');
    const staleService = uniqueName('stale');
    await resources.run({ network, env: { SERVICE_NAME: keptService } });
    const doomed = await resources.run({ network, env: { SERVICE_NAME: staleService } });
    await waitFor(
      'both registered',
      async () => (await catalog(keptService)).length === 1 && (await catalog(staleService)).length === 1,
    );
    await stopRegistrator(first.registrator);

    // While the engine is down, the container goes away without anyone deregistering it.
    await doomed.remove({ force: true });
    resources.forget(doomed.id);
    expect(await catalog(staleService)).toHaveLength(1);

    // A service this engine does not own must survive the cleanup.
    await fetch(`${consulUrl}/v1/agent/service/register`, {
      method: 'PUT',
      body: JSON.stringify({ ID: 'someone-else', Name: staleService, Address: '127.0.0.1', Port: 1 }),
    });

    const second = await startRegistrator();
    await second.registrator.settled();
    const remaining = await catalog(staleService);
    expect(remaining.map((e) => e.ServiceID)).toEqual(['someone-else']);
    expect(await catalog(keptService)).toHaveLength(1);
    expect(
      second.timeline
        .list()
        .some((e) => e.kind === 'deregistered' && e.message.includes('its container is gone')),
    ).toBe(true);
    await fetch(`${consulUrl}/v1/agent/service/deregister/someone-else`, { method: 'PUT' });
  });

  it('restores every registration after Consul restarts and loses its data', async () => {
    const { registrator, timeline } = await startRegistrator();
    const service = uniqueName('survivor');
    await resources.run({ network, env: { SERVICE_NAME: service } });
    await resources.run({ network, env: { SERVICE_NAME: service } });
    await waitFor('two registered', async () => (await catalog(service)).length === 2);

    await consulContainer.restart({ t: 1 });
    await waitForConsulLeader(consulUrl);
    await waitFor('registrations restored', async () => (await catalog(service)).length === 2, {
      timeoutMs: 10_000,
    });
    expect(timeline.list().some((e) => e.kind === 'consul-down' || e.kind === 'consul-up')).toBe(true);
    expect(registrator.status().consul.connected).toBe(true);
  });

  it('reconnects after the Docker event stream is cut and misses nothing started or stopped meanwhile', async () => {
    const proxy = new DockerSocketProxy();
    await proxy.listen();
    try {
      const { registrator, timeline } = await startRegistrator(proxy.socketPath);
      const before = uniqueName('before');
      const stopping = await resources.run({ network, env: { SERVICE_NAME: before } });
      await waitFor('registered before the cut', async () => (await catalog(before)).length === 1);

      proxy.pause();
      await waitFor('the cut is noticed', () => registrator.status().docker.connected === false);
      const during = uniqueName('during');
      await resources.run({ network, env: { SERVICE_NAME: during } });
      await stopping.stop({ t: 1 });
      proxy.resume();

      await waitFor('registered after reconnect', async () => (await catalog(during)).length === 1, {
        timeoutMs: 10_000,
      });
      await waitFor('deregistered after reconnect', async () => (await catalog(before)).length === 0, {
        timeoutMs: 10_000,
      });
      expect(registrator.status().docker.connected).toBe(true);
      const kinds = timeline.list().map((e) => e.kind);
      expect(kinds).toContain('docker-down');
      expect(kinds.lastIndexOf('docker-up')).toBeGreaterThan(kinds.indexOf('docker-down'));
    } finally {
      await proxy.close();
    }
  });

  it('registers a container with a Docker HEALTHCHECK only once it is healthy', async () => {
    const { registrator } = await startRegistrator();
    const service = uniqueName('healthy');
    const container = await resources.run({
      network,
      env: { SERVICE_NAME: service },
      // Healthy only after the file appears, which the test creates.
      healthcheck: {
        Test: ['CMD-SHELL', 'test -f /tmp/ready'],
        Interval: 200_000_000,
        Timeout: 1_000_000_000,
        Retries: 1,
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    await registrator.settled();
    expect(await catalog(service)).toEqual([]);

    const exec = await container.exec({ Cmd: ['touch', '/tmp/ready'] });
    await exec.start({});
    await waitFor('registered once healthy', async () => (await catalog(service)).length === 1, {
      timeoutMs: 5000,
    });
    await docker
      .getContainer(container.id)
      .exec({ Cmd: ['rm', '/tmp/ready'] })
      .then((e) => e.start({}));
    await waitFor('deregistered when unhealthy', async () => (await catalog(service)).length === 0, {
      timeoutMs: 5000,
    });
  });

  it('warns when SERVICE_80_NAME overrides SERVICE_NAME, registering it as registrator does', async () => {
    const { registrator } = await startRegistrator();
    const generic = uniqueName('web');
    const portSpecific = uniqueName('http');
    const container = await resources.run({
      network,
      env: { SERVICE_NAME: generic, SERVICE_80_NAME: portSpecific },
    });
    await waitFor('registered under the port name', async () => (await catalog(portSpecific)).length === 1);
    expect(await catalog(generic)).toEqual([]);
    const containerName = (await container.inspect()).Name.slice(1);
    const warnings = registrator.status().warnings.filter((w) => w.container === containerName);
    expect(warnings.some((w) => w.message.includes(generic) && w.message.includes(portSpecific))).toBe(true);
  });
});
