/**
 * The template's data, kept fresh by Consul blocking queries: one watch per
 * dependency the template used in its last render (service, services, key).
 * New dependencies start a watch, unused ones are ended. Every change calls
 * `onChange`, which schedules a render; nothing polls. Values are checked as
 * they arrive (sanitize.ts); `known()` hands the render what passed.
 */
import type Consul from 'consul';
import type {
  CatalogServiceEntry,
  ServiceInstance,
  ServiceQuery,
  TemplateDependency,
} from '../template/index.js';
import {
  ALLOW_HOST_NAMES_PRAGMA,
  isSafeConfigText,
  sanitizeCatalog,
  sanitizeInstance,
  type RefusedInstance,
  type SanitizedInstance,
} from './sanitize.js';
import type { HealthEntry } from '../consul/health-entry.js';
import type { VanishGuard } from './vanish-guard.js';

interface ServiceValue {
  instances: SanitizedInstance[];
  refused: RefusedInstance[];
}

interface KeyValue {
  /** null: the key does not exist, or its value was refused. */
  value: string | null;
  refused?: { value: string; reason: string };
}

interface Entry {
  dependency: TemplateDependency;
  loaded: boolean;
  /** What a render sees: Consul's answer, plus what the guard keeps beside it. */
  value: unknown;
  /** Consul's last answer, converted. */
  answer?: unknown;
  watch: ReturnType<Consul['watch']>;
}

export interface RefusedKey {
  key: string;
  reason: string;
}

/** Everything loaded so far, as a render may see it. */
export interface KnownData {
  /** By dependency key: the instances that may be rendered. */
  services: Map<string, ServiceInstance[]>;
  catalog: CatalogServiceEntry[] | undefined;
  /** By path; null for a missing key and for a refused value. */
  keys: Map<string, string | null>;
  /** Instances left out before rendering, and why (one entry per service ID). */
  refused: RefusedInstance[];
  refusedKeys: RefusedKey[];
}

const REFUSED_KV_REASON =
  'its value has characters that would add nginx syntax (; { } quotes $ \\ a line break, or # starting a word)';

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

export class ConsulTemplateData {
  private readonly entries = new Map<string, Entry>();
  private readonly warned = new Set<string>();
  private paused = false;

  constructor(
    private readonly consul: Consul,
    private readonly onChange: () => void,
    private readonly onWarning: (message: string) => void = () => undefined,
    /** Keeps instances of ours that leave Consul without our doing (vanish-guard.ts). */
    private readonly guard?: VanishGuard,
  ) {}

  /**
   * The data of every loaded dependency. Instances registered with a host name
   * are rendered only when `allowHostNames` (the template asked for them).
   */
  known({ allowHostNames = false }: { allowHostNames?: boolean } = {}): KnownData {
    const known: KnownData = {
      services: new Map(),
      catalog: undefined,
      keys: new Map(),
      refused: [],
      refusedKeys: [],
    };
    const refusedIds = new Set<string>();
    const addRefused = (refused: RefusedInstance): void => {
      if (refusedIds.has(refused.serviceId)) return;
      refusedIds.add(refused.serviceId);
      known.refused.push(refused);
    };
    for (const [key, entry] of this.entries) {
      if (!entry.loaded) continue;
      switch (entry.dependency.kind) {
        case 'service': {
          const value = entry.value as ServiceValue;
          const instances: ServiceInstance[] = [];
          for (const { instance, hostName } of value.instances) {
            if (!hostName || allowHostNames) instances.push(instance);
            else addRefused(this.refuseHostName(instance));
          }
          known.services.set(key, instances);
          value.refused.forEach(addRefused);
          break;
        }
        case 'services':
          known.catalog = entry.value as CatalogServiceEntry[];
          break;
        case 'key': {
          const value = entry.value as KeyValue;
          known.keys.set(entry.dependency.path, value.value);
          if (value.refused)
            known.refusedKeys.push({ key: entry.dependency.path, reason: value.refused.reason });
          break;
        }
      }
    }
    return known;
  }

  private refuseHostName(instance: ServiceInstance): RefusedInstance {
    const reason = `address ${JSON.stringify(instance.Address)} is a host name, which nginx would look up in DNS (a template that wants host names says {{/* ${ALLOW_HOST_NAMES_PRAGMA} */}})`;
    this.warnOnce(
      `service ${JSON.stringify(instance.Name)} instance ${JSON.stringify(instance.ID)}: ${reason}; it is left out of the config`,
    );
    return {
      serviceId: instance.ID,
      service: instance.Name,
      address: `${instance.Address}:${instance.Port}`,
      reason,
    };
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.onWarning(message);
  }

