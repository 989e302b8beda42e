/**
 * The engine's one Consul client over several servers of one cluster: it talks to one server at a
 * time, and when that server stops answering, the liveness probe asks each server in turn (the
 * current one first) and moves the client to the first that knows a leader. Every part keeps the
 * same client object, so watches resume on the new server with the same index (one cluster, one
 * Raft index) and the registrator's resync puts back what the new agent lacks.
 */
import type Consul from 'consul';
import { consulUrl, type ConsulEndpoint } from './consul-connection.js';

interface PapiBaseUrl {
  protocol: string;
  hostname: string;
  port: string;
  path: string;
}

export class ConsulServers {
  private current = 0;

  constructor(
    private readonly client: Consul,
    readonly endpoints: readonly ConsulEndpoint[],
    private readonly onMove: (from: ConsulEndpoint, to: ConsulEndpoint) => void = () => undefined,
    /** The server the client already points at (the user's list: the first that answered). */
    initial = 0,
  ) {
    this.current = initial;
  }

  get endpoint(): ConsulEndpoint {
    return this.endpoints[this.current]!;
  }

  /** Tries each server once (bounded: `timeoutMs` each); true when one has a leader, which is then used. */
  async findLive(timeoutMs: number): Promise<boolean> {
    for (let step = 0; step < this.endpoints.length; step++) {
      const index = (this.current + step) % this.endpoints.length;
      if (!(await hasLeader(this.endpoints[index]!, timeoutMs))) continue;
      if (index !== this.current) this.use(index);
      return true;
    }
    return false;
  }

  /**
   * Starts on the leader: every consistent read is answered by it anyway (one hop fewer), and the
   * leader is the server a leader change takes away, the case the failover is for.
   */
  async preferLeader(timeoutMs: number): Promise<void> {
    const leader = await getJson<string>(this.endpoint, '/v1/status/leader', timeoutMs);
    for (const [index, endpoint] of this.endpoints.entries()) {
      const self = await getJson<{ Member?: { Addr?: string } }>(endpoint, '/v1/agent/self', timeoutMs);
      if (!leader || !self?.Member?.Addr || !leader.startsWith(`${self.Member.Addr}:`)) continue;
      if (index !== this.current) {
        this.current = index;
        this.point(this.endpoint);
      }
      return;
    }
  }

  private use(index: number): void {
    const from = this.endpoint;
    this.current = index;
    const to = this.endpoint;
    this.point(to);
    this.onMove(from, to);
  }

  private point(to: ConsulEndpoint): void {
    // The consul client builds every request from this (papi's Client); nothing else holds the address.
    const base = (this.client as unknown as { _opts: { baseUrl: PapiBaseUrl } })._opts.baseUrl;
    base.protocol = to.secure ? 'https:' : 'http:';
    base.hostname = to.host;
    base.port = String(to.port);
  }
}

async function hasLeader(endpoint: ConsulEndpoint, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(`${consulUrl(endpoint)}/v1/status/leader`, {
      headers: endpoint.token ? { 'x-consul-token': endpoint.token } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return false;
    return ((await response.json()) as string).length > 0;
  } catch {
    return false;
  }
}

async function getJson<T>(endpoint: ConsulEndpoint, path: string, timeoutMs: number): Promise<T | undefined> {
  try {
    const response = await fetch(`${consulUrl(endpoint)}${path}`, {
      headers: endpoint.token ? { 'x-consul-token': endpoint.token } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.ok ? ((await response.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}
