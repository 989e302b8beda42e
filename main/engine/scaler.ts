/**
 * Scaling one set of replicas without dropping requests (docs/ARCHITECTURE.md): the demo's `web`, or a
 * Compose service (compose/compose-replicas.ts). What the replicas are and how one is made is the
 * ReplicaSet's business; the order is the same for both:
 * - up: create and start the new containers in parallel; each takes traffic
 *   once registered and in the live nginx config;
 * - down, highest numbers first (or as a placement says: multi/placement.ts): deregister →
 *   template re-render → nginx reload done → wait for the old nginx workers (they hold the
 *   requests in flight to the victims) → stop → remove.
 * A request that arrives while a scale runs supersedes it: the loop
 * converges on the newest desired count.
 */
import { Emitter, LIMITS } from '../../contract/index.js';
import { UserError, errorMessage } from './errors.js';
import type { LbController } from './lb/lb-controller.js';
import { SPREAD, chooseHosts, chooseVictims, type Placement } from './multi/placement.js';
import type { RegistrationSource } from './registration-source.js';
import type { LiveState, TemplateLoop } from './render/template-loop.js';
import type { Timeline } from './timeline.js';

export const DEFAULT_MAX_INSTANCES = LIMITS.maxWebInstances;

/** One container of a replica set. */
export interface Replica {
  id: string;
  name: string;
  /** Its place in the set (the demo's index, Compose's container number): the highest go first. */
  number: number;
  running: boolean;
  /** The Docker host it runs on (the demo's web with several engines); undefined is the local engine. */
  host?: string;
}

/** A Docker host a replica set can place replicas on. */
export interface HostChoice {
  name: string;
  connected: boolean;
}

/**
 * The containers one scale target may start and stop, and how to make one more. Nothing else is
 * ever started or stopped by a scale: a ReplicaSet lists only containers that are its own.
 */
export interface ReplicaSet {
  /** What `scale` calls it: `web`, or `<project>/<service>`. */
  readonly target: string;
  /** Every replica, running or not. */
  list(): Promise<Replica[]>;
  /**
   * Makes `count` more replicas run, all at once; resolves with the ones it started. `hold` may be
   * called with the ID of a container it creates, before it starts (its registration then waits until it listens).
   */
  add(count: number, hold: (containerId: string) => void, hosts?: readonly string[]): Promise<Replica[]>;
  /** Stops (allowing `stopTimeoutSeconds`) and removes one replica; one already gone is no error. */
  remove(replica: Replica, stopTimeoutSeconds: number): Promise<void>;
  /**
   * The hosts it can place replicas on (`add`'s `hosts` names them); absent: it scales where it
   * is and takes no placement (a Compose service).
   */
  hosts?(): HostChoice[];
}

export interface ScalerOptions {
  maxInstances?: number;
  /** The lowest count asked for (a Compose service keeps one replica to copy new ones from). */
  minInstances?: number;
  /** Called with a new container's ID before it starts (see ReplicaSet.add). */
  hold?: (containerId: string) => void;
  /** Longest wait for in-flight requests on a container being removed. */
  drainTimeoutMs?: number;
  /** Longest wait for a new container to be routed, or an old one unrouted. */
  routeTimeoutMs?: number;
  /**
   * false: scale down as the classic demo does (stop at once; the registrator
   * deregisters on the stop, then nginx reloads). For comparison only (the benchmark's peer).
   */
  drain?: boolean;
}

export interface ScaleResult {
  service: string;
  desired: number;
  running: number;
  /** A newer scale request took over before this one finished. */
  superseded: boolean;
  /** Containers that did not get into (or out of) the live config in time. */
  warnings: string[];
}

export interface ScaleProgress {
  desired: number | undefined;
  starting: string[];
  draining: string[];
  /** The Consul services each draining container had (it is deregistered already), by container name. */
  drainingServices: Record<string, string[]>;
  busy: boolean;
}

