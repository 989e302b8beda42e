/**
 * Containers and networks for integration tests, each labelled as a test's
 * own and removed by that test (never anything it did not create).
 */
import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { TEST_LABEL, testImages } from './images.js';
import { freePort } from './ports.js';
import { waitFor } from './wait.js';
import { timeoutSignal } from '../../main/engine/timeout-signal.js';

export const docker = new Dockerode();

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export class TestResources {
  readonly runId = randomBytes(4).toString('hex');
  private readonly containers = new Set<string>();
  private readonly networks = new Set<string>();

  labels(extra: Record<string, string> = {}): Record<string, string> {
    return { [TEST_LABEL]: this.runId, ...extra };
  }

  async network(name = uniqueName('dt-it')): Promise<string> {
    await docker.createNetwork({ Name: name, Labels: this.labels() });
    this.networks.add(name);
    return name;
  }

  async run(options: {
    image?: string;
    name?: string;
    network?: string;
    env?: Record<string, string>;
    labels?: Record<string, string>;
    cmd?: string[];
    exposedPorts?: string[];
    publish?: Record<string, number>;
    healthcheck?: Dockerode.ContainerCreateOptions['Healthcheck'];
    start?: boolean;
  }): Promise<Dockerode.Container> {
    const name = options.name ?? uniqueName('dt-it-web');
    const portBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    for (const [containerPort, hostPort] of Object.entries(options.publish ?? {})) {
      portBindings[containerPort] = [{ HostIp: '127.0.0.1', HostPort: String(hostPort) }];
    }
    const container = await docker.createContainer({
      name,
      Image: options.image ?? testImages.web,
      Env: Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`),
      Labels: this.labels(options.labels),
      ...(options.cmd ? { Cmd: options.cmd } : {}),
      ...(options.exposedPorts
        ? { ExposedPorts: Object.fromEntries(options.exposedPorts.map((p) => [p, {}])) }
        : {}),
      ...(options.healthcheck ? { Healthcheck: options.healthcheck } : {}),
      HostConfig: {
        ...(options.network ? { NetworkMode: options.network } : {}),
        PortBindings: portBindings,
      },
    });
    this.containers.add(container.id);
    if (options.start !== false) await container.start();
    return container;
  }

  /** A Consul dev server published on a free 127.0.0.1 port. */
  async consul(network?: string): Promise<{ container: Dockerode.Container; port: number; url: string }> {
    const port = await freePort();
    const container = await this.run({
      image: testImages.consul,
      name: uniqueName('dt-it-consul'),
      ...(network ? { network } : {}),
      cmd: ['agent', '-dev', '-client', '0.0.0.0'],
      labels: { SERVICE_IGNORE: 'true' },
      exposedPorts: ['8500/tcp'],
      publish: { '8500/tcp': port },
    });
    const url = `http://127.0.0.1:${port}`;
    await waitForConsulLeader(url);
    return { container, port, url };
  }

  forget(containerId: string): void {
    this.containers.delete(containerId);
  }

  async cleanup(): Promise<void> {
    await Promise.all(
      [...this.containers].map((id) =>
        docker
          .getContainer(id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
    );
    this.containers.clear();
    for (const name of this.networks)
      await docker
        .getNetwork(name)
        .remove()
        .catch(() => undefined);
    this.networks.clear();
  }
}

export async function waitForConsulLeader(url: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    `Consul leader at ${url}`,
    async () => {
      const timeout = timeoutSignal(1000);
      try {
        const response = await fetch(`${url}/v1/status/leader`, { signal: timeout.signal });
        const leader = (await response.text()).replace(/"/g, '');
        return leader.length > 0 ? true : undefined;
      } finally {
        timeout.clear();
      }
    },
    { timeoutMs, intervalMs: 100 },
  );
}

export async function containerIp(container: Dockerode.Container, network: string): Promise<string> {
  const info = await container.inspect();
  const ip = info.NetworkSettings.Networks[network]?.IPAddress;
  if (!ip) throw new Error(`container ${info.Name} has no address on ${network}`);
  return ip;
}
