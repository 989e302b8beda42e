/**
 * EngineStatus, the contract's view of the engine, as a pure function of what each part reports:
 * no I/O and no clock, so every case is a unit test.
 */
import type {
  ClusterView,
  EngineStatus,
  InstanceView,
  ScaleTargetView,
  ServiceView,
  TimelineEvent,
} from '../../contract/index.js';
import { withCatalog, withServiceCatalog } from './catalog-view.js';
import { composeTarget } from './compose/compose-labels.js';
import type { CatalogSnapshot } from './consul/catalog-watch.js';
import type { LbStatus } from './lb/lb-controller.js';
import type { UnreachableInstance } from './lb/lb-reachability.js';
import type { ContainerOrigin } from './registrator/container-origin.js';
import type { RegistratorStatus } from './registrator/registrator.js';
import type { TemplateLoopStatus } from './render/template-loop.js';
import type { ScaleProgress } from './scaler.js';
import { HOST_META_KEY } from './multi/host-meta.js';

/** How many recent timeline events a status carries. */
export const STATUS_TIMELINE_LENGTH = 100;

/** The service the demo scales, always listed even with no instance. */
const DEMO_SERVICE = 'web';

export interface StatusInputs {
  state: EngineStatus['state'];
  adopted: boolean;
  lbUrl: string;
  consulManaged: boolean;
  templateName: string;
  maxInstances: number;
  /** The stack label's value on the engine's own containers. */
  stackProject: string;
  /** Where Docker is expected, for the status of an engine that has not connected. */
  dockerEndpoint: string;
  /** Present once the engine runs. */
  running?: RunningInputs;
}

export interface RunningInputs {
  docker: { endpoint: string; version: string; source: string };
  consulUrl: string;
  /** Every server the engine may use, when it has several. */
  consulUrls?: string[];
  registrator: RegistratorStatus;
  lb: LbStatus;
  template: TemplateLoopStatus;
  /** Service instance IDs in the live nginx config. */
  live: ReadonlySet<string>;
  scaling: ScaleProgress;
  /** The progress of each Compose service scaled during this run, by target. */
  composeScaling: Readonly<Record<string, ScaleProgress>>;
  timeline: readonly TimelineEvent[];
  hitsSource?: EngineStatus['hitsSource'];
  /** Every service in Consul (the catalog watch), and this engine's `dt-owner` value. */
  catalog?: CatalogSnapshot;
  owner?: string;
  /** The Consul cluster (cluster-watch.ts), once read. */
  cluster?: ClusterView | undefined;
  /** Several engines: each Docker endpoint and whether it answers (main/engine/multi/). */
  dockerHosts?: EngineStatus['dockerHosts'];
}

export function engineStatusView(inputs: StatusInputs): EngineStatus {
  const { running } = inputs;
  if (!running) return idleStatus(inputs);
  const { registrator, lb, template, scaling } = running;
  return {
    state: inputs.state,
    adopted: inputs.adopted,
    docker: {
      connected: registrator.docker.connected,
      endpoint: running.docker.endpoint,
      version: running.docker.version,
      source: running.docker.source,
      ...(registrator.docker.error ? { error: registrator.docker.error } : {}),
    },
    consul: {
      connected: registrator.consul.connected,
      url: running.consulUrl,
      uiUrl: `${running.consulUrl}/ui/`,
      managed: inputs.consulManaged,
      ...(registrator.consul.error ? { error: registrator.consul.error } : {}),
      ...(running.consulUrls ? { addresses: running.consulUrls } : {}),
      ...(running.cluster ? { cluster: running.cluster } : {}),
    },
    lb: lbView(inputs.lbUrl, lb),
    template: {
      name: template.templateName,
      dependencies: template.dependencies,
      ...(template.lastRenderAt !== undefined ? { lastRenderAt: template.lastRenderAt } : {}),
      ...(template.lastError ? { lastError: template.lastError } : {}),
    },
    ...scalingViews(inputs, running),
    scaling: {
      service: DEMO_SERVICE,
      ...(scaling.desired !== undefined ? { desired: scaling.desired } : {}),
      starting: scaling.starting,
      draining: scaling.draining,
      busy: scaling.busy,
      max: inputs.maxInstances,
    },
    warnings: registrator.warnings,
    timeline: running.timeline.slice(-STATUS_TIMELINE_LENGTH),
    ...(running.hitsSource ? { hitsSource: running.hitsSource } : {}),
    ...(running.catalog?.servicesNotShown ? { servicesNotShown: running.catalog.servicesNotShown } : {}),
    ...(running.dockerHosts ? { dockerHosts: running.dockerHosts } : {}),
  };
}

