/**
 * A burst: `count` containers created and started at once with the Docker API
 * (not through the engine), each one a service the registrator must register.
 * Consul's catalog is then compared with the started set: every container
 * registered, none lost, none twice; the rate is registrations per second from
 * the first create to the last registration the engine's timeline recorded.
 */
import type { TestEngine } from '../test/support/engine-fixture.js';
import type Dockerode from 'dockerode';
import { removeAll, startDirect } from './curve-docker.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface BurstResult {
  started: number;
  registered: number;
  /** Started containers that Consul's catalog does not have at the deadline. */
  missing: number;
  /** Catalog entries for the burst that match no started container, or one twice. */
  unexpected: number;
  startMs: number;
  allRegisteredMs: number;
  /** The last registration after the last start answered: the registrator's own lag behind Docker. */
  lagMs: number;
  registrationsPerSecond: number;
}

interface CatalogEntry {
  ServiceID: string;
}

async function catalog(consulPort: number, service: string): Promise<CatalogEntry[]> {
  const response = await fetch(`http://127.0.0.1:${consulPort}/v1/catalog/service/${service}`, {
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`Consul answered ${response.status} for the catalog of ${service}`);
  return (await response.json()) as CatalogEntry[];
}

export async function measureBurst(docker: Dockerode, test: TestEngine, count: number): Promise<BurstResult> {
  const { project, images, consulPort } = test.engine.config;
  const service = 'burst';
  const t0 = performance.timeOrigin + performance.now();
  const { ms: startMs, containers } = await startDirect(docker, {
    project,
    image: images.web,
    count,
    prefix: 'burst',
    // Not tagged "backend": the burst tests the registrator, not nginx.
    env: [`SERVICE_NAME=${service}`],
  });
  try {
    const names = containers.map((_, i) => `${project}-burst-${i}`);
    // Bounded: 60 s, polled every 100 ms.
    const deadline = Date.now() + 60_000;
    let entries = await catalog(consulPort, service);
    while (entries.length < count && Date.now() < deadline) {
      await sleep(100);
      entries = await catalog(consulPort, service);
    }
    const ids = entries.map((e) => e.ServiceID);
    const owner = (id: string): string | undefined => names.find((name) => id.includes(`:${name}:`));
    const found = new Set(ids.map(owner).filter((n): n is string => n !== undefined));
    const unexpected = ids.length - found.size;
    const ours = new Set(containers.map((c) => c.id));
    const registeredAt = test.engine.timeline
      .list()
      .filter((e) => e.kind === 'registered' && e.containerId !== undefined && ours.has(e.containerId))
      .map((e) => e.at);
    const last = Math.max(...registeredAt);
    const allRegisteredMs = last - t0;
    return {
      started: count,
      registered: found.size,
      missing: count - found.size,
      unexpected,
      startMs: Math.round(startMs),
      allRegisteredMs: Math.round(allRegisteredMs),
      lagMs: Math.round(allRegisteredMs - startMs),
      registrationsPerSecond: Math.round((registeredAt.length / (allRegisteredMs / 1000)) * 10) / 10,
    };
  } finally {
    await removeAll(containers);
  }
}
