/**
 * Hostile registrations against the registrator (real Docker, real Consul):
 * huge SERVICE_* values cannot make it keep megabytes, and a SERVICE_ID
 * cannot take over another container's or another owner's service.
 */
import { hostname } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createConsulClient, parseConsulAddress } from '../../main/engine/consul/consul-connection.js';
import { connectDocker } from '../../main/engine/docker/docker-connection.js';
import { Registrator } from '../../main/engine/registrator/registrator.js';
import { Timeline } from '../../main/engine/timeline.js';
import { TestResources, uniqueName } from '../support/docker-fixtures.js';
import { testImages } from '../support/images.js';
import { waitFor } from '../support/wait.js';

const HOST = `it-hostile-${hostname()}`;

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

  async function catalog(service: string): Promise<{ ServiceID: string }[]> {
    const response = await fetch(`${consulUrl}/v1/catalog/service/${service}`);
    return (await response.json()) as { ServiceID: string }[];
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
    for (let i = 0; i < containers; i++) {
      await resources.run({
        image: testImages.busybox,
        network,
        cmd: ['sleep', '600'],
        exposedPorts: ['80/tcp'],
        // The env value loses to the label: a conflict warning that quotes both.
        env: { SERVICE_TAGS: 'from-env' },
        labels,
      });
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
});