export class Scaler {
  private desired: number | undefined;
  /** The newest request's placement: a newer request takes over with its own. */
  private placement: Placement;
  private generation = 0;
  private loop: Promise<void> | undefined;
  private readonly starting = new Set<string>();
  private readonly drainingNames = new Map<string, string[]>();
  private readonly progressed = new Emitter<void>();
  readonly maxInstances: number;

  constructor(
    readonly replicas: ReplicaSet,
    private readonly registrations: RegistrationSource,
    private readonly templateLoop: TemplateLoop,
    private readonly lb: LbController,
    private readonly timeline: Timeline,
    private readonly options: ScalerOptions = {},
  ) {
    this.maxInstances = options.maxInstances ?? DEFAULT_MAX_INSTANCES;
  }

  progress(): ScaleProgress {
    return {
      desired: this.desired,
      starting: [...this.starting],
      draining: [...this.drainingNames.keys()],
      drainingServices: Object.fromEntries(this.drainingNames),
      busy: this.loop !== undefined,
    };
  }

  onProgress(listener: () => void): () => void {
    return this.progressed.on(listener);
  }

  get desiredCount(): number | undefined {
    return this.desired;
  }

  get target(): string {
    return this.replicas.target;
  }

  /**
   * Requests arrive validated (contract/requests.ts); the bounds are checked again because they
   * are configurable. `service` is the target's name, as the caller knows it.
   */
  async scale(service: string, count: number, placement?: Placement): Promise<ScaleResult> {
    if (service !== this.target) throw new Error(`this scaler scales ${this.target}, not ${service}`);
    const min = this.options.minInstances ?? 0;
    if (!Number.isInteger(count) || count < min || count > this.maxInstances)
      throw new UserError(
        `Scale ${service} to a whole number from ${min} to ${this.maxInstances}; got ${count}. Nothing was changed.`,
        'bad-request',
      );
    if (placement !== undefined) this.checkPlacement(placement);
    const generation = ++this.generation;
    this.desired = count;
    this.placement = placement;
    this.emit();
    const warnings: string[] = [];
    this.loop ??= this.converge(warnings).finally(() => {
      this.loop = undefined;
      this.emit();
    });
    await this.loop;
    const running = (await this.active()).length;
    return {
      service,
      desired: count,
      running,
      superseded: generation !== this.generation,
      warnings,
    };
  }

  /** A placement must name a connected host (or spread); else nothing is changed. */
  private checkPlacement(placement: string): void {
    const hosts = this.replicas.hosts?.();
    if (!hosts)
      throw new UserError(
        `${this.target} is scaled on the local Docker engine only: leave out the host. Nothing was changed.`,
        'bad-request',
      );
    if (placement === SPREAD || hosts.some((h) => h.name === placement && h.connected)) return;
    const known = hosts.map((h) => (h.connected ? h.name : `${h.name} (not connected)`)).join(', ');
    const what = hosts.some((h) => h.name === placement)
      ? 'is not connected (lost, or not reached yet)'
      : 'is not a Docker host the engine follows';
    throw new UserError(
      `${placement} ${what}: place ${this.target} on one of ${known}, or ${SPREAD}. Nothing was changed.`,
      'bad-request',
    );
  }

  /**
   * Brings the running count back up to the desired one after containers went
   * away by themselves (killed by hand). Returns how many it started.
   */
  async reconcile(): Promise<number> {
    if (this.desired === undefined || this.loop) return 0;
    const missing = this.desired - (await this.active()).length;
    if (missing <= 0) return 0;
    await this.scale(this.target, this.desired);
    return missing;
  }

  /** Waits for any scale in progress (used on shutdown). */
  async idle(): Promise<void> {
    await this.loop;
  }

  /** The running replicas that are not on their way out, lowest numbers first. */
  async active(): Promise<Replica[]> {
    const all = await this.replicas.list();
    return all
      .filter((c) => c.running && !this.registrations.isDraining(c.id))
      .sort((a, b) => a.number - b.number);
  }

