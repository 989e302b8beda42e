/**
 * The registrator: Docker events in, Consul registrations out, with
 * registrator's lifecycle (gliderlabs/registrator):
 * - on start, every running container is registered and every stale service
 *   this engine owns is removed (nothing left behind by a crash);
 * - register on `start` (or on `healthy` for containers with a HEALTHCHECK);
 *   deregister on the first of die / stop / kill (terminating signal) /
 *   destroy / unhealthy;
 * - Docker or Consul going away is survived: both are retried with backoff and
 *   everything is resynced when they are back (a dev Consul that restarted has
 *   lost every registration).
 */
import type Consul from 'consul';
import type { CheckOptions } from 'consul/lib/agent/check.js';
import type Dockerode from 'dockerode';
import { Emitter } from '../../../contract/index.js';
import { Backoff } from '../backoff.js';
import { errorMessage } from '../errors.js';
import type { Timeline } from '../timeline.js';
import { ConsulLiveness } from '../consul/consul-liveness.js';
import { DockerEventFollower, type ContainerEvent } from '../docker/docker-events.js';
import { containerName, hasDockerHealthcheck, type ContainerFacts } from './container-facts.js';
import { containerOrigin, type ContainerOrigin } from './container-origin.js';
import { CATALOG_CONFIRM_LIMITS, confirmInCatalog } from './catalog-confirm.js';
import { OpGate } from './op-gate.js';
import {
  CONTAINER_META_KEY,
  OWNER_META_KEY,
  isOwnedBy,
  ownerId,
  type AgentServiceEntry,
} from './ownership.js';
import {
  ServiceIdClaims,
  assignServiceIds,
  foreignEntry,
  refusalMessage,
  type IdHolder,
} from './service-id-claims.js';
import { servicesForContainer, type ServiceDefinition, type ServiceSpecOptions } from './service-spec.js';
import { WarningBook, type ContainerWarning } from './warning-book.js';

export interface RegistratorOptions extends ServiceSpecOptions {
  /** Backoff for Docker and Consul retries; tests shorten it. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /**
   * Awaited before a container's new services are registered (registrator
   * itself registers at once): the engine uses it to hold its own web
   * containers until their port listens. It must be bounded. `docker` is
   * the engine the container runs on, for checks that need to look inside it.
   */
  beforeRegister?: (
    container: ContainerFacts,
    services: readonly RegisteredService[],
    docker: Dockerode,
  ) => Promise<void>;
  /** Meta added to every registration (several engines: `dt-host`, the host it runs on). */
  extraMeta?: Readonly<Record<string, string>>;
}

export interface RegisteredService extends ServiceDefinition {
  containerId: string;
  containerName: string;
  registeredAt: number;
  /** Whose container it is (a stack's, a Compose replica, neither), by its labels. */
  origin: ContainerOrigin;
  /** Docker's HEALTHCHECK status when it was registered (`none`: no HEALTHCHECK). */
  dockerHealth?: DockerHealth;
}

export type DockerHealth = 'healthy' | 'unhealthy' | 'starting' | 'none';

export interface RegistratorStatus {
  docker: { connected: boolean; error?: string };
  consul: { connected: boolean; error?: string };
  services: RegisteredService[];
  /** Conflicts and refused settings, per container name (bounded: see WarningBook). */
  warnings: ContainerWarning[];
}

/** Signals after which a container is on its way out (a HUP to reload nginx is not). */
const TERMINATING_SIGNALS = new Set([
  '2',
  '3',
  '9',
  '15',
  'SIGINT',
  'SIGQUIT',
  'SIGKILL',
  'SIGTERM',
  'INT',
  'QUIT',
  'KILL',
  'TERM',
]);

class ConsulFailure extends Error {}

