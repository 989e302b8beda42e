/**
 * Registrations live on the agent they were registered with. When the engine moves to another
 * agent, the registrator puts what it owns on the new one (its resync), and what stays on the agent
 * it left goes with that agent: out of every passing query while the agent is failed. But an agent
 * that comes back (restarted, unfrozen) still has them and syncs them into the catalog again:
 * the same service IDs twice, and never deregistered when their containers go, since the engine now
 * writes elsewhere. So each agent the engine left is asked again every few seconds, and once it
 * answers, what this engine owns there is deregistered from it (registrator's cleanup of its own
 * entries, on the agent it no longer uses). Moving back to that agent cancels this: its resync
 * makes that agent right again.
 */
import { consulUrl, type ConsulEndpoint } from './consul-connection.js';
import { consulJson } from './consul-http.js';
import { OWNER_META_KEY, ownerId, type AgentServiceEntry } from '../registrator/ownership.js';
import type { TimelineInput } from '../timeline.js';

export const LEFT_AGENT_LIMITS = { intervalMs: 3000, timeoutMs: 1500 } as const;

export interface LeftAgentsOptions {
  /** The agent in use now. */
  current: () => ConsulEndpoint;
  /** True for an owner meta value written by this engine (its registrator or one of its followed hosts). */
  ownsValue: (owner: string) => boolean;
  record: (event: TimelineInput) => void;
  /** Called when the engine moved back onto an agent while it was being cleaned. */
  resync: () => void;
}

/**
 * The owner values this engine writes: its own registrator's (`discovery-tray@HOST`) and its followed
 * hosts' (`discovery-tray@NAME@HOST`, main/engine/multi/followed-host.ts).
 */
export function isThisEnginesOwner(owner: string, hostname: string): boolean {
  const mine = ownerId(hostname);
  return owner === mine || (owner.startsWith(ownerId('')) && owner.endsWith(`@${hostname}`));
}

export class LeftAgents {
  private readonly left = new Map<string, ConsulEndpoint>();
  private timer: NodeJS.Timeout | undefined;
  private running = true;

  constructor(private readonly options: LeftAgentsOptions) {}

  /** The engine moved from `from` to `to`. */
  moved(from: ConsulEndpoint, to: ConsulEndpoint): void {
    this.left.delete(consulUrl(to));
    this.left.set(consulUrl(from), from);
    this.schedule();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.left.clear();
  }

  private schedule(): void {
    if (!this.running || this.timer || this.left.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sweep().finally(() => this.schedule());
    }, LEFT_AGENT_LIMITS.intervalMs);
  }

  private async sweep(): Promise<void> {
    for (const [url, endpoint] of [...this.left]) {
      if (!this.running) return;
      if (url === consulUrl(this.options.current())) {
        this.left.delete(url);
        continue;
      }
      const services = await request<Record<string, AgentServiceEntry>>(
        endpoint,
        'GET',
        '/v1/agent/services',
      );
      if (!services) continue; // Still away: asked again next time.
      const owned = Object.values(services).filter((s) => {
        const owner = s.Meta?.[OWNER_META_KEY];
        return owner !== undefined && this.options.ownsValue(owner);
      });
      let removed = 0;
      for (const service of owned) {
        if (url === consulUrl(this.options.current())) break;
        const path = `/v1/agent/service/deregister/${encodeURIComponent(service.ID)}`;
        if ((await request(endpoint, 'PUT', path)) !== undefined) removed++;
      }
      if (url === consulUrl(this.options.current())) {
        // Moved back meanwhile: a removal may have crossed the new agent's resync; resync again.
        this.left.delete(url);
        if (removed > 0) this.options.resync();
        continue;
      }
      if (removed < owned.length) continue; // Some failed: the rest next time.
      this.left.delete(url);
      if (removed > 0)
        this.options.record({
          kind: 'deregistered',
          message: `${removed} registration(s) left on Consul ${url} (answering again; the engine now uses ${consulUrl(this.options.current())}) removed there, so that nothing is listed twice`,
        });
    }
  }
}

function request<T>(endpoint: ConsulEndpoint, method: 'GET' | 'PUT', path: string): Promise<T | undefined> {
  return consulJson<T>(endpoint, path, { method, timeoutMs: LEFT_AGENT_LIMITS.timeoutMs });
}
