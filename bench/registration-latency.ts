/**
 * Container start → registered in Consul, over N containers (default 50),
 * against the real Docker engine and a real Consul dev server.
 * The clock starts at Docker's `start` event (engine time) and stops when the
 * Consul agent has acknowledged the registration.
 *
 *   npm run bench:registration            # 50 containers
 *   COUNT=100 npm run bench:registration
 */
import { hostname } from 'node:os';
import { createConsulClient, parseConsulAddress } from '../main/engine/consul/consul-connection.js';
import { connectDocker } from '../main/engine/docker/docker-connection.js';
import { Registrator } from '../main/engine/registrator/registrator.js';
import { Timeline, type TimelineEvent } from '../main/engine/timeline.js';
import { TestResources, uniqueName } from '../test/support/docker-fixtures.js';
import { waitFor } from '../test/support/wait.js';
import { summarize, type Summary } from './stats.js';

export async function measureRegistrationLatency(count: number): Promise<Summary> {
  const resources = new TestResources();
  let registrator: Registrator | undefined;
  try {
    const network = await resources.network();
    const consul = await resources.consul(network);
    const { docker } = await connectDocker();
    const timeline = new Timeline(count * 10 + 100);
    registrator = new Registrator(docker, createConsulClient(parseConsulAddress(consul.url)), timeline, {
      hostname: hostname(),
      mode: 'internal',
      preferredNetworks: [network],
    });
    await registrator.start();

    const service = uniqueName('bench-web');
    const samples: number[] = [];
    const find = (kind: TimelineEvent['kind'], id: string): TimelineEvent | undefined =>
      timeline.list().find((e) => e.kind === kind && e.containerId === id);
    for (let i = 0; i < count; i++) {
      const container = await resources.run({ network, env: { SERVICE_NAME: service } });
      const registered = await waitFor('registration', () => find('registered', container.id), {
        timeoutMs: 10_000,
        intervalMs: 2,
      });
      const started = find('container-started', container.id);
      if (!started) throw new Error('no start event recorded');
      samples.push(registered.at - started.at);
      // Keep the engine small: remove each container once measured.
      await container.remove({ force: true });
      resources.forget(container.id);
    }
    return summarize(samples);
  } finally {
    await registrator?.stop();
    await resources.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.env.COUNT ?? 50);
  const summary = await measureRegistrationLatency(count);
  console.log(
    `start → registered over ${summary.n} containers: p50 ${summary.p50} ms, p95 ${summary.p95} ms`,
  );
  console.log(JSON.stringify({ registeredMs: summary }));
}