export class Registrator {
  private readonly owner: string;
  private readonly gate = new OpGate();
  private readonly registered = new Map<string, RegisteredService[]>();
  /** Grows with every change of `registered`: lets a reader keep an index of it until it changes. */
  private registeredChanges = 0;
  private readonly warnings = new WarningBook();
  /** Which container holds which service ID: no two containers, and no one else's ID. */
  private readonly claims = new ServiceIdClaims();
  private readonly follower: DockerEventFollower;
  private readonly resyncBackoff: Backoff;
  private readonly changed = new Emitter<void>();
  private readonly restored = new Emitter<void>();
  /** Consul came back: the next successful resync restores what it lost. */
  private restoring = false;
  private readonly liveness: ConsulLiveness;
  /** Whether this registrator made the liveness watcher (and so starts and stops it). */
  private readonly ownsLiveness: boolean;
  private unsubscribeLiveness: (() => void) | undefined;
  /**
   * Service IDs being deregistered by our doing, until they have left `registered` too (see
   * emitChange).
   */
  private readonly leaving = new Set<string>();
  /** Containers being scaled away: deregistered, and not registered again until destroyed. */
  private readonly draining = new Set<string>();
  private resyncTimer: NodeJS.Timeout | undefined;
  /** The wait for the catalog after a restore (catalog-confirm.ts); a newer restore replaces it. */
  private confirming: AbortController | undefined;
  private running = false;
  private dockerState: RegistratorStatus['docker'] = { connected: false };
  private consulState: RegistratorStatus['consul'] = { connected: false };

  constructor(
    private readonly docker: Dockerode,
    private readonly consul: Consul,
    private readonly timeline: Timeline,
    private readonly options: RegistratorOptions,
    liveness?: ConsulLiveness,
  ) {
    this.owner = ownerId(options.hostname);
    this.resyncBackoff = new Backoff({
      initialMs: options.retryDelayMs ?? 200,
      maxMs: options.maxRetryDelayMs ?? 5000,
    });
    this.follower = new DockerEventFollower(docker, {
      onEvent: (event) => this.onDockerEvent(event),
      onConnectionChange: (connected, error) => this.setDockerState(connected, error),
      onReconnected: () => this.scheduleResync(0),
      ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
      ...(options.maxRetryDelayMs !== undefined ? { maxRetryDelayMs: options.maxRetryDelayMs } : {}),
    });
    this.ownsLiveness = !liveness;
    this.liveness =
      liveness ??
      new ConsulLiveness(consul, {
        ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
        ...(options.maxRetryDelayMs !== undefined ? { maxRetryDelayMs: options.maxRetryDelayMs } : {}),
      });
  }

