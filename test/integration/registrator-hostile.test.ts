/**
 * Hostile registrations against the registrator (real Docker, real Consul):
 * huge SERVICE_* values cannot make it keep megabytes, and a SERVICE_ID
 * cannot take over another container's or another owner's service.
 */
import { hostname } from 'node:os';
import type Dockerode from 'dockerode';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createConsulClient, parseConsulAddress } from '../../main/engine/consul/consul-connection.js';
import { connectDocker } from '../../main/engine/docker/docker-connection.js';
import { Registrator } from '../../main/engine/registrator/registrator.js';
import { Timeline } from '../../main/engine/timeline.js';
import { TestResources, containerIp, uniqueName } from '../support/docker-fixtures.js';
import { testImages } from '../support/images.js';
import { waitFor } from '../support/wait.js';

const HOST = `it-hostile-${hostname()}`;

interface CatalogEntry {
  ServiceID: string;
  ServiceName: string;
  ServiceAddress: string;
  ServicePort: number;
  ServiceMeta: Record<string, string>;
}

interface AgentEntry {
  ID: string;
  Service: string;
  Address: string;
  Port: number;
  Tags: string[];
  Meta: Record<string, string>;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapUsedAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

describe('hostile registrations (real Docker, real Consul)', () => {
  const resources = new TestResources();
  let network: string;
  let consulUrl: string;
  const running: Registrator[] = [];

  async function catalog(service: string): Promise<CatalogEntry[]> {
    const response = await fetch(`${consulUrl}/v1/catalog/service/${service}`);
    return (await response.json()) as CatalogEntry[];
  }

  /** The agent's view of one service ID (what a register with that ID would replace). */
  async function agentService(id: string): Promise<AgentEntry | undefined> {
    const response = await fetch(`${consulUrl}/v1/agent/service/${encodeURIComponent(id)}`);
    return response.status === 404 ? undefined : ((await response.json()) as AgentEntry);
  }

  async function consulPut(path: string, body?: unknown): Promise<void> {
    const response = await fetch(`${consulUrl}${path}`, {
      method: 'PUT',
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(5000),
    });
    expect(response.status).toBe(200);
  }

  /** Waits until the registrator has handled a container's start event, then until it is idle. */
  async function handled(
    registrator: Registrator,
    timeline: Timeline,
    container: Dockerode.Container,
  ): Promise<void> {
    await waitFor('the start to be handled', () =>
      timeline.list().some((e) => e.kind === 'container-started' && e.containerId === container.id),
    );
    await registrator.settled();
  }

  /** Waits until the registrator has handled a container's stop (its die event), then until it is idle. */
  async function stopped(
    registrator: Registrator,
    timeline: Timeline,
    container: Dockerode.Container,
  ): Promise<void> {
    await container.stop({ t: 1 });
    await waitFor('the stop to be handled', () =>
      timeline.list().some((e) => e.kind === 'container-stopped' && e.containerId === container.id),
    );
    await registrator.settled();
  }

  async function startRegistrator(): Promise<{ registrator: Registrator; timeline: Timeline }> {
    const { docker: engine } = await connectDocker();
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
    consulUrl = (await resources.consul(network)).url;
  });

  afterEach(async () => {
    for (const registrator of [...running]) await stopRegistrator(registrator);
  });

  afterAll(async () => {
    await resources.cleanup();
  });

  it('keeps a bounded, small record of 30 containers with 250 KB of hostile SERVICE_* values each', async () => {
    const service = uniqueName('hostile');
    const containers = 30;
    const badTags = Array.from({ length: 50 }, (_, i) => `bad;${i}${'x'.repeat(2000)}`);
    const goodTags = Array.from({ length: 400 }, (_, i) => `ok-${i}-${'v'.repeat(100)}`);
    const labels = {
      SERVICE_NAME: service,
      SERVICE_TAGS: [...badTags, ...goodTags].join(','),
      SERVICE_NOTE: 'n'.repeat(100_000),
    };
    const inputBytes =
      Object.entries(labels).reduce((sum, [k, v]) => sum + k.length + v.length, 0) * containers;
    const hostile: Dockerode.Container[] = [];
    onTestFinished(async () => {
      // Gone before the next test: their 200 warnings would fill the next registrator's book.
      for (const container of hostile) {
        await container.remove({ force: true });
        resources.forget(container.id);
      }
    });
    for (let i = 0; i < containers; i++) {
      hostile.push(
        await resources.run({
          image: testImages.busybox,
          network,
          cmd: ['sleep', '600'],
          exposedPorts: ['80/tcp'],
          // The env value loses to the label: a conflict warning that quotes both.
          env: { SERVICE_TAGS: 'from-env' },
          labels,
        }),
      );
    }

    const before = heapUsedAfterGc();
    const { registrator, timeline } = await startRegistrator();
    await waitFor('all registered', async () => (await catalog(service)).length === containers, {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    await registrator.settled();
    const retainedHeap = heapUsedAfterGc() - before;

    const status = registrator.status();
    const kept = {
      warnings: JSON.stringify(status.warnings).length,
      timeline: JSON.stringify(timeline.list()).length,
      services: JSON.stringify(status.services).length,
    };
    const keptBytes = kept.warnings + kept.timeline + kept.services;
    console.log(
      `hostile input ${(inputBytes / 1e6).toFixed(1)} MB; kept: warnings ${kept.warnings} B, timeline ${kept.timeline} B, ` +
        `services ${kept.services} B; heap retained ${(retainedHeap / 1e6).toFixed(2)} MB`,
    );

    // Every value quoted in a message is cut short, saying how long it was.
    expect(status.warnings.map((w) => w.message).join('\n')).toMatch(/"bad;0x+…" \(2005 characters\)/);
    expect(Math.max(...status.warnings.map((w) => w.message.length))).toBeLessThanOrEqual(400);
    expect(Math.max(...timeline.list().map((e) => e.message.length))).toBeLessThanOrEqual(1000);
    // At most 10 warnings per container, at most 200 (and one line about the rest) overall.
    const perContainer = new Map<string, number>();
    for (const w of status.warnings) perContainer.set(w.container, (perContainer.get(w.container) ?? 0) + 1);
    expect(Math.max(...perContainer.values())).toBeLessThanOrEqual(10);
    expect(status.warnings.length).toBeLessThanOrEqual(201);
    expect(status.warnings.at(-1)?.message).toMatch(/not kept/);
    // Registered tags are capped too: at most 64 per service.
    expect(Math.max(...status.services.map((s) => s.tags.length))).toBeLessThanOrEqual(64);
    // The figures: 7.5 MB of hostile values in, a bounded record out.
    expect(keptBytes).toBeLessThan(600_000);
    expect(retainedHeap).toBeLessThan(4_000_000);
  });

  it('refuses a SERVICE_ID another container holds: the first keeps it, the second stop does not remove it', async () => {
    const { registrator, timeline } = await startRegistrator();
    const service = uniqueName('shared');
    const id = uniqueName('shared-id');
    const firstName = uniqueName('dt-it-first');
    const secondName = uniqueName('dt-it-second');
    const first = await resources.run({
      name: firstName,
      network,
      env: { SERVICE_NAME: service, SERVICE_ID: id },
    });
    await waitFor(
      'the first registered',
      async () => (await agentService(id))?.Meta['dt-container'] === first.id,
    );
    const firstIp = await containerIp(first, network);

    const second = await resources.run({
      name: secondName,
      network,
      env: { SERVICE_NAME: service, SERVICE_ID: id },
    });
    await handled(registrator, timeline, second);
    expect(await agentService(id)).toMatchObject({ Address: firstIp, Meta: { 'dt-container': first.id } });
    const refusal = registrator
      .status()
      .warnings.find(
        (w) => w.container === secondName && w.message.includes(`already used by container ${firstName}`),
      );
    expect(refusal?.message).toContain(JSON.stringify(id));
    expect(
      timeline
        .list()
        .some((e) => e.kind === 'warning' && e.containerId === second.id && e.message === refusal?.message),
    ).toBe(true);
    expect(
      registrator
        .status()
        .services.filter((s) => s.id === id)
        .map((s) => s.containerId),
    ).toEqual([first.id]);

    // The second stops: the first's registration stays.
    await stopped(registrator, timeline, second);
    expect(await agentService(id)).toMatchObject({ Address: firstIp, Meta: { 'dt-container': first.id } });
    expect((await catalog(service)).map((e) => e.ServiceAddress)).toEqual([firstIp]);

    // Started again, then a resync from scratch (a new engine): still the first's, the second refused again.
    await second.start();
    await stopRegistrator(registrator);
    const resynced = await startRegistrator();
    await resynced.registrator.settled();
    expect(await agentService(id)).toMatchObject({ Address: firstIp, Meta: { 'dt-container': first.id } });
    expect(
      resynced.registrator
        .status()
        .warnings.some(
          (w) => w.container === secondName && w.message.includes(`already used by container ${firstName}`),
        ),
    ).toBe(true);
    await stopped(resynced.registrator, resynced.timeline, second);
    expect(await agentService(id)).toMatchObject({ Address: firstIp, Meta: { 'dt-container': first.id } });

    // The holder's own stop removes it, as always.
    await stopped(resynced.registrator, resynced.timeline, first);
    expect(await agentService(id)).toBeUndefined();
  });

  it('refuses a SERVICE_ID that someone else registered in Consul, and leaves theirs untouched', async () => {
    const theirs = {
      ID: uniqueName('foreign-id'),
      Name: uniqueName('foreign'),
      Address: '127.0.0.1',
      Port: 1234,
      Tags: ['theirs'],
    };
    const otherEngine = {
      ID: uniqueName('other-engine-id'),
      Name: uniqueName('other-engine'),
      Address: '127.0.0.2',
      Port: 4321,
      Meta: { 'dt-owner': 'discovery-tray@another-host', 'dt-container': 'f'.repeat(64) },
    };
    await consulPut('/v1/agent/service/register', theirs);
    await consulPut('/v1/agent/service/register', otherEngine);
    try {
      const { registrator, timeline } = await startRegistrator();
      const service = uniqueName('taker');
      const takers: Dockerode.Container[] = [];
      for (const foreign of [theirs, otherEngine]) {
        const name = uniqueName('dt-it-taker');
        const taker = await resources.run({
          name,
          network,
          env: { SERVICE_NAME: service, SERVICE_ID: foreign.ID },
        });
        takers.push(taker);
        await handled(registrator, timeline, taker);
        expect(await agentService(foreign.ID)).toMatchObject({
          Service: foreign.Name,
          Address: foreign.Address,
        });
        expect(
          registrator
            .status()
            .warnings.some(
              (w) => w.container === name && w.message.includes('registered in Consul by someone else'),
            ),
        ).toBe(true);
      }
      const untouched = async (): Promise<void> => {
        expect(await agentService(theirs.ID)).toMatchObject({
          Service: theirs.Name,
          Address: '127.0.0.1',
          Port: 1234,
          Tags: ['theirs'],
          Meta: {},
        });
        expect(await agentService(otherEngine.ID)).toMatchObject({
          Service: otherEngine.Name,
          Address: '127.0.0.2',
          Port: 4321,
          Meta: otherEngine.Meta,
        });
        expect(await catalog(service)).toEqual([]);
      };
      await untouched();

      // A resync from scratch while the takers run, then their stops, then a cleanup resync.
      await stopRegistrator(registrator);
      const resynced = await startRegistrator();
      await resynced.registrator.settled();
      await untouched();
      for (const taker of takers) await stopped(resynced.registrator, resynced.timeline, taker);
      await untouched();
      await resynced.registrator.resync();
      await untouched();
      const foreignIds = [theirs.ID, otherEngine.ID];
      for (const events of [timeline.list(), resynced.timeline.list()])
        expect(
          events.filter((e) => e.kind === 'deregistered' && foreignIds.includes(e.serviceId ?? '')),
        ).toEqual([]);
    } finally {
      await consulPut(`/v1/agent/service/deregister/${theirs.ID}`);
      await consulPut(`/v1/agent/service/deregister/${otherEngine.ID}`);
    }
  });
});
