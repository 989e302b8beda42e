/**
 * A Consul client agent stopped with SIGTERM leaves the cluster gracefully: the leader takes its node
 * and registrations out of the catalog. But the agent runs on for a moment while it leaves, and its
 * anti-entropy sync may put its node and services back into the catalog in that moment: a node
 * WITHOUT a serfHealth check, which the leader never reaps (it reaps only nodes that have one;
 * hashicorp/consul#4629), so its services pass every health query for good. For the engine those
 * are copies of its own registrations at addresses it no longer keeps: harmless while the containers
 * run (the same address twice), failed requests once a container goes and the copy stays.
 *
 * So for a while after the engine moves off an agent, the services it registers are read from the
 * catalog, and copies it owns on a node without a serfHealth check, seen so on two reads in a row
 * (an agent that is joining right now gets its check within a moment), are deregistered from the
 * catalog. The agent being gone, nothing puts them back.
 */
import { consulJson, consulRequest } from './consul-http.js';
import type { ConsulEndpoint } from './consul-connection.js';
import { OWNER_META_KEY } from '../registrator/ownership.js';
import type { TimelineInput } from '../timeline.js';

export const STRAY_COPY_LIMITS = {
  /** How long after a move the catalog is read: a leaving agent's last sync is within seconds. */
  windowMs: 60_000,
  intervalMs: 3000,
  timeoutMs: 1500,
} as const;

const SERF_HEALTH = 'serfHealth';

export interface StrayCopiesOptions {
  /** The agent in use now. */
  current: () => ConsulEndpoint;
  /** The names of the services this engine registers now. */
  serviceNames: () => ReadonlySet<string>;
  /** True for an owner meta value written by this engine. */
  ownsValue: (owner: string) => boolean;
  record: (event: TimelineInput) => void;
}

interface CatalogEntry {
  Node?: { Node?: string };
  Service?: { ID?: string; Meta?: Record<string, string> | null };
  Checks?: { CheckID?: string }[] | null;
}

export class StrayCopies {
  private until = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = true;
  /** `node\0serviceID` of the copies seen without a serfHealth check on the previous read. */
  private suspects = new Set<string>();
  private refusedOnce = false;

  constructor(private readonly options: StrayCopiesOptions) {}

  /** The engine moved off an agent: read the catalog for a while. */
  moved(): void {
    this.until = Date.now() + STRAY_COPY_LIMITS.windowMs;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (!this.running || this.timer || Date.now() > this.until) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sweep().finally(() => this.schedule());
    }, STRAY_COPY_LIMITS.intervalMs);
  }

  private async sweep(): Promise<void> {
    const endpoint = this.options.current();
    const seen = new Set<string>();
    const stray: { node: string; id: string }[] = [];
    for (const name of this.options.serviceNames()) {
      const entries = await consulJson<CatalogEntry[]>(
        endpoint,
        `/v1/health/service/${encodeURIComponent(name)}`,
        { timeoutMs: STRAY_COPY_LIMITS.timeoutMs },
      );
      for (const entry of Array.isArray(entries) ? entries : []) {
        const node = entry.Node?.Node;
        const id = entry.Service?.ID;
        const owner = entry.Service?.Meta?.[OWNER_META_KEY];
        if (!node || !id || owner === undefined || !this.options.ownsValue(owner)) continue;
        if ((entry.Checks ?? []).some((check) => check.CheckID === SERF_HEALTH)) continue;
        const key = `${node}\0${id}`;
        seen.add(key);
        if (this.suspects.has(key)) stray.push({ node, id });
      }
    }
    this.suspects = seen;
    let removed = 0;
    const nodes = new Set<string>();
    for (const { node, id } of stray) {
      const answer = await consulRequest(endpoint, '/v1/catalog/deregister', {
        method: 'PUT',
        timeoutMs: STRAY_COPY_LIMITS.timeoutMs,
        body: JSON.stringify({ Node: node, ServiceID: id }),
      }).catch(() => undefined);
      if (answer && answer.status >= 200 && answer.status < 300) {
        removed++;
        nodes.add(node);
      } else if (answer?.status === 403 && !this.refusedOnce) {
        this.refusedOnce = true;
        this.options.record({
          kind: 'warning',
          message: `copies of this engine's registrations stay in Consul's catalog on node ${node}, which left the cluster: the token may not deregister there (it needs node:write on ${node}); remove them with PUT /v1/catalog/deregister`,
        });
      }
    }
    if (removed > 0)
      this.options.record({
        kind: 'deregistered',
        message: `${removed} copy(ies) of this engine's registrations removed from Consul's catalog on ${[...nodes].join(', ')}: its agent left the cluster and synced them back as it stopped`,
      });
  }
}