  /** Follows Docker (throws if there is no engine), syncs, and watches Consul's health. */
  async start(): Promise<void> {
    this.running = true;
    // Follow first, so that nothing that happens during the initial sync is missed.
    await this.follower.start();
    this.setDockerState(true);
    this.unsubscribeLiveness = this.liveness.subscribe({
      onUp: (reason) => {
        this.setConsulState(true);
        // A dev Consul that restarted has lost every registration: put them back.
        if (reason !== 'first-contact') {
          this.restoring = true;
          this.scheduleResync(0);
        }
      },
      onDown: (error) => this.setConsulState(false, error),
    });
    await this.resync().catch(() => this.scheduleResync());
    if (this.ownsLiveness) this.liveness.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.resyncTimer);
    this.confirming?.abort();
    this.unsubscribeLiveness?.();
    if (this.ownsLiveness) this.liveness.stop();
    await this.follower.stop();
    await this.gate.idle();
  }

  /** Resolves when every queued registration change has been applied. */
  settled(): Promise<void> {
    return this.gate.idle();
  }

  /**
   * Called once every registration is back after Consul returned (a restarted
   * dev Consul has lost them all): until then Consul's answers are not the truth.
   */
  onRestored(listener: () => void): () => void {
    return this.restored.on(listener);
  }

  onChange(listener: () => void): () => void {
    return this.changed.on(listener);
  }

  /** Changes whenever the registered services do (and only then). */
  get registeredVersion(): number {
    return this.registeredChanges;
  }

  status(): RegistratorStatus {
    return {
      docker: { ...this.dockerState },
      consul: { ...this.consulState },
      services: [...this.registered.values()].flat(),
      warnings: this.warnings.list(),
    };
  }

  /**
   * Takes a container out of Consul ahead of stopping it (scale-down), and
   * keeps it out until it is destroyed. Resolves with the IDs it had.
   */
  async drain(containerId: string): Promise<string[]> {
    this.draining.add(containerId);
    const ids = (this.registered.get(containerId) ?? []).map((s) => s.id);
    await this.gate.forKey(containerId, () => this.remove(containerId, 'scaled down'));
    return ids;
  }

  /**
   * The IDs this registrator keeps in Consul: registered, without a check of their own (one with a
   * check may leave passing queries when it fails), and not being deregistered.
   */
  keptServiceIds(): Set<string> {
    const kept = new Set<string>();
    for (const services of this.registered.values())
      for (const service of services)
        if (!service.check && !this.leaving.has(service.id)) kept.add(service.id);
    return kept;
  }

  /** Service IDs registered for a container (empty when none). */
  serviceIdsOf(containerId: string): string[] {
    return (this.registered.get(containerId) ?? []).map((s) => s.id);
  }

  isDraining(containerId: string): boolean {
    return this.draining.has(containerId);
  }

  /** Lists running containers, registers what should be, removes what we own and should not be. */
  resync(): Promise<void> {
    return this.gate.alone(async () => {
      const listed = await this.docker.listContainers();
      const wanted = new Map<
        string,
        { container: ContainerFacts; services: RegisteredService[]; warnings: string[] }
      >();
      await mapLimit(listed, 8, async ({ Id }) => {
        const container = await this.inspect(Id);
        if (container) wanted.set(Id, { container, ...this.desiredServices(container) });
      });

      const agent = await this.consulCall(
        () => this.consul.agent.service.list() as Promise<Record<string, AgentServiceEntry>>,
      );
      const { holders, refusals } = assignServiceIds(
        [...wanted.values()].map(({ container, services }) => ({
          holder: holderOf(container),
          ...(container.State?.StartedAt ? { startedAt: container.State.StartedAt } : {}),
          ids: services.map((s) => s.id),
        })),
        this.claims,
        agent,
        this.owner,
      );
      const desired = new Map<string, RegisteredService[]>();
      for (const [id, { container, services, warnings }] of wanted) {
        const refused = refusals.get(id);
        for (const service of services) {
          const refusal = refused?.get(service.id);
          if (refusal) warnings.push(refusalMessage(serviceLabel(container, service), service.id, refusal));
        }
        this.recordWarnings(container, warnings);
        desired.set(
          id,
          services.filter((s) => !refused?.has(s.id)),
        );
      }
      this.claims.replaceAll(holders);

      const desiredIds = new Set([...desired.values()].flat().map((s) => s.id));
      for (const entry of Object.values(agent)) {
        if (isOwnedBy(entry, this.owner) && !desiredIds.has(entry.ID)) {
          this.leaving.add(entry.ID);
          await this.consulCall(() => this.consul.agent.service.deregister(entry.ID));
          this.timeline.record({
            kind: 'deregistered',
            message: `${entry.Service} (${entry.ID}) removed: its container is gone`,
            serviceId: entry.ID,
            ...(entry.Meta?.[CONTAINER_META_KEY] ? { containerId: entry.Meta[CONTAINER_META_KEY] } : {}),
          });
        }
      }
      for (const [id, services] of desired) {
        for (const service of services) {
          const current = agent[service.id];
          const previous = this.registered.get(id)?.find((s) => s.id === service.id);
          if (
            current &&
            isOwnedBy(current, this.owner) &&
            current.Meta?.[CONTAINER_META_KEY] === id &&
            sameEndpoint(current, service) &&
            previous
          ) {
            service.registeredAt = previous.registeredAt;
            continue;
          }
          await this.register(service);
        }
      }
      this.registered.clear();
      for (const [id, services] of desired) if (services.length > 0) this.registered.set(id, services);
      this.registeredChanges++;
      this.resyncBackoff.reset();
      this.emitChange();
      if (this.restoring) {
        this.restoring = false;
        // Outside the gate: the wait must not hold Docker events back.
        void this.restoreOnceInCatalog();
      }
    });
  }

  /** `restored` once the catalog lists what the agent was given (or the wait's bound is reached). */
  private async restoreOnceInCatalog(): Promise<void> {
    this.confirming?.abort();
    const confirming = new AbortController();
    this.confirming = confirming;
    const result = await confirmInCatalog({
      consul: this.consul,
      ids: () => [...this.registered.values()].flat().map((s) => s.id),
      resend: (ids) => this.resend(ids),
      signal: confirming.signal,
    });
    if (result.state === 'aborted' || this.confirming !== confirming || !this.running) return;
    this.confirming = undefined;
    if (result.state === 'timed-out')
      this.timeline.record({
        kind: 'warning',
        message: `Consul's catalog still lacks ${result.missing.length} registration(s) ${CATALOG_CONFIRM_LIMITS.boundMs / 1000} s after they were put back on the agent (${result.missing.slice(0, 3).join(', ')}${result.missing.length > 3 ? ', …' : ''}); the config follows the catalog as it is`,
      });
    this.restored.emit();
  }

  /** Puts registrations on the agent again, unchanged (the agent syncs its changes again). */
  private async resend(ids: readonly string[]): Promise<void> {
    const wanted = new Set(ids);
    // A check registered again starts over (critical, or its initial status): keep the status it has.
    const checks = (await this.consulCall(() => this.consul.agent.check.list())) as Record<
      string,
      { ServiceID?: string; Status?: string }
    >;
    const statusOf = new Map(
      Object.values(checks).flatMap((c) => (isCheckStatus(c.Status) ? [[c.ServiceID ?? '', c.Status]] : [])),
    );
    await Promise.all(
      [...this.registered].map(([containerId]) =>
        this.gate.forKey(containerId, async () => {
          // Read again inside the gate: the container may have gone meanwhile.
          for (const service of this.registered.get(containerId) ?? [])
            if (wanted.has(service.id))
              await this.consulCall(() => this.putOnAgent(service, statusOf.get(service.id)));
        }),
      ),
    );
  }

  private onDockerEvent(event: ContainerEvent): void {
    const action = event.action;
    if (action === 'start') {
      this.timeline.record({
        kind: 'container-started',
        at: Number(event.timeNano) / 1e6,
        containerId: event.id,
        message: `container ${event.attributes.name ?? event.id.slice(0, 12)} started`,
      });
      this.enqueue(event.id, () => this.add(event.id));
    } else if (action === 'health_status: healthy') {
      this.enqueue(event.id, () => this.add(event.id));
    } else if (
      action === 'die' ||
      action === 'stop' ||
      action === 'destroy' ||
      action === 'health_status: unhealthy' ||
      (action === 'kill' && TERMINATING_SIGNALS.has(event.attributes.signal ?? ''))
    ) {
      if (action === 'die') {
        this.timeline.record({
          kind: 'container-stopped',
          at: Number(event.timeNano) / 1e6,
          containerId: event.id,
          message: `container ${event.attributes.name ?? event.id.slice(0, 12)} exited`,
        });
      }
      this.enqueue(event.id, () => this.remove(event.id, action));
    }
  }

  private enqueue(containerId: string, work: () => Promise<void>): void {
    this.gate.forKey(containerId, work).catch((error: unknown) => {
      if (error instanceof ConsulFailure) this.scheduleResync();
      else this.timeline.record({ kind: 'error', containerId, message: errorMessage(error) });
    });
  }

  private async add(containerId: string): Promise<void> {
    const container = await this.inspect(containerId);
    if (!container?.State?.Running) return;
    const { services: wanted, warnings } = this.desiredServices(container);
    const previous = this.registered.get(containerId) ?? [];
    // Claimed with no await since the inspect: a container starting at the same time with the same ID sees it.
    const refused = new Set<string>();
    for (const service of wanted) {
      const holder = this.claims.claim(service.id, holderOf(container));
      if (!holder) continue;
      refused.add(service.id);
      warnings.push(refusalMessage(serviceLabel(container, service), service.id, { kind: 'held', holder }));
    }
    const claimedFresh = wanted.filter((s) => !refused.has(s.id) && !previous.some((old) => old.id === s.id));
    if (claimedFresh.length > 0) {
      // An ID Consul has from someone else stays theirs: registering it would replace their entry.
      const agent = await this.consulCall(
        () => this.consul.agent.service.list() as Promise<Record<string, AgentServiceEntry>>,
      );
      for (const service of claimedFresh) {
        const entry = foreignEntry(agent, service.id, this.owner);
        if (!entry) continue;
        refused.add(service.id);
        this.claims.release(service.id, containerId);
        warnings.push(
          refusalMessage(serviceLabel(container, service), service.id, { kind: 'foreign', entry }),
        );
      }
    }
    this.recordWarnings(container, warnings);
    const services = wanted.filter((s) => !refused.has(s.id));
    const fresh = services.filter((s) => !previous.some((old) => old.id === s.id));
    if (fresh.length > 0 && this.options.beforeRegister) {
      await this.options.beforeRegister(container, fresh, this.docker);
      // For the benchmark's breakdown: the hold (e.g. until the port listens) is over.
      this.timeline.mark('listening', containerId);
    }
    for (const old of previous) {
      if (services.some((s) => s.id === old.id)) continue;
      await this.deregister(old, 'its settings changed');
      this.claims.release(old.id, containerId);
    }
    for (const service of services) {
      const known = previous.find((s) => s.id === service.id);
      if (known && sameDefinition(known, service)) {
        service.registeredAt = known.registeredAt;
        continue;
      }
      await this.register(service);
    }
    if (services.length > 0) this.registered.set(containerId, services);
    else this.registered.delete(containerId);
    this.registeredChanges++;
    this.emitChange();
  }

  private async remove(containerId: string, reason: string): Promise<void> {
    if (reason === 'destroy') {
      this.draining.delete(containerId);
      this.warnings.delete(containerId);
    }
    const services = this.registered.get(containerId);
    if (services) {
      for (const service of services) await this.deregister(service, `container ${reason}`);
      this.registered.delete(containerId);
      this.registeredChanges++;
    }
    // Only once its services are out of Consul: another container may register the IDs now.
    this.claims.releaseAll(containerId);
    if (services) this.emitChange();
  }

  /** The services a container asks for, with the warnings about its settings. */
  private desiredServices(container: ContainerFacts): { services: RegisteredService[]; warnings: string[] } {
    const result = servicesForContainer(container, this.options);
    const name = containerName(container);
    const warnings = [...result.warnings];
    if (this.draining.has(container.Id)) return { services: [], warnings };
    // A container with a Docker HEALTHCHECK waits until Docker calls it healthy.
    if (hasDockerHealthcheck(container) && container.State?.Health?.Status !== 'healthy')
      return { services: [], warnings };
    const origin = containerOrigin(container);
    const dockerHealth = dockerHealthOf(container);
    const services = result.services.map((service) => ({
      ...service,
      meta: {
        ...service.meta,
        ...this.options.extraMeta,
        [OWNER_META_KEY]: this.owner,
        [CONTAINER_META_KEY]: container.Id,
      },
      containerId: container.Id,
      containerName: name,
      registeredAt: 0,
      origin,
      dockerHealth,
    }));
    return { services, warnings };
  }

  /** Keeps a container's warnings for `status` and puts the new ones on the timeline. */
  private recordWarnings(container: ContainerFacts, warnings: readonly string[]): void {
    for (const message of this.warnings.set(container.Id, containerName(container), warnings))
      this.timeline.record({ kind: 'warning', containerId: container.Id, message });
  }

  private async inspect(containerId: string): Promise<ContainerFacts | undefined> {
    try {
      return await this.docker.getContainer(containerId).inspect();
    } catch (error) {
      // Gone between the event and the inspect: nothing to register.
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  /** `checkStatus`: the status its check starts with (the one it has, when it is put back). */
  private putOnAgent(service: RegisteredService, checkStatus?: CheckStatus): Promise<unknown> {
    return this.consul.agent.service.register({
      id: service.id,
      name: service.name,
      address: service.address,
      port: service.port,
      tags: service.tags,
      meta: service.meta,
      ...(service.check ? { check: toConsulCheck(service, checkStatus) } : {}),
    });
  }

  private async register(service: RegisteredService): Promise<void> {
    await this.consulCall(() => this.putOnAgent(service));
    service.registeredAt = Date.now();
    this.timeline.record({
      kind: 'registered',
      containerId: service.containerId,
      serviceId: service.id,
      message: `${service.name} registered at ${service.address}:${service.port} (${service.id})`,
    });
  }

  private async deregister(service: RegisteredService, reason: string): Promise<void> {
    this.leaving.add(service.id);
    await this.consulCall(() => this.consul.agent.service.deregister(service.id));
    this.timeline.record({
      kind: 'deregistered',
      containerId: service.containerId,
      serviceId: service.id,
      message: `${service.name} deregistered (${reason}): ${service.id}`,
    });
  }

  private async consulCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      this.setConsulState(true);
      return result;
    } catch (error) {
      const status = (error as { response?: { statusCode?: number } }).response?.statusCode;
      // An HTTP answer from Consul (e.g. 400 for a bad check) is not an outage.
      if (status !== undefined && status < 500) throw error;
      this.liveness.reportFailure(error);
      throw new ConsulFailure(errorMessage(error));
    }
  }

  private scheduleResync(delayMs = this.resyncBackoff.next()): void {
    if (!this.running) return;
    clearTimeout(this.resyncTimer);
    this.resyncTimer = setTimeout(() => {
      this.resync().catch(() => this.scheduleResync());
    }, delayMs);
  }

  private setDockerState(connected: boolean, error?: string): void {
    if (this.dockerState.connected === connected) return;
    this.dockerState = error && !connected ? { connected, error } : { connected };
    this.timeline.record({
      kind: connected ? 'docker-up' : 'docker-down',
      message: connected ? 'Docker events connected' : `Docker events lost: ${error ?? 'unknown reason'}`,
    });
    this.emitChange();
  }

  private setConsulState(connected: boolean, error?: string): void {
    if (this.consulState.connected === connected) return;
    this.consulState = error && !connected ? { connected, error } : { connected };
    this.timeline.record({
      kind: connected ? 'consul-up' : 'consul-down',
      message: connected ? 'Consul reachable' : `Consul unreachable: ${error ?? 'unknown reason'}`,
    });
    this.emitChange();
  }

  private emitChange(): void {
    // What has left `registered` no longer needs marking as leaving by our doing.
    if (this.leaving.size > 0) {
      const registeredIds = new Set([...this.registered.values()].flat().map((s) => s.id));
      for (const id of this.leaving) if (!registeredIds.has(id)) this.leaving.delete(id);
    }
    this.changed.emit();
  }
}

