/**
 * What a render in the worker thread may read: a copy of the data the main
 * thread knows, made for one render. The template functions look data up
 * synchronously; whatever the snapshot lacks reads as "not loaded yet" and
 * is reported back (as a dependency, or as an environment variable the
 * template asked for), so that the main thread can start watching it and
 * render again once it arrives.
 */
import { serviceDependency } from '../template/service-query.js';
import type {
  CatalogServiceEntry,
  ServiceInstance,
  ServiceQuery,
  TemplateDataSource,
} from '../template/types.js';

export interface TemplateSnapshot {
  /** By dependency key ("service:backend.web|passing"): the instances, sanitised. */
  services: Map<string, ServiceInstance[]>;
  catalog: CatalogServiceEntry[] | undefined;
  /** By KV path: the value, or null when the key does not exist (or its value was refused). */
  keys: Map<string, string | null>;
  /** The environment variables a template may read (see template-env.ts). */
  env: Map<string, string>;
}

export class SnapshotData implements TemplateDataSource {
  /** Variables the template asked for that the snapshot does not have (unset, or hidden). */
  readonly envMisses = new Set<string>();

  constructor(private readonly snapshot: TemplateSnapshot) {}

  service(query: ServiceQuery): readonly ServiceInstance[] | undefined {
    return this.snapshot.services.get(serviceDependency(query).key);
  }

  services(): readonly CatalogServiceEntry[] | undefined {
    return this.snapshot.catalog;
  }

  key(path: string): string | null | undefined {
    return this.snapshot.keys.get(path);
  }

  env(name: string): string {
    const value = this.snapshot.env.get(name);
    if (value === undefined) this.envMisses.add(name);
    return value ?? '';
  }
}
