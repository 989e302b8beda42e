/**
 * An instance goes into the config only once the LB can reach it. Before a
 * render, every instance the template would use that has not been checked
 * yet is placed (the LB joins its network, lb-networks.ts) and probed from
 * the LB's side (lb-probe.ts); the render leaves out what did not answer. An
 * instance that did not answer is probed again with a growing delay (from
 * 100 ms, for a container still opening its port, to every 15 s), and the
 * loop renders again when one answers. One that still does not answer after
 * a short grace is reported: `unreachable()`, with the reason, and on the
 * timeline. What once answered is not probed again until its registration
 * changes or the LB container is replaced.
 */
import { errorMessage } from '../errors.js';
import type { Timeline } from '../timeline.js';
import { firstReached, type EarlyProbes } from './early-probes.js';
import { isProbeable, targetKey, type ProbeResults } from './lb-probe.js';

/** One instance the template would render. */
export interface ReachTarget {
  /** Consul service ID. */
  id: string;
  service: string;
  address: string;
  port: number;
}

export interface UnreachableInstance {
  serviceId: string;
  service: string;
  /** address:port, as registered. */
  address: string;
  reason: string;
  /** Epoch ms of the first probe that failed. */
  since: number;
}

export interface ReachabilityDeps {
  /** Probes `address:port` targets from the LB's side (LbController.probe). */
  probe(targets: readonly string[]): Promise<ProbeResults>;
  /** Puts the LB on the addresses' networks; for each address it could not place, why (LbNetworks.sync). */
  place(addresses: readonly string[]): Promise<Map<string, string>>;
  /** The LB container's ID: a new LB container is on none of the joined networks, so all is checked again. */
  lbId(): string;
  timeline: Timeline;
  /** A re-probe changed what may be rendered. */
  changed(): void;
  /** Probes sent as soon as a container listened (early-probes.ts): used instead of a probe of one's own. */
  early?: EarlyProbes;
}

export interface ReachabilityOptions {
  /** Delays between the probes of an instance that does not answer; the last one repeats. */
  retryDelaysMs?: readonly number[];
  /** How long an instance may not answer before it is reported (a new container opening its port is not news). */
  graceMs?: number;
}

export const DEFAULT_RETRY_DELAYS_MS = [100, 200, 400, 800, 1600, 3200, 6400, 15_000] as const;
export const DEFAULT_GRACE_MS = 2000;

interface State {
  target: ReachTarget;
  reachable: boolean;
  reason?: string;
  failures: number;
  firstFailedAt?: number;
  nextProbeAt: number;
  reported: boolean;
}

export class Reachability {
  private readonly states = new Map<string, State>();
  private lb: string | undefined;
  private placedFor = '';
  private placement = new Map<string, string>();
  private current: readonly ReachTarget[] = [];
  private timer: NodeJS.Timeout | undefined;
  private retrying = false;
  private stopped = false;

  constructor(
    private readonly deps: ReachabilityDeps,
    private readonly options: ReachabilityOptions = {},
  ) {}

  /**
   * Checks what is new among `targets` (at most about a second: the probe's connect timeout)
   * and answers with the service IDs the render must leave out.
   */
  async gate(targets: readonly ReachTarget[]): Promise<Set<string>> {
    this.current = targets;
    const lb = this.deps.lbId();
    if (lb !== this.lb) {
      this.lb = lb;
      this.states.clear();
      this.placedFor = '';
    }
    const wanted = new Map(targets.map((t) => [stateKey(t), t]));
    for (const key of [...this.states.keys()]) if (!wanted.has(key)) this.states.delete(key);
    const fresh = [...wanted].filter(([key]) => !this.states.has(key));
    if (fresh.length > 0) {
      await this.place();
      const states = fresh.map(([key, target]): [string, State] => [
        key,
        // Not due for a retry while this first probe runs.
        { target, reachable: false, failures: 0, nextProbeAt: Infinity, reported: false },
      ]);
      for (const [key, state] of states) this.states.set(key, state);
      await this.probe(states.map(([, s]) => s));
    } else {
      // A backend that went may leave a network behind.
      await this.place();
    }
    this.schedule();
    return new Set([...this.states.values()].filter((s) => !s.reachable).map((s) => s.target.id));
  }