function idleStatus(inputs: StatusInputs): EngineStatus {
  return {
    state: inputs.state,
    adopted: inputs.adopted,
    docker: { connected: false, endpoint: inputs.dockerEndpoint },
    consul: { connected: false, url: '', uiUrl: '', managed: inputs.consulManaged },
    lb: { url: inputs.lbUrl, generation: 0 },
    template: { name: inputs.templateName, dependencies: [] },
    services: [],
    scaleTargets: [],
    scaling: { service: DEMO_SERVICE, starting: [], draining: [], busy: false, max: inputs.maxInstances },
    warnings: [],
  };
}

function lbView(url: string, lb: LbStatus): EngineStatus['lb'] {
  return {
    url,
    generation: lb.generation,
    ...(lb.config !== undefined ? { config: lb.config } : {}),
    ...(lb.previousConfig !== undefined ? { previousConfig: lb.previousConfig } : {}),
    ...(lb.appliedAt !== undefined ? { appliedAt: lb.appliedAt } : {}),
    ...(lb.lastError
      ? {
          lastError: {
            at: lb.lastError.at,
            message: lb.lastError.message,
            ...(lb.lastError.line !== undefined ? { line: lb.lastError.line } : {}),
            excerpt: lb.lastError.excerpt,
          },
        }
      : {}),
  };
}

type Managed = Pick<
  InstanceView,
  'managedBy' | 'scaleTarget' | 'composeProject' | 'composeService' | 'composeNumber'
>;

/**
 * Who may start and stop a container: the engine's own web (its stack label), a Compose replica
 * (Compose's labels), or nobody here. A container of another Discovery Tray stack is not ours.
 */
function managedBy(origin: ContainerOrigin | undefined, stackProject: string): Managed {
  if (origin?.stack === stackProject && origin.role === DEMO_SERVICE)
    return { managedBy: 'demo', scaleTarget: DEMO_SERVICE };
  if (origin?.compose && origin.stack === undefined)
    return {
      managedBy: 'compose',
      scaleTarget: composeTarget(origin.compose),
      composeProject: origin.compose.project,
      composeService: origin.compose.service,
      composeNumber: origin.compose.number,
    };
  return { managedBy: 'none' };
}

function scalingViews(
  inputs: StatusInputs,
  running: RunningInputs,
): Pick<EngineStatus, 'services' | 'scaleTargets'> {
  const { registrator, live, scaling, composeScaling } = running;
  const progress: Record<string, ScaleProgress> = { ...composeScaling, [DEMO_SERVICE]: scaling };
  const unreachable = new Map((running.template.unreachable ?? []).map((u) => [u.serviceId, u]));
  const instances: InstanceView[] = registrator.services.map((s) => ({
    id: s.id,
    service: s.name,
    containerId: s.containerId,
    containerName: s.containerName,
    address: s.address,
    port: s.port,
    tags: s.tags,
    registeredAt: s.registeredAt,
    ...reachState(live.has(s.id), unreachable.get(s.id)),
    ...managedBy(s.origin, inputs.stackProject),
    ...(s.meta[HOST_META_KEY] ? { host: s.meta[HOST_META_KEY] } : {}),
  }));
  instances.push(...unreachableElsewhere(unreachable, registrator));
  // Draining containers are deregistered already; they are shown, under the services they had, until they are gone.
  for (const [target, { draining, drainingServices }] of Object.entries(progress)) {
    const compose = target === DEMO_SERVICE ? undefined : target.split('/');
    for (const name of draining) {
      const services = drainingServices[name] ?? (compose ? [] : [DEMO_SERVICE]);
      for (const service of services) {
        instances.push({
          id: name,
          service,
          containerId: '',
          containerName: name,
          address: '',
          port: 0,
          tags: [],
          registeredAt: 0,
          state: 'draining',
          managedBy: compose ? 'compose' : 'demo',
          scaleTarget: target,
          ...(compose ? { composeProject: compose[0], composeService: compose[1] } : {}),
        });
      }
    }
  }
  const all = withCatalog(instances, {
    ...(running.catalog ? { catalog: running.catalog } : {}),
    owner: running.owner ?? '',
    live,
    warnings: registrator.warnings,
    registered: registrator.services,
  });
  const scaleTargets = scaleTargetsView(all, registrator, progress, inputs);
  return { services: withServiceCatalog(servicesView(all, scaleTargets), running.catalog), scaleTargets };
}