  /** Watches exactly these dependencies from now on. */
  track(dependencies: readonly TemplateDependency[]): void {
    const wanted = new Set(dependencies.map((d) => d.key));
    for (const [key, entry] of this.entries) {
      if (!wanted.has(key)) {
        entry.watch.end();
        this.entries.delete(key);
        this.guard?.clear(key);
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
    this.guard?.clearAll();
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
    this.guard?.clearAll();
    for (const entry of [...this.entries.values()]) {
      entry.watch.end();
      this.startWatch(entry.dependency, entry);
    }
  }

  close(): void {
    this.guard?.stop();
    for (const entry of this.entries.values()) entry.watch.end();
    this.entries.clear();
  }

  private startWatch(dependency: TemplateDependency, previous?: Entry): void {
    const watch = this.consul.watch(this.watchOptions(dependency));
    const entry: Entry = { dependency, loaded: previous?.loaded ?? false, value: previous?.value, watch };
    this.entries.set(dependency.key, entry);
    watch.on('change', (data: unknown) => {
      if (this.entries.get(dependency.key) !== entry || this.paused) return;
      entry.answer = this.convert(dependency, data, entry.answer);
      entry.value = this.withKept(entry, entry.answer);
      entry.loaded = true;
      this.onChange();
    });
    // Errors are retried by the watch with backoff; outages are reported by ConsulLiveness.
    watch.on('error', () => undefined);
  }

  /** Consul's answer for a service, with the instances of ours the guard keeps beside it. */
  private withKept(entry: Entry, answer: unknown): unknown {
    if (!this.guard || entry.dependency.kind !== 'service' || !entry.loaded) return answer;
    const next = answer as ServiceValue;
    const kept = this.guard.keep(
      entry.dependency.key,
      (entry.value as ServiceValue).instances,
      next.instances,
      (item) => item.instance.ID,
      () => this.reapply(entry),
    );
    if (kept.length === 0) return answer;
    const instances = [...next.instances, ...kept].sort(
      (a, b) => a.instance.Node.localeCompare(b.instance.Node) || a.instance.ID.localeCompare(b.instance.ID),
    );
    return { ...next, instances } satisfies ServiceValue;
  }

  /** What the guard keeps changed without a new answer: the data again from the last answer. */
  private reapply(entry: Entry): void {
    if (this.entries.get(entry.dependency.key) !== entry || this.paused || entry.answer === undefined) return;
    entry.value = this.withKept(entry, entry.answer);
    this.onChange();
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

  private convert(dependency: TemplateDependency, data: unknown, previous: unknown): unknown {
    const warn = (message: string): void => this.warnOnce(message);
    switch (dependency.kind) {
      case 'service': {
        const value: ServiceValue = { instances: [], refused: [] };
        for (const instance of toInstances((data as HealthEntry[] | undefined) ?? [])) {
          const result = sanitizeInstance(instance, warn);
          if ('refused' in result) value.refused.push(result.refused);
          else value.instances.push(result);
        }
        return value;
      }
      case 'services': {
        const catalog = (data as Record<string, string[]> | undefined) ?? {};
        const entries = Object.entries(catalog)
          .map(([Name, Tags]) => ({ Name, Tags: Tags ?? [] }))
          .sort((a, b) => a.Name.localeCompare(b.Name));
        return sanitizeCatalog(entries, warn);
      }
      case 'key': {
        const kv = data as { Value?: string | null } | undefined | null;
        // Consul answers an empty value as null: the key exists, and its value is "".
        const raw = kv ? (kv.Value ?? '') : null;
        if (raw === null || isSafeConfigText(raw)) return { value: raw } satisfies KeyValue;
        // Said once per refused value, not on every change of the key's index.
        if ((previous as KeyValue | undefined)?.refused?.value !== raw)
          this.onWarning(
            `KV key ${JSON.stringify(dependency.path)}: ${REFUSED_KV_REASON}; it reads as missing (key gives "", keyOrDefault its default)`,
          );
        return { value: null, refused: { value: raw, reason: REFUSED_KV_REASON } } satisfies KeyValue;
      }
    }
  }
}
