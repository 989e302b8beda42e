/**
 * Scaling Compose services: one draining scaler per `<project>/<service>`, made the first time
 * that service is scaled (and only once it has a running replica, so that requests for services
 * that do not exist leave nothing behind). The engine keeps no count of its own for them: Compose
 * does, and replicas Compose starts or stops later are not faults to repair.
 */
import { Emitter, composeScaleTarget } from '../../../contract/index.js';
import { UserError } from '../errors.js';
import type { LbController } from '../lb/lb-controller.js';
import type { Registrator } from '../registrator/registrator.js';
import type { TemplateLoop } from '../render/template-loop.js';
import { Scaler, type ScaleProgress, type ScaleResult, type ScalerOptions } from '../scaler.js';
import type { Timeline } from '../timeline.js';
import type Dockerode from 'dockerode';
import { ComposeReplicas } from './compose-replicas.js';

/** How many started containers are remembered until they register (more only if they never do). */
const MAX_HELD = 256;

export interface ComposeScalingParts {
  docker: Dockerode;
  registrator: Registrator;
  loop: TemplateLoop;
  lb: LbController;
  timeline: Timeline;
}

interface ScaledService {
  replicas: ComposeReplicas;
  scaler: Scaler;
  /** Requests for it in flight, and whether one got past the checks (then it is kept, to show its progress). */
  pending: number;
  kept: boolean;
}

export class ComposeScaling {
  private readonly services = new Map<string, ScaledService>();
  private readonly progressed = new Emitter<void>();
  /** Containers the engine started for a Compose service, whose registration waits until they listen. */
  private readonly held = new Set<string>();

  constructor(
    private readonly parts: ComposeScalingParts,
    private readonly options: Omit<ScalerOptions, 'hold' | 'minInstances'> = {},
  ) {}

  /**
   * Scales `<project>/<service>` to `count` running replicas. Refused, with nothing changed, when
   * no replica runs or when new ones would be needed and the running one cannot be copied.
   */
  async scale(target: string, count: number): Promise<ScaleResult> {
    const named = composeScaleTarget(target);
    if (!named)
      throw new UserError(`${target} is not a Compose service (<project>/<service>).`, 'bad-request');
    // Registered at once, so that two requests for one service share one scaler (the newer takes over).
    let entry = this.services.get(target);
    if (!entry) {
      entry = this.serviceFor(named.project, named.service);
      this.services.set(target, entry);
    }
    entry.pending++;
    try {
      if (!entry.scaler.progress().busy) {
        const refusal = await entry.replicas.refusal(count, await entry.scaler.active());
        if (refusal) throw new UserError(`${refusal} Nothing was changed.`, 'not-scalable');
      }
      entry.kept = true;
      return await entry.scaler.scale(target, count);
    } finally {
      entry.pending--;
      // A service that was only ever refused (one that does not run, say) leaves nothing behind.
      if (entry.pending === 0 && !entry.kept) this.services.delete(target);
    }
  }

  /** Each scaled service's progress, by target. */
  progress(): Record<string, ScaleProgress> {
    return Object.fromEntries([...this.services].map(([target, { scaler }]) => [target, scaler.progress()]));
  }

  onProgress(listener: () => void): () => void {
    return this.progressed.on(listener);
  }

  /** True once for a container the engine started, so that its registration waits until it listens. */
  takeHold(containerId: string): boolean {
    return this.held.delete(containerId);
  }

  /** Waits for every scale in progress (used on shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.services.values()].map(({ scaler }) => scaler.idle().catch(() => undefined)));
  }

  private serviceFor(project: string, service: string): ScaledService {
    const { docker, registrator, loop, lb, timeline } = this.parts;
    const replicas = new ComposeReplicas(docker, project, service);
    const scaler = new Scaler(replicas, registrator, loop, lb, timeline, {
      ...this.options,
      minInstances: 1,
      hold: (containerId) => this.hold(containerId),
    });
    scaler.onProgress(() => this.progressed.emit());
    return { replicas, scaler, pending: 0, kept: false };
  }

  private hold(containerId: string): void {
    this.held.add(containerId);
    // Bounded: one that never registered (it died at once) is forgotten eventually.
    for (const oldest of this.held) {
      if (this.held.size <= MAX_HELD) break;
      this.held.delete(oldest);
    }
  }
}
