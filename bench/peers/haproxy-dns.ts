/**
 * Peer (a) of the benchmarks: HAProxy finding `web` through Consul's DNS
 * interface, as many setups do instead of re-rendering a config: a
 * `resolvers` section pointing at Consul's DNS port and a `server-template`
 * over the service's SRV records. Registrations come from our registrator,
 * so the difference measured is only how the LB learns about them.
 * It runs on the demo stack's network and is published on 127.0.0.1 only.
 */
import type Dockerode from 'dockerode';
import { tarArchive } from '../../main/engine/docker/archive.js';
import { STACK_LABEL, ROLE_LABEL } from '../../main/engine/stack/stack-config.js';

/** HAProxy's documented defaults for DNS discovery: re-resolve every second. */
export function haproxyConfig(consulIp: string, maxServers: number): string {
  return [
    'global',
    '  maxconn 2048',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  retries 3',
    '  option redispatch',
    'resolvers consul',
    `  nameserver consul ${consulIp}:8600`,
    '  accepted_payload_size 8192',
    '  resolve_retries 3',
    '  timeout resolve 1s',
    '  timeout retry 1s',
    '  hold valid 10s',
    'frontend http',
    '  bind :80',
    '  default_backend web',
    'backend web',
    '  balance roundrobin',
    `  server-template web 1-${maxServers} _web._tcp.service.consul resolvers consul resolve-prefer ipv4 init-addr none`,
    '',
  ].join('\n');
}

export interface HaproxyPeer {
  url: string;
  remove(): Promise<void>;
}

export async function startHaproxyPeer(
  docker: Dockerode,
  options: { project: string; network: string; consulContainer: string; image: string; port: number },
): Promise<HaproxyPeer> {
  const consul = await docker.getContainer(options.consulContainer).inspect();
  const consulIp = consul.NetworkSettings.Networks[options.network]?.IPAddress;
  if (!consulIp) throw new Error(`Consul is not on ${options.network}`);
  const container = await docker.createContainer({
    name: `${options.project}-peer-haproxy`,
    Image: options.image,
    Labels: { [STACK_LABEL]: options.project, [ROLE_LABEL]: 'peer', SERVICE_IGNORE: 'true' },
    ExposedPorts: { '80/tcp': {} },
    HostConfig: {
      NetworkMode: options.network,
      PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(options.port) }] },
    },
  });
  await container.putArchive(
    await tarArchive([{ path: 'haproxy.cfg', content: haproxyConfig(consulIp, 20) }]),
    { path: '/usr/local/etc/haproxy' },
  );
  await container.start();
  return {
    url: `http://127.0.0.1:${options.port}`,
    remove: async () => {
      await container.remove({ force: true }).catch(() => undefined);
    },
  };
}
