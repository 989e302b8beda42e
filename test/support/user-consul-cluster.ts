/**
 * A three-server Consul cluster a test starts and owns, as a user's own cluster would be: each
 * server published on 127.0.0.1, the engine given their addresses. ACLs on (default deny) when a
 * token is given; `raftMultiplier` as Consul's `performance.raft_multiplier` (1: fast elections
 * for tests; 5: Consul's production default, slow enough that servers believe in a stopped leader
 * for seconds).
 */
import type Dockerode from 'dockerode';
import { uniqueName, waitForConsulLeader, type TestResources } from './docker-fixtures.js';
import { testImages } from './images.js';
import { freePort } from './ports.js';

export interface ClusterServer {
  name: string;
  url: string;
  container: Dockerode.Container;
}

export interface ClusterOptions {
  /** With a token: ACLs on, default deny, this token as master and agent token. */
  token?: string;
  raftMultiplier?: number;
  /** Client agents (not servers) joined to the cluster, each published too, as a host's local agent is. */
  clients?: number;
}

export interface UserConsulCluster {
  servers: ClusterServer[];
  clients: ClusterServer[];
}

export async function startUserConsulCluster(
  resources: TestResources,
  options: ClusterOptions = {},
): Promise<ClusterServer[]> {
  return (await startUserConsulClusterWithClients(resources, options)).servers;
}

/** The three servers and `options.clients` client agents, every agent seeing a leader. */
export async function startUserConsulClusterWithClients(
  resources: TestResources,
  options: ClusterOptions = {},
): Promise<UserConsulCluster> {
  const network = await resources.network();
  const prefix = uniqueName('dt-it-own');
  const names = [1, 2, 3].map((i) => `${prefix}-${i}`);
  const agent = async (name: string, role: string[]): Promise<ClusterServer> => {
    const port = await freePort();
    const container = await resources.run({
      image: testImages.consul,
      name,
      network,
      cmd: [
        'agent',
        ...role,
        `-node=${name}`,
        ...names.filter((n) => n !== name).map((n) => `-retry-join=${n}`),
        '-data-dir=/consul/data',
        '-client',
        '0.0.0.0',
        '-hcl',
        `performance { raft_multiplier = ${options.raftMultiplier ?? 1} }`,
        ...(options.token
          ? [
              '-hcl',
              `acl { enabled = true default_policy = "deny" tokens { master = "${options.token}" agent = "${options.token}" } }`,
            ]
          : []),
      ],
      labels: { SERVICE_IGNORE: 'true' },
      exposedPorts: ['8500/tcp'],
      publish: { '8500/tcp': port },
    });
    return { name, url: `http://127.0.0.1:${port}`, container };
  };
  const servers: ClusterServer[] = [];
  for (const name of names) servers.push(await agent(name, ['-server', '-bootstrap-expect=3']));
  const clients: ClusterServer[] = [];
  for (let i = 1; i <= (options.clients ?? 0); i++) clients.push(await agent(`${prefix}-client-${i}`, []));
  for (const member of [...servers, ...clients]) await waitForConsulLeader(member.url, 60_000);
  return { servers, clients };
}

/** The server the cluster's leader runs on (its Raft address names the node's container IP). */
export async function leaderOf(servers: readonly ClusterServer[], token?: string): Promise<ClusterServer> {
  const leader = await fetchJson<string>(`${servers[0]!.url}/v1/status/leader`, token);
  for (const server of servers) {
    const self = await fetchJson<{ Member?: { Addr?: string } }>(`${server.url}/v1/agent/self`, token);
    if (self.Member?.Addr && leader.startsWith(`${self.Member.Addr}:`)) return server;
  }
  throw new Error(`no server of ${servers.map((s) => s.name).join(', ')} is the leader ${leader}`);
}

async function fetchJson<T>(url: string, token?: string): Promise<T> {
  const response = await fetch(url, {
    headers: token ? { 'x-consul-token': token } : {},
    signal: AbortSignal.timeout(2000),
  });
  return (await response.json()) as T;
}
