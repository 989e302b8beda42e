/**
 * Every service in Consul's catalog, whoever registered it, with the health of each instance: one
 * blocking query on the catalog's service list, and one on the health of each service listed. Nothing
 * polls; a service that leaves the catalog has its watch ended. The template loop watches only what
 * the template uses; this is what `status` lists.
 *
 * What Consul holds is outside input: the number of services and of instances kept is capped (the
 * rest is counted), and every text is clipped, so a catalog of thousands of services, or a tag of a
 * megabyte, costs a bounded amount of memory and of status.
 */
import type Consul from 'consul';
import { clipText } from '../text-limits.js';
import { CONTAINER_META_KEY, OWNER_META_KEY } from '../registrator/ownership.js';
import type { HealthEntry } from './health-entry.js';

export const CATALOG_LIMITS = {
  /** Services watched and listed (by name order); the rest are counted. */
  maxServices: 50,
  /** Instances kept per service (by ID order); the rest are counted. Above the scale limit (100). */
  maxInstancesPerService: 128,
  maxTags: 16,
  maxTextChars: 200,
  maxTagChars: 64,
} as const;

/** Consul's own service: every agent registers it, and nobody routes to it. Not listed. */
export const CONSUL_SERVICE = 'consul';

export type ConsulHealth = 'passing' | 'warning' | 'critical';

export interface CatalogInstance {
  id: string;
  service: string;
  address: string;
  port: number;
  tags: string[];
  /** The registering engine's marker (ownership.ts), when there is one. */
  owner?: string;
  containerId?: string;
  health: ConsulHealth;
}

export interface CatalogService {
  name: string;
  instances: CatalogInstance[];
  /** Instances past CATALOG_LIMITS.maxInstancesPerService. */
  instancesNotShown: number;
}

export interface CatalogSnapshot {
  services: CatalogService[];
  /** Services past CATALOG_LIMITS.maxServices. */
  servicesNotShown: number;
}

type Watch = ReturnType<Consul['watch']>;

interface Watched {
  watch: Watch;
  value?: CatalogService;
}

const RETRY = { backoffFactor: 50, backoffMax: 1000 };

/** The worst of an instance's checks, as Consul's health endpoints rank them (node checks included). */
export function consulHealth(checks: HealthEntry['Checks']): ConsulHealth {
  const statuses = (checks ?? []).map((c) => c.Status);
  if (statuses.includes('critical')) return 'critical';
  if (statuses.includes('warning')) return 'warning';
  return 'passing';
}

const text = (value: unknown, max: number = CATALOG_LIMITS.maxTextChars): string =>
  typeof value === 'string' ? clipText(value, max) : '';

/** One service's health answer, bounded. */
export function catalogService(rawName: string, entries: readonly HealthEntry[]): CatalogService {
  const name = text(rawName);
  const instances = entries
    .map((e): CatalogInstance => {
      const meta = e.Service?.Meta ?? {};
      const owner = meta[OWNER_META_KEY];
      const containerId = meta[CONTAINER_META_KEY];
      return {
        id: text(e.Service?.ID),
        service: name,
        // A service without its own address is reached at its node's (as consul-template does).
        address: text(e.Service?.Address || e.Node?.Address),
        port: typeof e.Service?.Port === 'number' ? e.Service.Port : 0,
        tags: (e.Service?.Tags ?? [])
          .slice(0, CATALOG_LIMITS.maxTags)
          .map((tag) => text(tag, CATALOG_LIMITS.maxTagChars)),
        ...(owner ? { owner: text(owner) } : {}),
        ...(containerId ? { containerId: text(containerId) } : {}),
        health: consulHealth(e.Checks),
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  return {
    name,
    instances: instances.slice(0, CATALOG_LIMITS.maxInstancesPerService),
    instancesNotShown: Math.max(0, instances.length - CATALOG_LIMITS.maxInstancesPerService),
  };
}

export class CatalogWatch {
  private list: Watch | undefined;
  private readonly watched = new Map<string, Watched>();
  private servicesNotShown = 0;

  constructor(
    private readonly consul: Consul,
    private readonly onChange: () => void,
  ) {}

  start(): void {
    if (this.list) return;
    this.list = this.consul.watch({
      // eslint-disable-next-line @typescript-eslint/unbound-method -- the watch binds the client
      method: this.consul.catalog.service.list,
      options: {},
      ...RETRY,
    });
    this.list.on('change', (data: unknown) => this.follow(Object.keys((data as object | null) ?? {})));
    // Retried by the watch with backoff; outages are reported by ConsulLiveness. The last data stays.
    this.list.on('error', () => undefined);
  }

  stop(): void {
    this.list?.end();
    this.list = undefined;
    for (const { watch } of this.watched.values()) watch.end();
    this.watched.clear();
  }

  /** What the watches know now, in name order. */
  snapshot(): CatalogSnapshot {
    return {
      services: [...this.watched.values()]
        .flatMap(({ value }) => (value ? [value] : []))
        .sort((a, b) => a.name.localeCompare(b.name)),
      servicesNotShown: this.servicesNotShown,
    };
  }

  private follow(names: readonly string[]): void {
    const listed = names.filter((name) => name !== CONSUL_SERVICE).sort();
    const wanted = new Set(listed.slice(0, CATALOG_LIMITS.maxServices));
    this.servicesNotShown = listed.length - wanted.size;
    for (const [name, { watch }] of this.watched) {
      if (wanted.has(name)) continue;
      watch.end();
      this.watched.delete(name);
    }
    for (const name of wanted) if (!this.watched.has(name)) this.watchHealth(name);
    this.onChange();
  }

  private watchHealth(name: string): void {
    const watch = this.consul.watch({
      // eslint-disable-next-line @typescript-eslint/unbound-method -- the watch binds the client
      method: this.consul.health.service,
      options: { service: name },
      ...RETRY,
    });
    const entry: Watched = { watch };
    this.watched.set(name, entry);
    watch.on('change', (data: unknown) => {
      if (this.watched.get(name) !== entry) return;
      entry.value = catalogService(name, Array.isArray(data) ? (data as HealthEntry[]) : []);
      this.onChange();
    });
    watch.on('error', () => undefined);
  }
}
