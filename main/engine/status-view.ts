/**
 * EngineStatus, the contract's view of the engine, as a pure function of what each part reports:
 * no I/O and no clock, so every case is a unit test.
 */
import type { EngineStatus, InstanceView, TimelineEvent } from '../../contract/index.js';
import type { LbStatus } from './lb/lb-controller.js';
import type { RegistratorStatus } from './registrator/registrator.js';
import type { TemplateLoopStatus } from './render/template-loop.js';
import type { ScaleProgress } from './scaler.js';

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
  /** Where Docker is expected, for the status of an engine that has not connected. */
  dockerEndpoint: string;
  /** Present once the engine runs. */
  running?: RunningInputs;
}

export interface RunningInputs {
  docker: { endpoint: string; version: string; source: string };
  consulUrl: string;
  registrator: RegistratorStatus;
  lb: LbStatus;
  template: TemplateLoopStatus;
  /** Service instance IDs in the live nginx config. */
  live: ReadonlySet<string>;
  scaling: ScaleProgress;
  timeline: readonly TimelineEvent[];
  hitsSource?: EngineStatus['hitsSource'];
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
    },
    lb: lbView(inputs.lbUrl, lb),
    template: {
      name: template.templateName,
      dependencies: template.dependencies,
      ...(template.lastRenderAt !== undefined ? { lastRenderAt: template.lastRenderAt } : {}),
      ...(template.lastError ? { lastError: template.lastError } : {}),
    },
    services: servicesView(registrator, running.live, scaling),
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

function servicesView(
  registrator: RegistratorStatus,
  live: ReadonlySet<string>,
  scaling: ScaleProgress,
): EngineStatus['services'] {
  const byService = new Map<string, InstanceView[]>();
  const add = (name: string, view: InstanceView): void => {
    byService.set(name, [...(byService.get(name) ?? []), view]);
  };
  for (const s of registrator.services) {
    add(s.name, {
      id: s.id,
      service: s.name,
      containerId: s.containerId,
      containerName: s.containerName,
      address: s.address,
      port: s.port,
      tags: s.tags,
      registeredAt: s.registeredAt,
      state: live.has(s.id) ? 'serving' : 'starting',
    });
  }
  // Draining containers are deregistered already; they are shown until they are gone.
  for (const name of scaling.draining) {
    add(DEMO_SERVICE, {
      id: name,
      service: DEMO_SERVICE,
      containerId: '',
      containerName: name,
      address: '',
      port: 0,
      tags: [],
      registeredAt: 0,
      state: 'draining',
    });
  }
  if (!byService.has(DEMO_SERVICE)) byService.set(DEMO_SERVICE, []);
  return [...byService.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, instances]) => ({
      name,
      ...(name === DEMO_SERVICE && scaling.desired !== undefined ? { desired: scaling.desired } : {}),
      running: instances.filter((i) => i.state !== 'draining').length,
      instances: instances.sort((a, b) => a.containerName.localeCompare(b.containerName)),
    }));
}
