/**
 * A real Consul cluster for the demo stack (`up --consul-servers 3|5`), next to the default single
 * dev server: N server agents that find each other by name on the stack network (retry-join) and
 * elect a leader once all N are there (bootstrap-expect). Each server publishes its own HTTP API on
 * 127.0.0.1 (the Consul port, then the next ones), so the engine can reach any of them.
 */
import type Dockerode from 'dockerode';
import { UserError } from '../errors.js';
import { ensureImage, type ProgressReporter } from './images.js';
import { assertPortFree } from './port-check.js';
import { INDEX_LABEL, roleLabels, type StackConfig } from './stack-config.js';
import type { StackContainer } from './stack.js';

export const CONSUL_SERVER_COUNTS = [1, 3, 5] as const;
export type ConsulServerCount = (typeof CONSUL_SERVER_COUNTS)[number];
/** Set on every server of a cluster: an adopted stack must be the shape that was asked for. */
export const CONSUL_SERVERS_LABEL = 'org.discovery-tray.consul-servers';

/** Odd counts only: a cluster of 2 or 4 tolerates no more failures than one server fewer. */
export function consulServerCount(value: unknown, flag = '--consul-servers'): ConsulServerCount {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (!CONSUL_SERVER_COUNTS.includes(n as ConsulServerCount)) {
    throw new UserError(
      `${flag} must be 1 (a dev server), 3 or 5 (a cluster that survives losing 1 or 2 servers); got ${JSON.stringify(value)}`,
      'bad-request',
    );
  }
  return n as ConsulServerCount;
}

export function consulServerName(config: StackConfig, index: number): string {
  return `${config.project}-consul-${index}`;
}

/** The agent command of server `index` (1-based) of a cluster of `count`. */
export function consulServerCommand(config: StackConfig, count: number, index: number): string[] {
  const others = Array.from({ length: count }, (_, i) => i + 1).filter((i) => i !== index);
  return [
    'agent',
    '-server',
    `-bootstrap-expect=${count}`,
    `-node=${consulServerName(config, index)}`,
    ...others.map((i) => `-retry-join=${consulServerName(config, i)}`),
    // The official image's entrypoint adds it, a plain Consul image does not: say it either way.
    '-data-dir=/consul/data',
    '-client',
    '0.0.0.0',
    '-ui',
    // Consul's production-grade timing for a local cluster: a leader change takes seconds, not ten.
    '-hcl',
    'performance { raft_multiplier = 1 }',
  ];
}

/**
 * The cluster's servers, adopted or created; resolves with the 127.0.0.1 port of each, in order.
 * A stack that already runs another Consul shape is refused (nothing is changed).
 */
export async function ensureConsulCluster(
  docker: Dockerode,
  config: StackConfig,
  network: string,
  existing: readonly StackContainer[],
  progress: ProgressReporter,
): Promise<{ ports: number[]; adopted: boolean }> {
  const count = config.consulServers ?? 1;
  if (existing.length > 0) {
    const labels = await Promise.all(
      existing.map(async (c) => (await docker.getContainer(c.id).inspect()).Config.Labels ?? {}),
    );
    if (existing.length !== count || labels.some((l) => l[CONSUL_SERVERS_LABEL] !== String(count))) {
      throw new UserError(
        `This stack already runs ${existing.length === 1 && !labels[0]?.[CONSUL_SERVERS_LABEL] ? 'a Consul dev server' : `${existing.length} Consul server(s)`}; run discovery-tray down first to start it with --consul-servers ${count}.`,
        'stack-damaged',
      );
    }
    const sorted = [...existing].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    for (const server of sorted) if (!server.running) await docker.getContainer(server.id).start();
    return { ports: sorted.map((s) => s.hostPort ?? 0).filter((p) => p > 0), adopted: true };
  }
  const ports = Array.from({ length: count }, (_, i) => config.consulPort + i);
  // Every port is checked before anything starts, so a port in use changes nothing at all.
  for (const port of ports) await assertPortFree('consulPort', port, 'Consul UI and API (one per server)');
  await ensureImage(docker, config.images.consul, '--consul-image', progress);
  progress(`starting a ${count}-server Consul cluster on 127.0.0.1:${ports[0]}-${ports[ports.length - 1]}`);
  const created: Dockerode.Container[] = [];
  try {
    for (const [i, port] of ports.entries()) {
      const container = await docker.createContainer({
        name: consulServerName(config, i + 1),
        Image: config.images.consul,
        Cmd: consulServerCommand(config, count, i + 1),
        Labels: roleLabels(config, 'consul', {
          SERVICE_IGNORE: 'true',
          [INDEX_LABEL]: String(i + 1),
          [CONSUL_SERVERS_LABEL]: String(count),
        }),
        ExposedPorts: { '8500/tcp': {} },
        HostConfig: {
          NetworkMode: network,
          PortBindings: { '8500/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] },
        },
      });
      created.push(container);
    }
    await Promise.all(created.map((c) => c.start()));
  } catch (error) {
    // Half a cluster never elects a leader: remove what was made, so that a retry starts clean.
    await Promise.all(created.map((c) => c.remove({ force: true }).catch(() => undefined)));
    throw error;
  }
  return { ports, adopted: false };
}