  private async converge(warnings: string[]): Promise<void> {
    for (let round = 0; round < 10; round++) {
      const target = this.desired ?? 0;
      const active = await this.active();
      if (active.length < target) await this.scaleUp(target - active.length, active, warnings);
      else if (active.length > target)
        await this.scaleDown(chooseVictims(active, active.length - target, this.placement), warnings);
      else if (target === this.desired) return;
    }
  }

  private async scaleUp(count: number, active: readonly Replica[], warnings: string[]): Promise<void> {
    const hold = this.options.hold ?? (() => undefined);
    const hosts = this.replicas
      .hosts?.()
      .filter((h) => h.connected)
      .map((h) => h.name);
    const created =
      this.placement === undefined || !hosts
        ? await this.replicas.add(count, hold)
        : await this.replicas.add(count, hold, chooseHosts(count, this.placement, hosts, active));
    const names = created.map((c) => c.name);
    names.forEach((n) => this.starting.add(n));
    this.emit();
    try {
      await Promise.all(
        created.map(async (container, i) => {
          const routed = await this.waitUntil(
            () => this.isRouted(container.id),
            this.options.routeTimeoutMs ?? 30_000,
          );
          if (!routed) warnings.push(`${names[i]} started but was not routed by nginx within the time limit`);
        }),
      );
    } finally {
      names.forEach((n) => this.starting.delete(n));
      this.emit();
    }
  }

  private isRouted(containerId: string): boolean {
    const ids = this.registrations.serviceIdsOf(containerId);
    const live = this.templateLoop.liveState().instanceIds;
    return ids.length > 0 && ids.every((id) => live.has(id));
  }

  private async scaleDown(victims: Replica[], warnings: string[]): Promise<void> {
    if (this.options.drain === false) {
      await Promise.all(victims.map((v) => this.replicas.remove(v, 10)));
      return;
    }
    const registered = this.registrations.status().services;
    for (const victim of victims) {
      const services = registered.filter((s) => s.containerId === victim.id).map((s) => s.name);
      this.drainingNames.set(victim.name, [...new Set(services)]);
    }
    this.emit();
    // Workers of every config applied from here on may still hold requests to a victim.
    const retiring = new Set<number>();
    const stopCollecting = this.templateLoop.onLive((state: LiveState) => {
      state.applied?.retiringWorkers.forEach((pid) => retiring.add(pid));
    });
    try {
      const serviceIds = (
        await Promise.all(victims.map((v) => this.registrations.drain(v.id, v.host)))
      ).flat();
      const unrouted = await this.waitUntil(
        () => serviceIds.every((id) => !this.templateLoop.liveState().instanceIds.has(id)),
        this.options.routeTimeoutMs ?? 30_000,
      );
      if (!unrouted) warnings.push('nginx did not drop the removed backends in time; stopping them anyway');
      stopCollecting();
      const drained = await this.lb
        .drain([...retiring], this.options.drainTimeoutMs ?? 15_000)
        .catch((error: unknown) => {
          warnings.push(`could not watch the drain: ${errorMessage(error)}`);
          return false;
        });
      if (!drained) warnings.push('requests in flight did not finish within the drain timeout');
      await Promise.all(victims.map((v) => this.replicas.remove(v, 5)));
      for (const victim of victims) {
        this.timeline.record({
          kind: 'container-stopped',
          containerId: victim.id,
          message: `${victim.name} drained and removed`,
        });
      }
    } finally {
      stopCollecting();
      victims.forEach((v) => this.drainingNames.delete(v.name));
      this.emit();
    }
  }

  /** Resolves true once `check` holds (re-checked on every live config and registration change). */
  private waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
    if (check()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (value: boolean): void => {
        clearTimeout(timer);
        offLive();
        offRegistered();
        resolve(value);
      };
      const recheck = (): void => {
        if (check()) done(true);
      };
      const offLive = this.templateLoop.onLive(recheck);
      const offRegistered = this.registrations.onChange(recheck);
      const timer = setTimeout(() => done(false), timeoutMs);
    });
  }

  private emit(): void {
    this.progressed.emit();
  }
}
