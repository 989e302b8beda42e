/**
 * The application service behind the contract: one handler per operation of the table
 * (contract/operations.ts), the demo's phase (stopped → starting → ready → stopping, or failed),
 * and what each operation means, the same whichever front end asked. The Electron shell, the
 * control API (CLI and browser) and the tests all drive the engine through this class.
 */
import {
  Emitter,
  composeScaleTarget,
  type EngineStatus,
  type Handlers,
  type HitsSnapshot,
  type ImageProgress,
  type OperationName,
  type ParsedRequestOf,
  type RequestOf,
  type ResultOf,
  type ScaleResponse,
  type ServiceView,
  type PortOffer,
  type Settings,
  type TemplateHistoryView,
  type TemplateVersionTextView,
  type TemplateView,
  type TimelineEvent,
  type TopicName,
  type TrafficStatus,
} from '../../contract/index.js';
import type { Engine } from '../engine/engine.js';
import { UserError, errorMessage } from '../engine/errors.js';
import { invoke } from './dispatch.js';
import { externalUrl } from './external-links.js';
import type { PushFeeds } from './push-hub.js';
import type { SettingsApplier } from './settings-apply.js';
import { SettingsStore } from './settings-store.js';
import { PortInUseError } from '../engine/stack/port-check.js';
import { TemplateChoice } from './template-choice.js';

/** What the service needs of the engine: the Engine class's own shape, so a test can stand in for it. */
export type EngineRuntime = Pick<
  Engine,
  | 'start'
  | 'stop'
  | 'removeStack'
  | 'status'
  | 'parts'
  | 'timeline'
  | 'traffic'
  | 'changed'
  | 'hitsChanged'
  | 'images'
>;

/** Where the demo is in its life (the engine alone cannot say "failed to start"). */
export type DemoPhase = 'stopped' | 'starting' | 'ready' | 'stopping' | 'failed';

/** What the process around the service does for it (the tray app and `discovery-tray up` differ). */
export interface ServiceHost {
  /** Runs before every start; a throw fails the start with its message (e.g. another engine runs). */
  beforeStart?: () => Promise<void>;
  /** Opens a URL in the system browser; without it openExternal is not available. */
  openUrl?: (url: string) => Promise<void>;
  /** `down` removed the stack: a terminal engine exits, the tray app stays. */
  onDown?: () => void;
  /** `shutdown` was asked: the process ends (the stack keeps running). */
  onShutdown?: () => void;
  /** Where the settings are kept (the app and `up`: the state folder); default: in memory. */
  settings?: SettingsStore;
  /** Builds the engine from the settings before each start, and restarts it when they change. */
  settingsApplier?: Pick<SettingsApplier, 'beforeStart' | 'check' | 'apply'>;
  /** Which template starts and where edits are kept (the app and `up`: the state folder); default: in memory. */
  templates?: TemplateChoice;
}

/** Everything the tray draws from, in one value. */
export interface DemoView {
  phase: DemoPhase;
  status: EngineStatus;
  /** Why the last start failed, while the phase is `failed`. */
  startError?: string;
  traffic: TrafficStatus;
  settings: Settings;
}

const EMPTY_HITS = (): HitsSnapshot => ({ at: Date.now(), source: 'web-logs', backends: [], recent: [] });

export class DiscoveryService implements Handlers {
  /** The phase or anything in the engine's status changed. */
  readonly changed = new Emitter<void>();
  private phase: DemoPhase = 'stopped';
  private startError: string | undefined;
  /** The port that was taken when the last start failed on it, and the free one to offer. */
  private startPortOffer: PortOffer | undefined;
  private starting: Promise<UserError | undefined> | undefined;
  private stopping: Promise<void> | undefined;
  private dashboardUrl: string | undefined;
  private readonly settings: SettingsStore;
  private readonly templates: TemplateChoice;

  constructor(
    private readonly engine: EngineRuntime,
    private readonly host: ServiceHost = {},
  ) {
    engine.changed.on(() => this.changed.emit());
    this.settings = host.settings ?? new SettingsStore();
    // The tray draws the language from the view: a saved change (or a load's warning) redraws it.
    this.settings.changed.on(() => this.changed.emit());
    void this.settings.load();
    this.templates = host.templates ?? new TemplateChoice();
    this.templates.store.changed.on(() => this.changed.emit());
    void this.templates.store.load();
  }

  /** Validates and runs an operation, for callers inside the process (tray, tests); throws on error. */
  call<K extends OperationName>(
    name: K,
    ...request: RequestOf<K> extends undefined ? [] : [RequestOf<K>]
  ): Promise<ResultOf<K>> {
    return invoke(this, name, ...request);
  }