/** Serving, starting, or left out because the LB cannot reach it (with why). */
function reachState(
  inLiveConfig: boolean,
  unreachable: UnreachableInstance | undefined,
): Pick<InstanceView, 'state' | 'unreachableReason'> {
  if (inLiveConfig) return { state: 'serving' };
  return unreachable
    ? { state: 'unreachable', unreachableReason: unreachable.reason }
    : { state: 'starting' };
}

/** Unreachable registrations no container of ours made (registered in Consul by others): shown, never "serving". */
function unreachableElsewhere(
  unreachable: ReadonlyMap<string, UnreachableInstance>,
  registrator: RegistratorStatus,
): InstanceView[] {
  const ours = new Set(registrator.services.map((s) => s.id));
  return [...unreachable.values()]
    .filter((u) => !ours.has(u.serviceId))
    .map((u) => {
      const colon = u.address.lastIndexOf(':');
      return {
        id: u.serviceId,
        service: u.service,
        containerId: '',
        containerName: '',
        address: u.address.slice(0, colon),
        port: Number(u.address.slice(colon + 1)),
        tags: [],
        registeredAt: u.since,
        state: 'unreachable',
        unreachableReason: u.reason,
        managedBy: 'none',
      };
    });
}

function scaleTargetsView(
  instances: readonly InstanceView[],
  registrator: RegistratorStatus,
  progress: Readonly<Record<string, ScaleProgress>>,
  inputs: StatusInputs,
): ScaleTargetView[] {
  const targets = new Set([DEMO_SERVICE]);
  for (const i of instances) if (i.managedBy === 'compose' && i.scaleTarget) targets.add(i.scaleTarget);
  for (const [target, p] of Object.entries(progress)) if (p.busy) targets.add(target);
  const views = [...targets].map((target): ScaleTargetView => {
    const own = instances.filter((i) => i.scaleTarget === target);
    const p = progress[target];
    const running = new Set(own.filter((i) => i.state !== 'draining').map((i) => i.containerId)).size;
    const base = {
      target,
      services: [...new Set(own.map((i) => i.service))].sort(),
      running,
      max: inputs.maxInstances,
      busy: p?.busy ?? false,
      starting: p?.starting ?? [],
      draining: p?.draining ?? [],
    };
    if (target === DEMO_SERVICE)
      return {
        ...base,
        managedBy: 'demo',
        ...(p?.desired !== undefined ? { desired: p.desired } : {}),
        min: 0,
        scalable: true,
      };
    const [project = '', service = ''] = target.split('/');
    // Every replica is a copy of the others: the lowest-numbered one speaks for them.
    const blockedBy = registrator.services
      .map((s) => s.origin.compose)
      .filter((c) => c !== undefined && composeTarget(c) === target)
      .sort((a, b) => a!.number - b!.number)[0]?.blockedBy;
    return {
      ...base,
      managedBy: 'compose',
      composeProject: project,
      composeService: service,
      ...(p?.busy && p.desired !== undefined ? { desired: p.desired } : {}),
      min: 1,
      scalable: blockedBy === undefined && running > 0,
      ...(blockedBy ? { blockedBy } : {}),
    };
  });
  return [views[0]!, ...views.slice(1).sort((a, b) => a.target.localeCompare(b.target))];
}

function servicesView(
  instances: readonly InstanceView[],
  scaleTargets: readonly ScaleTargetView[],
): ServiceView[] {
  const byService = new Map<string, InstanceView[]>([[DEMO_SERVICE, []]]);
  for (const i of instances) byService.set(i.service, [...(byService.get(i.service) ?? []), i]);
  return [...byService.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, list]) => {
      const targets = [...new Set(list.flatMap((i) => (i.scaleTarget ? [i.scaleTarget] : [])))].sort();
      if (name === DEMO_SERVICE && !targets.includes(DEMO_SERVICE)) targets.unshift(DEMO_SERVICE);
      const views = scaleTargets.filter((t) => targets.includes(t.target));
      // What was asked of every target that registers it; a Compose service's count is what runs.
      const desired = views.some((t) => t.desired !== undefined)
        ? views.reduce((sum, t) => sum + (t.desired ?? t.running), 0)
        : undefined;
      return {
        name,
        ...(desired !== undefined ? { desired } : {}),
        running: list.filter((i) => i.state !== 'draining' && i.managedBy !== 'none').length,
        alsoRegistered: list.filter((i) => i.managedBy === 'none').length,
        scaleTargets: targets,
        instances: [...list].sort((a, b) => (a.containerName || a.id).localeCompare(b.containerName || b.id)),
      };
    });
}
