/**
 * Puts each container's own discovery chain on the timeline: the registrator
 * records "started" and "registered" per container, but the template loop and
 * the LB record one render and one reload for the whole config. This matches
 * each applied config against the one before, and records "template rendered"
 * and "nginx reloaded" for every container that came into (or left) the live
 * config, at the times of that render and reload; then "first request" when
 * the hits show it served one. The timeline computes the time since each
 * container's step before.
 */
import type { LiveState } from '../render/template-loop.js';
import type { Timeline, TimelineEvent } from '../timeline.js';

interface ContainerRef {
  containerId: string;
  name: string;
  /** When the registrator last recorded it registered or deregistered. */
  changedAt: number;
}

export class DiscoverySteps {
  private readonly containerOfService = new Map<string, ContainerRef>();
  private readonly reloadedAt = new Map<string, number>();
  /** Registered containers that no live config routes to yet. */
  private readonly awaitingRoute = new Set<string>();
  /** First requests served before the apply that routed their container returned. */
  private readonly pendingFirst = new Map<string, { name: string; address: string; atMs: number }>();
  private previousIds: ReadonlySet<string> = new Set();
  private lastRenderAt: number | undefined;
  private lastReloadAt: number | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly timeline: Timeline,
    /** The container name for a container ID (falls back to a short ID). */
    private readonly nameOf: (containerId: string) => string | undefined,
  ) {
    this.unsubscribe = timeline.subscribe((event) => this.onEvent(event));
  }

  close(): void {
    this.unsubscribe();
  }

  private onEvent(event: TimelineEvent): void {
    if (event.serviceId && event.containerId && event.kind === 'registered') {
      this.containerOfService.set(event.serviceId, {
        containerId: event.containerId,
        name: this.nameOf(event.containerId) ?? event.containerId.slice(0, 12),
        changedAt: event.at,
      });
      this.awaitingRoute.add(event.containerId);
      if (this.awaitingRoute.size > 5000) {
        const oldest = this.awaitingRoute.values().next().value;
        if (oldest !== undefined) this.settle(oldest);
      }
      if (this.containerOfService.size > 5000) {
        const oldest = this.containerOfService.keys().next().value;
        if (oldest !== undefined) this.containerOfService.delete(oldest);
      }
    }
    if (event.serviceId && event.kind === 'deregistered') {
      const ref = this.containerOfService.get(event.serviceId);
      if (ref) ref.changedAt = event.at;
      if (event.containerId) this.settle(event.containerId);
    }
    if (event.containerId) return;
    if (event.kind === 'template-rendered') this.lastRenderAt = event.at;
    if (event.kind === 'lb-reloaded') this.lastReloadAt = event.at;
  }

  /** Called with every config the template loop made live. */
  onLive(state: LiveState): void {
    const current = state.instanceIds;
    const previous = this.previousIds;
    this.previousIds = new Set(current);
    if (!state.applied) return;
    const renderAt = this.lastRenderAt ?? state.applied.at;
    const reloadAt = Math.max(this.lastReloadAt ?? state.applied.at, renderAt);
    const generation = state.applied.generation;
    this.settleStale(state.applied.at);
    for (const id of current) if (!previous.has(id)) this.step(id, 'into', renderAt, reloadAt, generation);
    for (const id of previous) if (!current.has(id)) this.step(id, 'out of', renderAt, reloadAt, generation);
  }

  private step(
    serviceId: string,
    way: 'into' | 'out of',
    renderAt: number,
    reloadAt: number,
    gen: number,
  ): void {
    const ref = this.containerOfService.get(serviceId);
    if (!ref) return;
    // Consul commits a (de)registration before the registrator reads its answer,
    // so the template loop's blocking query can render it a few ms before the
    // registrator records it. For this container the render counts from its
    // (de)registration, so its chain never runs backwards.
    renderAt = Math.max(renderAt, ref.changedAt);
    reloadAt = Math.max(reloadAt, renderAt);
    // The registrator may not have listed the container yet when it recorded "registered".
    ref.name = this.nameOf(ref.containerId) ?? ref.name;
    this.timeline.record({
      kind: 'template-rendered',
      at: renderAt,
      containerId: ref.containerId,
      serviceId,
      message: `${ref.name} ${way === 'into' ? 'added to' : 'removed from'} the rendered config`,
    });
    this.timeline.record({
      kind: 'lb-reloaded',
      at: reloadAt,
      containerId: ref.containerId,
      serviceId,
      message: `nginx reloaded (generation ${gen}): ${ref.name} ${way === 'into' ? 'routed' : 'no longer routed'}`,
    });
    if (way === 'into') this.reloadedAt.set(ref.containerId, reloadAt);
    else this.reloadedAt.delete(ref.containerId);
    this.settle(ref.containerId);
  }

  /** The first request a container served while registered (once per container; see HitsService). */
  firstRequest(containerId: string, name: string, address: string, atMs: number): void {
    if (!this.reloadedAt.has(containerId) && this.awaitingRoute.has(containerId)) {
      // nginx's new workers serve before the apply that started them returns, so
      // the first request can come before the render and reload steps are known:
      // it goes on the timeline after them.
      this.pendingFirst.set(containerId, { name, address, atMs });
      return;
    }
    this.recordFirst(containerId, name, address, atMs);
  }

  /** The container is routed (or gone): a first request held for it goes on the timeline now. */
  private settle(containerId: string): void {
    this.awaitingRoute.delete(containerId);
    const pending = this.pendingFirst.get(containerId);
    if (!pending) return;
    this.pendingFirst.delete(containerId);
    this.recordFirst(containerId, pending.name, pending.address, pending.atMs);
  }

  /** A request held for a container that no config routed within 10 s is recorded as it was. */
  private settleStale(now: number): void {
    for (const [containerId, pending] of this.pendingFirst) {
      if (now - pending.atMs > 10_000) this.settle(containerId);
    }
  }

  private recordFirst(containerId: string, name: string, address: string, atMs: number): void {
    // Served by a new worker just before the reload was confirmed: it counts from the reload.
    const reloadAt = this.reloadedAt.get(containerId);
    this.timeline.record({
      kind: 'first-request',
      at: reloadAt !== undefined ? Math.max(atMs, reloadAt) : atMs,
      containerId,
      message: `${name} served its first request (${address})`,
    });
  }
}
