/**
 * Registrations of ours that leave Consul without the engine taking them out are not news about the
 * containers: the containers still run. It happens when the agent holding them leaves the cluster
 * gracefully (a client agent stopped with SIGTERM deregisters its node, registrations and all,
 * a moment before it stops answering) or when someone deregisters them by hand. registrator puts
 * them back on its next resync; rendering the gap would empty the upstream meanwhile.
 *
 * So such an instance is kept in the data beside what Consul says (a "ghost" of its last rendered
 * self), and the registrator is asked to resync once per newly missing ID (which puts it back, or
 * finds the agent gone and the engine moves to another). Everything else in the same change goes
 * through at once: new instances, and the ones the engine itself takes out. A ghost goes when its ID
 * is back in Consul's answer, when it is no longer ours to keep (its container went, or is being
 * drained), or when it has been missing for the bound (then the timeline says so).
 *
 * Only instances without a check of their own are guarded: one with a check leaves every passing
 * query when the check fails, which is news to render. The watch asks for passing instances, so
 * one of ours put in maintenance by hand looks the same as one removed: it is kept for the bound.
 */
import type { TimelineInput } from '../timeline.js';

/** Long enough for a leaving agent to stop answering and the engine to move (about 3 s here). */
export const VANISH_HOLD_MS = 15_000;

/** What the engine itself keeps in Consul: IDs it registered and is not taking out. */
export interface OwnRegistrations {
  /** Service IDs registered by this engine, without a check, and not being deregistered. */
  keptIds(): ReadonlySet<string>;
  /** Called whenever that set may have changed. */
  onChange(listener: () => void): () => void;
}

export interface VanishGuardOptions {
  own: OwnRegistrations;
  /** Put them back (the registrator's resync). */
  restore: () => void;
  record: (event: TimelineInput) => void;
  holdMs?: number;
}

interface Ghost {
  item: unknown;
  /** When it first went missing (Date.now()). */
  since: number;
}

interface KeyState {
  ghosts: Map<string, Ghost>;
  /** IDs whose bound passed: not kept again until Consul lists them or they stop being ours. */
  expired: Set<string>;
  /** Recomputes the dependency's data from Consul's latest answer (when a ghost must go). */
  reapply: () => void;
}

export class VanishGuard {
  private readonly keys = new Map<string, KeyState>();
  private readonly unsubscribe: () => void;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: VanishGuardOptions) {
    this.unsubscribe = options.own.onChange(() => this.recheck());
  }

  private get holdMs(): number {
    return this.options.holdMs ?? VANISH_HOLD_MS;
  }

  /**
   * The items to keep beside `next` for dependency `key`: those of ours that `rendered` had and
   * `next` lacks, missing for less than the bound. `reapply` is called when that set must shrink
   * without a new answer from Consul (the bound passed, or an ID stopped being ours).
   */
  keep<T>(
    key: string,
    rendered: readonly T[],
    next: readonly T[],
    idOf: (item: T) => string,
    reapply: () => void,
  ): T[] {
    const kept = this.options.own.keptIds();
    const nextIds = new Set(next.map(idOf));
    const state: KeyState = this.keys.get(key) ?? {
      ghosts: new Map<string, Ghost>(),
      expired: new Set<string>(),
      reapply,
    };
    state.reapply = reapply;
    for (const id of [...state.ghosts.keys()]) if (nextIds.has(id) || !kept.has(id)) state.ghosts.delete(id);
    for (const id of [...state.expired]) if (nextIds.has(id) || !kept.has(id)) state.expired.delete(id);
    const now = Date.now();
    const fresh: string[] = [];
    for (const item of rendered) {
      const id = idOf(item);
      if (!kept.has(id) || nextIds.has(id) || state.ghosts.has(id) || state.expired.has(id)) continue;
      state.ghosts.set(id, { item, since: now });
      fresh.push(id);
    }
    if (state.ghosts.size === 0 && state.expired.size === 0) this.keys.delete(key);
    else this.keys.set(key, state);
    if (fresh.length > 0) {
      const them = fresh.length > 1 ? 'them' : 'it';
      this.options.record({
        kind: 'warning',
        message: `${fresh.join(', ')} left Consul's passing instances without the engine deregistering ${them} (an agent that left the cluster, or removed by hand): registering again; the config keeps ${them} meanwhile`,
      });
      // Asked for every newly missing one: a resync already under way may have read the agent
      // before it went.
      this.options.restore();
    }
    this.schedule();
    return [...state.ghosts.values()].map((ghost) => ghost.item as T);
  }

  /** The dependency is no longer watched. */
  clear(key: string): void {
    this.keys.delete(key);
    this.schedule();
  }

  /** Consul's data is paused or restarted: nothing kept stays meaningful. */
  clearAll(): void {
    this.keys.clear();
    this.schedule();
  }

  stop(): void {
    this.clearAll();
    this.unsubscribe();
  }

  /** The registrator's set changed: a key keeping an ID that is no longer ours recomputes. */
  private recheck(): void {
    const kept = this.options.own.keptIds();
    for (const state of [...this.keys.values()])
      if ([...state.ghosts.keys()].some((id) => !kept.has(id))) state.reapply();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    let earliest = Infinity;
    for (const state of this.keys.values())
      for (const ghost of state.ghosts.values()) earliest = Math.min(earliest, ghost.since);
    if (earliest === Infinity) return;
    this.timer = setTimeout(() => this.expire(), Math.max(0, earliest + this.holdMs - Date.now()));
  }

  private expire(): void {
    this.timer = undefined;
    const now = Date.now();
    for (const state of [...this.keys.values()]) {
      const due = [...state.ghosts].filter(([, ghost]) => now - ghost.since >= this.holdMs).map(([id]) => id);
      if (due.length === 0) continue;
      for (const id of due) {
        state.ghosts.delete(id);
        state.expired.add(id);
      }
      this.options.record({
        kind: 'warning',
        message: `${due.join(', ')} still missing from Consul ${this.holdMs / 1000} s after leaving it; the config follows Consul as it is`,
      });
      state.reapply();
    }
    this.schedule();
  }
}
