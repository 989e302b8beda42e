/**
 * The engine's one Consul client over several servers of one cluster: it talks to one server at a
 * time, and when that server stops answering, the liveness probe asks each server in turn (the
 * current one first) and moves the client to the first that knows a leader. Every part keeps the
 * same client object, so watches resume on the new server with the same index (one cluster, one
 * Raft index) and the registrator's resync puts back what the new agent lacks.
 */
import type Consul from 'consul';
import { pointConsulClient, type ConsulEndpoint } from './consul-connection.js';
import { consulJson } from './consul-http.js';

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
        const from = this.endpoint;
        this.current = index;
        pointConsulClient(this.client, from, this.endpoint);
      }
      return;
    }
  }

  private use(index: number): void {
    const from = this.endpoint;
    this.current = index;
    const to = this.endpoint;
    pointConsulClient(this.client, from, to);
    this.onMove(from, to);
  }
}

async function hasLeader(endpoint: ConsulEndpoint, timeoutMs: number): Promise<boolean> {
  const leader = await consulJson<string>(endpoint, '/v1/status/leader', { timeoutMs });
  return typeof leader === 'string' && leader.length > 0;
}

function getJson<T>(endpoint: ConsulEndpoint, path: string, timeoutMs: number): Promise<T | undefined> {
  return consulJson<T>(endpoint, path, { timeoutMs });
}