  /** Where a browser finds the dashboard (set by the control server once it listens). */
  setDashboardUrl(url: string | undefined): void {
    this.dashboardUrl = url;
    this.changed.emit();
  }

  view(): DemoView {
    return {
      phase: this.phase,
      status: this.getStatus(),
      ...(this.startError !== undefined ? { startError: this.startError } : {}),
      traffic: this.engine.traffic.status(),
      settings: this.settings.get(),
    };
  }

  /** What the push hub sends, and when. */
  feeds(): PushFeeds {
    const { engine } = this;
    return {
      status: () => this.getStatus(),
      hits: () => this.getHits(),
      traffic: () => this.getTraffic(),
      settings: () => this.settings.get(),
      progress: () => this.getProgress(),
      timelineAfter: (afterSeq) => engine.timeline.list(afterSeq),
      latestSeq: () => engine.timeline.latestSeq,
      onChange: (listener: (topic: TopicName) => void) => {
        const off = [
          this.changed.on(() => listener('status')),
          engine.hitsChanged.on(() => listener('hits')),
          engine.traffic.onChange(() => listener('traffic')),
          engine.timeline.subscribe(() => listener('timeline')),
          this.settings.changed.on(() => listener('settings')),
          engine.images.changed.on(() => listener('progress')),
        ];
        return () => off.forEach((unsubscribe) => unsubscribe());
      },
    };
  }

  // ---- the operations of the contract, one method each ----

