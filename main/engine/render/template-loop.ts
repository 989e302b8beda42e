/**
 * consul-template's loop, in process: render the template with the data its
 * dependencies have in Consul, watch those dependencies, and re-render when
 * they change. Only a complete render whose output differs from the live one
 * goes to the LB; a template error is recorded and never reaches nginx.
 */
import { errorMessage } from '../errors.js';
import type { ApplyOutcome, AppliedConfig, LbController } from '../lb/lb-controller.js';
import {
  compileTemplate,
  renderTemplate,
  type CompiledTemplate,
  type TemplateDependency,
} from '../template/index.js';
import type { Timeline } from '../timeline.js';
import type { ConsulTemplateData } from './consul-data.js';
import { Quiescence, type QuiescenceWindow } from './quiescence.js';
import { Emitter } from '../../../contract/index.js';

export interface TemplateErrorInfo {
  at: number;
  message: string;
  line?: number;
  column?: number;
}

export interface LiveState {
  /** Service instance IDs the live config was rendered from. */
  instanceIds: ReadonlySet<string>;
  /** Set when this render was applied (nginx reloaded); absent when the output did not change. */
  applied?: AppliedConfig;
}

export interface TemplateLoopStatus {
  templateName: string;
  dependencies: string[];
  lastRenderAt: number | undefined;
  renders: number;
  lastError: TemplateErrorInfo | undefined;
}

export class TemplateLoop {
  private template: CompiledTemplate;
  private readonly quiescence: Quiescence;
  private dependencies: TemplateDependency[] = [];
  private lastRenderAt: number | undefined;
  private renders = 0;
  private lastError: TemplateErrorInfo | undefined;
  private syntaxError: TemplateErrorInfo | undefined;
  private rendering = false;
  private again = false;
  private stopped = false;
  private live: LiveState = { instanceIds: new Set() };
  private readonly wentLive = new Emitter<LiveState>();

  constructor(
    template: CompiledTemplate,
    private readonly data: ConsulTemplateData,
    private readonly lb: LbController,
    private readonly timeline: Timeline,
    wait?: QuiescenceWindow,
  ) {
    this.template = template;
    this.quiescence = new Quiescence(() => void this.render(), wait);
  }

  start(): void {
    this.stopped = false;
    void this.render();
  }

  stop(): void {
    this.stopped = true;
    this.quiescence.cancel();
  }

  /** Data changed: render after the quiescence window. */
  poke(): void {
    if (!this.stopped) this.quiescence.poke();
  }

  /**
   * Replaces the template. A syntax error is thrown, kept in the status until
   * a good template is set, and nothing changes: the old template keeps rendering.
   */
  setTemplate(source: string, name = this.template.name): void {
    try {
      this.template = compileTemplate(source, name);
    } catch (error) {
      this.syntaxError = toErrorInfo(error);
      this.timeline.record({
        kind: 'template-error',
        message: `new template refused, the current one stays: ${this.syntaxError.message}`,
      });
      throw error;
    }
    this.syntaxError = undefined;
    this.poke();
  }

  get templateSource(): string {
    return this.template.source;
  }

  liveState(): LiveState {
    return this.live;
  }

  onLive(listener: (state: LiveState) => void): () => void {
    return this.wentLive.on(listener);
  }

  status(): TemplateLoopStatus {
    return {
      templateName: this.template.name,
      dependencies: this.dependencies.map((d) => d.key),
      lastRenderAt: this.lastRenderAt,
      renders: this.renders,
      lastError: this.syntaxError ?? this.lastError,
    };
  }

  /** Renders now; a render asked for while one runs happens right after it. */
  async render(): Promise<void> {
    if (this.stopped) return;
    if (this.rendering) {
      this.again = true;
      return;
    }
    this.rendering = true;
    try {
      do {
        this.again = false;
        await this.renderOnce();
      } while (this.again && !this.stopped);
    } finally {
      this.rendering = false;
    }
  }

  private async renderOnce(): Promise<void> {
    let output: string;
    let instanceIds: Set<string>;
    try {
      const result = renderTemplate(this.template, this.data);
      this.dependencies = result.dependencies;
      this.data.track(result.dependencies);
      // Incomplete: some dependency has no data yet; its watch will poke us.
      if (!result.complete) return;
      output = result.output;
      instanceIds = this.data.instanceIds();
    } catch (error) {
      const info = toErrorInfo(error);
      if (this.lastError?.message !== info.message) {
        this.timeline.record({
          kind: 'template-error',
          message: `template not rendered, the last good config keeps serving: ${info.message}`,
        });
      }
      this.lastError = info;
      return;
    }
    this.lastError = undefined;
    this.lastRenderAt = Date.now();
    this.renders++;
    if (this.lb.status().config !== output) {
      this.timeline.record({
        kind: 'template-rendered',
        message: `template rendered with ${instanceIds.size} instance(s)`,
      });
    }
    const outcome: ApplyOutcome = await this.lb.apply(output).catch((error: unknown) => {
      this.timeline.record({
        kind: 'lb-error',
        message: `could not apply the config: ${errorMessage(error)}`,
      });
      return { superseded: true as const };
    });
    if ('refused' in outcome || 'superseded' in outcome) return;
    this.live = 'applied' in outcome ? { instanceIds, applied: outcome.applied } : { instanceIds };
    this.wentLive.emit(this.live);
  }
}

function toErrorInfo(error: unknown): TemplateErrorInfo {
  const info: TemplateErrorInfo = { at: Date.now(), message: errorMessage(error) };
  const position = error as { line?: number; column?: number };
  if (typeof position.line === 'number') info.line = position.line;
  if (typeof position.column === 'number') info.column = position.column;
  return info;
}
