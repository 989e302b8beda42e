/**
 * The template's data, kept fresh by Consul blocking queries: one watch per
 * dependency the template used in its last render (service, services, key).
 * New dependencies start a watch, unused ones are ended. Every change calls
 * `onChange`, which schedules a render; nothing polls.
 */
import type Consul from 'consul';
import type {
  CatalogServiceEntry,
  ServiceInstance,
  ServiceQuery,
  TemplateDataSource,
  TemplateDependency,
} from '../template/index.js';
import { sanitizeCatalog, sanitizeInstance } from './sanitize.js';

interface HealthEntry {
  Node?: { Node?: string; Address?: string };
  Service?: {
    ID?: string;
    Service?: string;
    Address?: string;
    Port?: number;
    Tags?: string[] | null;
    Meta?: Record<string, string> | null;
  };
  Checks?: { Status?: string; ServiceID?: string }[];
}

interface Entry {
  dependency: TemplateDependency;
  loaded: boolean;
  value: unknown;
  watch: ReturnType<Consul['watch']>;
}

export function dependencyKeyForQuery(query: ServiceQuery): string {
  return `service:${query.tag ? `${query.tag}.` : ''}${query.name}|${query.filter}`;
}

function aggregateStatus(checks: HealthEntry['Checks']): string {
  const statuses = (checks ?? []).map((c) => c.Status);
  if (statuses.includes('critical')) return 'critical';
  if (statuses.includes('warning')) return 'warning';
  return 'passing';
}

export function toInstances(entries: HealthEntry[]): ServiceInstance[] {
  const instances = entries.map((e): ServiceInstance => ({
    ID: e.Service?.ID ?? '',
    Name: e.Service?.Service ?? '',
    // A service without its own address is reached at its node's address (as consul-template does).
    Address: e.Service?.Address || e.Node?.Address || '',
    Port: e.Service?.Port ?? 0,
    Tags: e.Service?.Tags ?? [],
    Node: e.Node?.Node ?? '',
    NodeAddress: e.Node?.Address ?? '',
    ServiceMeta: e.Service?.Meta ?? {},
    Status: aggregateStatus(e.Checks),
  }));
  // consul-template sorts by node, then ID, so the output does not flap with Consul's order.
  return instances.sort((a, b) => a.Node.localeCompare(b.Node) || a.ID.localeCompare(b.ID));
}

export class ConsulTemplateData implements TemplateDataSource {
  private readonly entries = new Map<string, Entry>();
  private readonly warned = new Set<string>();
  private paused = false;

  constructor(
    private readonly consul: Consul,
    private readonly onChange: () => void,
    private readonly onWarning: (message: string) => void = () => undefined,
  ) {}

  service(query: ServiceQuery): readonly ServiceInstance[] | undefined {
    const entry = this.entries.get(dependencyKeyForQuery(query));
    return entry?.loaded ? (entry.value as ServiceInstance[]) : undefined;
  }

  services(): readonly CatalogServiceEntry[] | undefined {
    const entry = this.entries.get('services');
    return entry?.loaded ? (entry.value as CatalogServiceEntry[]) : undefined;
  }

  key(path: string): string | null | undefined {
    const entry = this.entries.get(`key:${path}`);
    return entry?.loaded ? (entry.value as string | null) : undefined;
  }

  env(name: string): string {
    return process.env[name] ?? '';
  }

  /** Every service instance ID currently known to the template, for "is it routed yet". */
  instanceIds(): Set<string> {
    const ids = new Set<string>();
    for (const entry of this.entries.values()) {
      if (entry.dependency.kind === 'service' && entry.loaded)
        for (const i of entry.value as ServiceInstance[]) ids.add(i.ID);
    }
    return ids;
  }

  /** Watches exactly these dependencies from now on. */
  track(dependencies: readonly TemplateDependency[]): void {
    const wanted = new Set(dependencies.map((d) => d.key));
    for (const [key, entry] of this.entries) {
      if (!wanted.has(key)) {
        entry.watch.end();
        this.entries.delete(key);
      }
    }
    for (const dependency of dependencies) if (!this.entries.has(dependency.key)) this.startWatch(dependency);
  }

  /**
   * Consul is away, or back without our registrations yet: its answers would
   * render an empty upstream. Keep the last data (and the config built on it).
   */
  pause(): void {
    this.paused = true;
  }

  /** Every registration is back: fresh watches, and renders follow Consul again. */
  resume(): void {
    this.paused = false;
    this.restartWatches();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** After a Consul outage: fresh watches (a restarted Consul's index starts again from 1). */
  restartWatches(): void {
    for (const entry of [...this.entries.values()]) {
      entry.watch.end();
      this.startWatch(entry.dependency, entry);
    }
  }

  close(): void {
    for (const entry of this.entries.values()) entry.watch.end();
    this.entries.clear();
  }

  private startWatch(dependency: TemplateDependency, previous?: Entry): void {
    const watch = this.consul.watch(this.watchOptions(dependency));
    const entry: Entry = { dependency, loaded: previous?.loaded ?? false, value: previous?.value, watch };
    this.entries.set(dependency.key, entry);
    watch.on('change', (data: unknown) => {
      if (this.entries.get(dependency.key) !== entry || this.paused) return;
      entry.value = this.convert(dependency, data);
      entry.loaded = true;
      this.onChange();
    });
    // Errors are retried by the watch with backoff; outages are reported by ConsulLiveness.
    watch.on('error', () => undefined);
  }

  private watchOptions(dependency: TemplateDependency): Parameters<Consul['watch']>[0] {
    const retry = { backoffFactor: 50, backoffMax: 1000 };
    switch (dependency.kind) {
      case 'service': {
        const { name, tag, filter } = dependency.query;
        return {
          // eslint-disable-next-line @typescript-eslint/unbound-method -- the watch binds the client
          method: this.consul.health.service,
          options: {
            service: name,
            ...(tag ? { tag } : {}),
            ...(filter === 'passing' ? { passing: 'true' } : {}),
          },
          ...retry,
        };
      }
      case 'services':
        // eslint-disable-next-line @typescript-eslint/unbound-method -- the watch binds the client
        return { method: this.consul.catalog.service.list, options: {}, ...retry };
      case 'key':
        // eslint-disable-next-line @typescript-eslint/unbound-method -- the watch binds the client
        return { method: this.consul.kv.get, options: { key: dependency.path }, ...retry };
    }
  }

  private convert(dependency: TemplateDependency, data: unknown): unknown {
    const warn = (message: string): void => {
      if (this.warned.has(message)) return;
      this.warned.add(message);
      this.onWarning(message);
    };
    switch (dependency.kind) {
      case 'service':
        return toInstances((data as HealthEntry[] | undefined) ?? []).flatMap(
          (i) => sanitizeInstance(i, warn) ?? [],
        );
      case 'services': {
        const catalog = (data as Record<string, string[]> | undefined) ?? {};
        const entries = Object.entries(catalog)
          .map(([Name, Tags]) => ({ Name, Tags: Tags ?? [] }))
          .sort((a, b) => a.Name.localeCompare(b.Name));
        return sanitizeCatalog(entries, warn);
      }
      case 'key': {
        const kv = data as { Value?: string | null } | undefined | null;
        return kv?.Value ?? null;
      }
    }
  }
}
