/**
 * The app's side of the engine: starts and stops the demo, remembers why a
 * start failed, and adapts the Engine to the AppEngine port the tray and IPC use.
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
import { UserError, errorMessage } from '../engine/errors.js';
import {
  NotAvailableError,
  type AppEngine,
  type AppView,
  type DemoPhase,
  type EngineLike,
} from './engine-port.js';

export interface DemoControllerOptions {
  /** Read on every view, so that the tray shows the current setting. */
  stopDemoOnQuit?: () => boolean;
  /** Runs before every start; a throw fails the start with its message (e.g. another engine runs). */
  beforeStart?: () => Promise<void>;
}

export class DemoController implements AppEngine {
  private phase: DemoPhase = 'stopped';
  private startError: string | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly engine: EngineLike,
    private readonly options: DemoControllerOptions = {},
  ) {
    engine.onChange(() => this.emit());
  }

  view(): AppView {
    const traffic = this.engine.traffic ? this.engine.traffic() : undefined;
    return {
      phase: this.phase,
      status: this.status(),
      ...(this.startError !== undefined ? { startError: this.startError } : {}),
      ...(traffic ? { traffic } : {}),
      stopDemoOnQuit: this.options.stopDemoOnQuit?.() ?? false,
    };
  }

  /** The engine's status, with the app's phase where the engine cannot know it. */
  private status(): EngineStatus {
    const status = this.engine.status();
    switch (this.phase) {
      case 'ready':
        return status;
      case 'starting':
      case 'stopping':
        return { ...status, state: this.phase };
      case 'stopped':
        return { ...status, state: 'stopped' };
      case 'failed':
        return {
          ...status,
          state: 'stopped',
          warnings: [
            { container: '', message: `The demo did not start: ${this.startError}` },
            ...status.warnings,
          ],
        };
    }
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts the demo (or adopts a running stack); a failure is kept and shown, and thrown. */
  async startDemo(): Promise<EngineStatus> {
    if (this.stopping) await this.stopping;
    if (this.phase === 'ready') return this.status();
    this.starting ??= this.runStart().finally(() => (this.starting = undefined));
    await this.starting;
    if (this.phase === 'failed')
      throw new UserError(`The demo did not start: ${this.startError}`, 'start-failed');
    return this.status();
  }

  private async runStart(): Promise<void> {
    this.setPhase('starting');
    this.startError = undefined;
    try {
      await this.options.beforeStart?.();
      await this.engine.start();
      this.setPhase('ready');
    } catch (error) {
      this.startError = errorMessage(error);
      await this.engine.stop().catch(() => undefined);
      this.setPhase('failed');
    }
  }

  /** Stops the engine and removes the demo stack. */
  async stopDemo(): Promise<EngineStatus> {
    await this.stopEngine(true);
    return this.status();
  }

  async shutdown({ down }: { down: boolean }): Promise<void> {
    await this.stopEngine(down);
  }

  /** The engine already removed the stack (e.g. `discovery-tray down`): just stop following it. */
  async stopAfterDown(): Promise<void> {
    await this.stopEngine(false);
  }

  private async stopEngine(down: boolean): Promise<void> {
    // A start in progress finishes first: the engine cannot be stopped halfway through creating the stack.
    if (this.starting) await this.starting;
    if (this.phase !== 'ready') return this.stopping;
    this.stopping ??= (async () => {
      this.setPhase('stopping');
      try {
        await this.engine.stop({ down });
      } finally {
        this.setPhase('stopped');
        this.stopping = undefined;
      }
    })();
    return this.stopping;
  }

  private ready(): void {
    if (this.phase !== 'ready')
      throw new UserError('The demo is not running. Start it first (tray menu: Start demo).', 'not-ready');
  }

  async scale(request: ScaleRequest): Promise<ScaleResponse> {
    this.ready();
    return this.engine.scale(request.service, request.count);
  }

  timeline(afterSeq: number): TimelineEvent[] {
    return this.engine.timeline.list(afterSeq);
  }

  template(): TemplateView {
    this.ready();
    return { name: this.engine.status().template.name, source: this.engine.templateSource() };
  }

  setTemplate(source: string): EngineStatus {
    this.ready();
    this.engine.setTemplate(source);
    return this.status();
  }

  hitsAvailable(): boolean {
    return typeof this.engine.hits === 'function';
  }

  hits(): HitsSnapshot {
    if (!this.engine.hits) throw new NotAvailableError('Hit counting');
    return this.engine.hits();
  }

  traffic(): TrafficStatus {
    if (!this.engine.traffic) throw new NotAvailableError('The traffic generator');
    return this.engine.traffic();
  }

  async startTraffic(request: TrafficRequest): Promise<TrafficStatus> {
    if (!this.engine.startTraffic) throw new NotAvailableError('The traffic generator');
    this.ready();
    const status = await this.engine.startTraffic(request);
    this.emit();
    return status;
  }

  async stopTraffic(): Promise<TrafficStatus> {
    if (!this.engine.stopTraffic) throw new NotAvailableError('The traffic generator');
    const status = await this.engine.stopTraffic();
    this.emit();
    return status;
  }

  private setPhase(phase: DemoPhase): void {
    this.phase = phase;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
