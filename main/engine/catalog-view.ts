/**
 * What `status` says about every service in Consul, not only the ones this engine registered: the
 * registrator's instances get their Consul health, whether they are in the live config, and their
 * container's warnings; the catalog's other instances are added read-only. Pure, like status-view.ts.
 */
import type { InstanceView, ServiceView } from '../../contract/index.js';
import type { CatalogInstance, CatalogSnapshot } from './consul/catalog-watch.js';
import type { RegisteredService } from './registrator/registrator.js';
import { warningView } from './registrator/warning-fix.js';
import type { ContainerWarning } from './registrator/warning-book.js';

export interface CatalogInputs {
  /** What the catalog watch knows; absent when it is not running. */
  catalog?: CatalogSnapshot;
  /** This engine's `dt-owner` value (ownership.ts). */
  owner: string;
  /** Service instance IDs in the live nginx config. */
  live: ReadonlySet<string>;
  warnings: readonly ContainerWarning[];
  registered: readonly RegisteredService[];
}

/**
 * The registrator's instances (and the draining ones), with health, inConfig, owned and warnings,
 * followed by the catalog's instances that someone else registered.
 */
export function withCatalog(instances: readonly InstanceView[], inputs: CatalogInputs): InstanceView[] {
  const fromCatalog = new Map<string, CatalogInstance>();
  for (const service of inputs.catalog?.services ?? [])
    for (const i of service.instances) fromCatalog.set(`${i.service}\n${i.id}`, i);
  const registered = new Map(inputs.registered.map((s) => [s.id, s]));
  const warningsOf = new Map<string, ContainerWarning[]>();
  for (const w of inputs.warnings) warningsOf.set(w.container, [...(warningsOf.get(w.container) ?? []), w]);

  const ours = instances.map((instance): InstanceView => {
    const consul = fromCatalog.get(`${instance.service}\n${instance.id}`)?.health;
    const docker = registered.get(instance.id)?.dockerHealth;
    const warnings = (warningsOf.get(instance.containerName) ?? []).map((w) => warningView(w.message));
    return {
      ...instance,
      health: { ...(consul ? { consul } : {}), ...(docker ? { docker } : {}) },
      inConfig: instance.state !== 'draining' && inputs.live.has(instance.id),
      // Unreachable registrations of others come in through the same list (status-view.ts): not ours.
      owned: registered.has(instance.id) || instance.state === 'draining',
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  });
  const known = new Set(instances.map((i) => `${i.service}\n${i.id}`));
  const others = [...fromCatalog.entries()]
    // The registrator's list is the truth for our own: the catalog lags it (a draining instance is gone there already).
    .filter(([key, i]) => !known.has(key) && i.owner !== inputs.owner)
    .map(([, i]): InstanceView => foreignInstance(i, inputs.live));
  return [...ours, ...others];
}

function foreignInstance(i: CatalogInstance, live: ReadonlySet<string>): InstanceView {
  return {
    id: i.id,
    service: i.service,
    containerId: '',
    containerName: '',
    address: i.address,
    port: i.port,
    tags: i.tags,
    registeredAt: 0,
    state: live.has(i.id) ? 'serving' : 'starting',
    managedBy: 'none',
    health: { consul: i.health },
    inConfig: live.has(i.id),
    owned: false,
  };
}

/** Each service's ownership (read-only when nothing in it is ours) and what the caps left out. */
export function withServiceCatalog(
  services: readonly ServiceView[],
  catalog?: CatalogSnapshot,
): ServiceView[] {
  const notShown = new Map((catalog?.services ?? []).map((s) => [s.name, s.instancesNotShown]));
  return services.map((service) => {
    const hidden = notShown.get(service.name) ?? 0;
    return {
      ...service,
      owned: (service.scaleTargets ?? []).length > 0 || service.instances.some((i) => i.owned !== false),
      ...(hidden > 0 ? { instancesNotShown: hidden } : {}),
    };
  });
}