  /** The engine's status, with the phase where the engine cannot know it. */
  getStatus(): EngineStatus {
    const engineStatus = this.engine.status();
    const settingsWarning = this.settings.warning;
    const templatesWarning = this.templates.warning;
    const status = {
      ...engineStatus,
      liveTemplate: this.templates.liveView(),
      ...(this.dashboardUrl ? { dashboard: { url: this.dashboardUrl } } : {}),
      ...(settingsWarning
        ? { warnings: [...engineStatus.warnings, { container: '', message: settingsWarning }] }
        : {}),
    };
    if (templatesWarning)
      status.warnings = [...status.warnings, { container: '', message: templatesWarning }];
    for (const message of this.engine.parts?.loop.status().renderWarnings ?? [])
      status.warnings = [...status.warnings, { container: '', message }];
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
          ...(this.startPortOffer ? { portInUse: this.startPortOffer } : {}),
          state: 'stopped',
          warnings: [
            { container: '', message: `The demo did not start: ${this.startError}` },
            ...status.warnings,
          ],
        };
    }
  }

  getServices(): ServiceView[] {
    return this.getStatus().services;
  }

  /** The demo's web, or a Compose service (`<project>/<service>`), each by its own draining scaler. */
  async scale(request: ParsedRequestOf<'scale'>): Promise<ScaleResponse> {
    const parts = this.running();
    if (composeScaleTarget(request.service)) return parts.compose.scale(request.service, request.count);
    return parts.scaler.scale(request.service, request.count, request.host);
  }

  /** The images the last start pulled or built, with how far each got. */
  getProgress(): ImageProgress[] {
    return this.engine.images.list();
  }

  getHits(): HitsSnapshot {
    return this.engine.parts?.hits?.snapshot() ?? EMPTY_HITS();
  }

  getTraffic(): TrafficStatus {
    return this.engine.traffic.status();
  }

  startTraffic(request: ParsedRequestOf<'startTraffic'>): TrafficStatus {
    this.running();
    return this.engine.traffic.start(request);
  }

  stopTraffic(): TrafficStatus {
    return this.engine.traffic.stop();
  }

  getTimeline(request: ParsedRequestOf<'getTimeline'>): TimelineEvent[] {
    return this.engine.timeline.list(request?.after ?? 0);
  }

  getTemplate(): TemplateView {
    const { loop } = this.running();
    return { name: loop.status().templateName, source: loop.templateSource };
  }

  /** Replaces the template; a syntax error is refused and nothing changes. The render follows in the background. */
  async setTemplate(request: ParsedRequestOf<'setTemplate'>): Promise<EngineStatus> {
    const { loop } = this.running();
    // Kept in the state folder too: the next start renders the same.
    await this.templates.edited(request.source, loop);
    return this.getStatus();
  }

  /** The built-ins, the kept versions and which one is live (works while stopped too). */
  getTemplateHistory(): Promise<TemplateHistoryView> {
    return this.templates.history();
  }

  /** A kept version's text (works while stopped too). */
  getTemplateVersion(request: ParsedRequestOf<'getTemplateVersion'>): Promise<TemplateVersionTextView> {
    return this.templates.versionText(request.id);
  }

  /** A built-in, now if the demo runs, and on every next start. */
  async selectTemplate(request: ParsedRequestOf<'selectTemplate'>): Promise<TemplateHistoryView> {
    await this.templates.select(request.name, this.runningLoop());
    return this.templates.history();
  }

  async restoreTemplate(request: ParsedRequestOf<'restoreTemplate'>): Promise<TemplateHistoryView> {
    await this.templates.restore(request.id, this.runningLoop());
    return this.templates.history();
  }

  /** Starts the engine and brings the stack up (or adopts it); a failure is kept, shown and thrown. */
  async startDemo(): Promise<EngineStatus> {
    if (this.stopping) await this.stopping;
    if (this.phase === 'ready') return this.getStatus();
    this.starting ??= this.runStart().finally(() => (this.starting = undefined));
    const failure = await this.starting;
    if (failure) throw failure;
    return this.getStatus();
  }

  /** Deregisters and removes the demo stack; the engine waits for the next startDemo. */
  async stopDemo(): Promise<EngineStatus> {
    this.engine.traffic.stop();
    await this.stopEngine({ down: true });
    return this.getStatus();
  }

  getSettings(): Promise<Settings> {
    return this.settings.load();
  }

  /** Saves a patch of the settings; every front end gets the change (the settings topic, the tray). */
  async updateSettings(request: ParsedRequestOf<'updateSettings'>): Promise<Settings> {
    // A port that is taken is refused before anything is saved; what changes the engine restarts it.
    await this.host.settingsApplier?.check(request);
    const saved = await this.settings.update(request);
    await this.host.settingsApplier?.apply(this);
    return saved;
  }

  async openExternal(request: ParsedRequestOf<'openExternal'>): Promise<null> {
    if (!this.host.openUrl)
      throw new UserError('Opening a browser is up to the dashboard here.', 'not-available');
    await this.host.openUrl(externalUrl(this.getStatus(), request.target));
    return null;
  }

  /** Removes the stack; the host decides what the process does next. */
  async down(): Promise<{ removed: number }> {
    if (this.starting) await this.starting;
    const removed = await this.engine.removeStack();
    await this.stopEngine({ down: false });
    setImmediate(() => this.host.onDown?.());
    return { removed };
  }

  shutdown(): { stopping: true } {
    setImmediate(() => this.host.onShutdown?.());
    return { stopping: true };
  }

  // ---- lifecycle the hosts use directly ----

  /** Stops the engine for good (quit, Ctrl-C); `down` also removes the demo stack. */
  async stopEngine({ down }: { down: boolean }): Promise<void> {
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

  /** Resolves to the start's failure (undefined when it started), never rejects. */
  private async runStart(): Promise<UserError | undefined> {
    this.setPhase('starting');
    this.startError = undefined;
    this.startPortOffer = undefined;
    try {
      await this.host.beforeStart?.();
      await this.host.settingsApplier?.beforeStart();
      const template = await this.templates.forStart();
      await this.engine.start(template ? { template } : {});
      this.setPhase('ready');
      return undefined;
    } catch (error) {
      this.startError = errorMessage(error);
      // What the start left running (a scale that failed after assembly, say) stops; the stack stays.
      await this.engine.stop().catch(() => undefined);
      if (error instanceof PortInUseError) {
        this.startPortOffer = error.offer;
        this.setPhase('failed');
        return new PortInUseError(`The demo did not start: ${this.startError}`, error.offer);
      }
      this.setPhase('failed');
      return new UserError(
        `The demo did not start: ${this.startError}`,
        error instanceof UserError ? error.code : 'start-failed',
      );
    }
  }

  private running(): NonNullable<EngineRuntime['parts']> {
    const parts = this.engine.parts;
    if (this.phase !== 'ready' || !parts)
      throw new UserError(
        'The demo is not running. Start it first (tray menu: Start demo, or discovery-tray up).',
        'not-ready',
      );
    return parts;
  }

  /** The running template loop, or undefined while the demo is not ready (a choice then waits for the next start). */
  private runningLoop(): NonNullable<EngineRuntime['parts']>['loop'] | undefined {
    return this.phase === 'ready' ? this.engine.parts?.loop : undefined;
  }

  private setPhase(phase: DemoPhase): void {
    this.phase = phase;
    this.changed.emit();
  }
}
