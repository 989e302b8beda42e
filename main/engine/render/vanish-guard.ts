/**
 * Registrations of ours that leave Consul without the engine taking them out are not news about the
 * containers: the containers still run. It happens when the agent holding them leaves the cluster
 * gracefully (a client agent stopped with SIGTERM deregisters its node, registrations and all,
 * a moment before it stops answering) or when someone deregisters them by hand. registrator puts
 * them back on its next resync; rendering the gap would empty the upstream meanwhile. So a change
 * that drops such an instance is held: the last data stays, the registrator is asked to resync
 * (which puts them back, or finds the agent gone and moves to another), and the change is taken as
 * soon as the instances are back, are no longer ours to keep (their container went, or is being
 * drained), or the bound passes (then it is taken as it is, and the timeline says so).
 *
 * Only instances without a check of their own are guarded: one with a check leaves every passing
 * query when the check fails, which is news to render.
 */
import type { ServiceInstance } from '../template/index.js';
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

interface Held {
  /** IDs that were rendered and are missing from the held change. */
  vanished: string[];
  release: () => void;
  timer: NodeJS.Timeout;
}

export class VanishGuard {
  private readonly held = new Map<string, Held>();
  private readonly unsubscribe: () => void;

  constructor(private readonly options: VanishGuardOptions) {
    this.unsubscribe = options.own.onChange(() => this.recheck());
  }

  /** The instances of ours that `rendered` has and `next` lacks, without our doing. */
  vanished(rendered: readonly ServiceInstance[], next: readonly ServiceInstance[]): string[] {
    const kept = this.options.own.keptIds();
    if (kept.size === 0) return [];
    const nextIds = new Set(next.map((i) => i.ID));
    return [...new Set(rendered.map((i) => i.ID))].filter((id) => kept.has(id) && !nextIds.has(id));
  }

  /**
   * Holds the change of dependency `key` that dropped `vanished`; `release` applies it (at once
   * when they are no longer ours to keep, or at the bound). A newer change of the same key replaces
   * the held one (the caller checks it again first).
   */
  hold(key: string, vanished: string[], release: () => void): void {
    const previous = this.held.get(key);
    if (previous) clearTimeout(previous.timer);
    const timer = setTimeout(() => this.expire(key), this.options.holdMs ?? VANISH_HOLD_MS);
    this.held.set(key, { vanished, release, timer });
    // Asked again for every newly missing one: a resync already under way may have read the agent
    // before it went.
    const fresh = vanished.filter((id) => !previous?.vanished.includes(id));
    if (fresh.length === 0) return;
    this.options.record({
      kind: 'warning',
      message: `${fresh.join(', ')} left Consul without the engine deregistering ${fresh.length > 1 ? 'them' : 'it'} (an agent that left the cluster, or removed by hand): registering again; the config keeps ${fresh.length > 1 ? 'them' : 'it'} meanwhile`,
    });
    this.options.restore();
  }

  /** A change of `key` that drops nothing of ours: whatever was held for it is superseded. */
  clear(key: string): void {
    const held = this.held.get(key);
    if (!held) return;
    clearTimeout(held.timer);
    this.held.delete(key);
  }

  /** Consul's data is paused or restarted: nothing held stays meaningful. */
  clearAll(): void {
    for (const key of [...this.held.keys()]) this.clear(key);
  }

  stop(): void {
    this.clearAll();
    this.unsubscribe();
  }

  private recheck(): void {
    const kept = this.options.own.keptIds();
    for (const [key, held] of [...this.held]) {
      if (held.vanished.some((id) => kept.has(id))) continue;
      this.clear(key);
      held.release();
    }
  }

  private expire(key: string): void {
    const held = this.held.get(key);
    if (!held) return;
    this.held.delete(key);
    this.options.record({
      kind: 'warning',
      message: `${held.vanished.join(', ')} still missing from Consul ${(this.options.holdMs ?? VANISH_HOLD_MS) / 1000} s after leaving it; the config follows Consul as it is`,
    });
    held.release();
  }
}