type CheckStatus = 'passing' | 'warning' | 'critical';

function isCheckStatus(status: string | undefined): status is CheckStatus {
  return status === 'passing' || status === 'warning' || status === 'critical';
}

function toConsulCheck(service: RegisteredService, status = service.check?.status): CheckOptions {
  const check = service.check!;
  return {
    name: `${service.name} ${check.http ? 'HTTP' : 'TCP'} check`,
    ...(check.http ? { http: check.http } : {}),
    ...(check.tcp ? { tcp: check.tcp } : {}),
    ...(check.tlsSkipVerify ? { tlsskipverify: true } : {}),
    interval: check.interval,
    // The consul client's types want a timeout on every check; Consul's default is 10s.
    timeout: check.timeout ?? '10s',
    ...(check.deregisterCriticalServiceAfter
      ? { deregistercriticalserviceafter: check.deregisterCriticalServiceAfter }
      : {}),
    ...(status ? { status } : {}),
  };
}

function holderOf(container: ContainerFacts): IdHolder {
  return { containerId: container.Id, containerName: containerName(container) };
}

/** Names a container's port in a warning, as the service spec's warnings do. */
function serviceLabel(container: ContainerFacts, service: ServiceDefinition): string {
  return `container ${containerName(container)}, port ${service.containerPort}${service.protocol === 'udp' ? '/udp' : ''}`;
}

function sameEndpoint(entry: AgentServiceEntry, service: ServiceDefinition): boolean {
  return (
    entry.Service === service.name &&
    entry.Address === service.address &&
    entry.Port === service.port &&
    [...(entry.Tags ?? [])].sort().join(',') === [...service.tags].sort().join(',')
  );
}

/** Registered only while healthy, but said as Docker says it, for the status. */
function dockerHealthOf(container: ContainerFacts): DockerHealth {
  if (!hasDockerHealthcheck(container)) return 'none';
  const status = container.State?.Health?.Status;
  return status === 'healthy' || status === 'unhealthy' ? status : 'starting';
}

function sameDefinition(a: ServiceDefinition, b: ServiceDefinition): boolean {
  return JSON.stringify({ ...a, registeredAt: 0 }) === JSON.stringify({ ...b, registeredAt: 0 });
}

async function mapLimit<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(workers);
}