  /** Instances that have not answered for longer than the grace, with why. */
  unreachable(): UnreachableInstance[] {
    return [...this.states.values()]
      .filter((s) => !s.reachable && s.reported)
      .map((s) => ({
        serviceId: s.target.id,
        service: s.target.service,
        address: targetKey(s.target),
        reason: s.reason ?? 'not reached yet',
        since: s.firstFailedAt ?? Date.now(),
      }));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Places the LB for the current addresses when they changed; a failure to look is a reason, not a crash. */
  private async place(): Promise<void> {
    const addresses = [...new Set(this.current.map((t) => t.address))].sort();
    const key = addresses.join(' ');
    if (key === this.placedFor) return;
    try {
      this.placement = await this.deps.place(addresses);
      this.placedFor = key;
    } catch (error) {
      const why = `could not look at the Docker networks: ${errorMessage(error)}`;
      this.placement = new Map(addresses.map((a) => [a, why]));
    }
  }

  private async probe(states: readonly State[]): Promise<boolean> {
    const keys = [...new Set(states.filter((s) => isProbeable(s.target)).map((s) => targetKey(s.target)))];
    const results = await this.probeKeys(keys);
    let changed = false;
    const now = Date.now();
    for (const state of states) {
      const key = targetKey(state.target);
      const failure = isProbeable(state.target)
        ? results.has(key)
          ? results.get(key)
          : 'not probed'
        : 'the address cannot be probed (not an IP address or host name)';
      this.deps.timeline.mark(failure === undefined ? 'probe-ok' : 'probe-failed', key);
      if (failure === undefined) {
        if (!state.reachable) changed = true;
        if (state.reported)
          this.deps.timeline.record({
            kind: 'reachable',
            message: `service ${JSON.stringify(state.target.service)} instance ${JSON.stringify(state.target.id)} (${key}) answers the LB now: it goes into the config`,
            serviceId: state.target.id,
          });
        state.reachable = true;
        state.reported = false;
        state.failures = 0;
        delete state.firstFailedAt;
        delete state.reason;
        continue;
      }
      if (state.reachable) changed = true;
      state.reachable = false;
      state.failures++;
      state.firstFailedAt ??= now;
      const placement = this.placement.get(state.target.address);
      state.reason = `the LB cannot connect to ${key}: ${failure}${placement ? `; ${placement}` : ''}`;
      state.nextProbeAt = now + this.retryDelay(state.failures);
      if (!state.reported && now - state.firstFailedAt >= (this.options.graceMs ?? DEFAULT_GRACE_MS)) {
        state.reported = true;
        changed = true;
        this.deps.timeline.record({
          kind: 'unreachable',
          message: `service ${JSON.stringify(state.target.service)} instance ${JSON.stringify(state.target.id)} is left out of the config: ${state.reason}`,
          serviceId: state.target.id,
        });
      }
    }
    return changed;
  }

  /** Each key's verdict: from an early probe that reached it, else from a probe sent now (raced with one still out). */
  private async probeKeys(keys: readonly string[]): Promise<ProbeResults> {
    const results: ProbeResults = new Map();
    const pending = new Map<string, Promise<string | undefined>>();
    const needed: string[] = [];
    for (const key of keys) {
      const early = this.deps.early?.take(key);
      if (early && 'reached' in early) results.set(key, undefined);
      else {
        needed.push(key);
        if (early) pending.set(key, early.pending);
      }
    }
    if (needed.length === 0) return results;
    this.deps.timeline.mark('probe-sent', needed.join(','));
    const own = this.deps
      .probe(needed)
      .catch(
        (error: unknown): ProbeResults =>
          new Map(needed.map((k) => [k, `the probe failed: ${errorMessage(error)}`])),
      );
    const verdicts = await Promise.all(
      needed.map((key) => {
        const fromOwn = own.then((r) => (r.has(key) ? r.get(key) : 'not probed'));
        const early = pending.get(key);
        return early ? firstReached(early, fromOwn) : fromOwn;
      }),
    );
    needed.forEach((key, i) => results.set(key, verdicts[i]));
    return results;
  }

  private retryDelay(failures: number): number {
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    return delays[Math.min(failures, delays.length) - 1] ?? 1000;
  }

  /** One timer for every instance that waits for its next probe: all that are due go in one probe. */
  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopped || this.retrying) return;
    const waiting = [...this.states.values()].filter((s) => !s.reachable);
    if (waiting.length === 0) return;
    const next = Math.min(...waiting.map((s) => s.nextProbeAt));
    // Only instances whose first probe is still out (nextProbeAt Infinity): their gate() schedules
    // when it ends. Node clamps a timer of Infinity to 1 ms, and the empty retries it started spun
    // a core for as long as the probe took (each render of a scale-up to N has such a probe).
    if (!Number.isFinite(next)) return;
    this.timer = setTimeout(() => void this.retry(), Math.max(0, next - Date.now()));
    this.timer.unref();
  }

  private async retry(): Promise<void> {
    if (this.stopped || this.lb !== this.deps.lbId()) return;
    this.retrying = true;
    let changed = false;
    try {
      const now = Date.now();
      const due = [...this.states.values()].filter((s) => !s.reachable && s.nextProbeAt <= now);
      // An address that could not be placed may be placeable now (a network came back).
      if (due.some((s) => this.placement.has(s.target.address))) {
        this.placedFor = '';
        await this.place();
      }
      changed = await this.probe(due);
    } finally {
      this.retrying = false;
    }
    if (this.stopped) return;
    if (changed) this.deps.changed();
    this.schedule();
  }
}

/** An instance is checked again when its registration points somewhere else. */
function stateKey(target: ReachTarget): string {
  return `${target.id}|${targetKey(target)}`;
}
