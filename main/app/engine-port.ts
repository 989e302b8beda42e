/**
 * What the desktop shell needs from the engine, kept apart from the Engine class
 * so that the tray, the IPC layer and their tests depend on this port only.
 */
import type {
  EngineStatus,
  HitsSnapshot,
  ScaleRequest,
  ScaleResponse,
  TemplateView,
  TimelineEvent,
  TrafficRequest,
  TrafficStatus,
} from '../../preload/api.js';
import { UserError } from '../engine/errors.js';

/**
 * The engine as the app drives it: today's Engine satisfies this structurally.
 * The hits and traffic methods are optional: the app uses them once the engine
 * has them and answers "not available yet" until then.
 */
export interface EngineLike {
  start(): Promise<void>;
  stop(options?: { down?: boolean }): Promise<void>;
  status(): EngineStatus;
  scale(service: unknown, count: unknown): Promise<ScaleResponse>;
  onChange(listener: () => void): () => void;
  setTemplate(source: string): void;
  templateSource(): string;
  readonly timeline: { list(afterSeq?: number): TimelineEvent[] };
  hits?(): HitsSnapshot;
  traffic?(): TrafficStatus;
  startTraffic?(request: TrafficRequest): TrafficStatus | Promise<TrafficStatus>;
  stopTraffic?(): TrafficStatus | Promise<TrafficStatus>;
}

/** Where the demo is in its life, as the app sees it (the engine alone cannot say "failed to start"). */
export type DemoPhase = 'stopped' | 'starting' | 'ready' | 'stopping' | 'failed';

/** Everything the tray needs to draw itself, in one value. */
export interface AppView {
  phase: DemoPhase;
  status: EngineStatus;
  /** Why the last start failed, while the phase is `failed`. */
  startError?: string;
  /** The traffic generator's state; undefined while the engine has no traffic generator. */
  traffic?: TrafficStatus;
  /** Whether quitting also removes the demo stack (a user setting). */
  stopDemoOnQuit: boolean;
}

/** The one API the tray, the IPC handlers and the event batcher use. */
export interface AppEngine {
  view(): AppView;
  onChange(listener: () => void): () => void;
  startDemo(): Promise<EngineStatus>;
  stopDemo(): Promise<EngineStatus>;
  scale(request: ScaleRequest): Promise<ScaleResponse>;
  timeline(afterSeq: number): TimelineEvent[];
  template(): TemplateView;
  setTemplate(source: string): EngineStatus;
  /** Throws NotAvailableError while the engine has no hit counting. */
  hits(): HitsSnapshot;
  hitsAvailable(): boolean;
  traffic(): TrafficStatus;
  startTraffic(request: TrafficRequest): Promise<TrafficStatus>;
  stopTraffic(): Promise<TrafficStatus>;
  /** Stops the engine for good (on quit); `down` also removes the demo stack. */
  shutdown(options: { down: boolean }): Promise<void>;
}

export class NotAvailableError extends UserError {
  constructor(what: string) {
    super(`${what} is not available yet in this version of the engine.`, 'not-available');
  }
}
