/**
 * consul-template's loop, in process: render the template with the data its
 * dependencies have in Consul, watch those dependencies, and re-render when
 * they change. Only a complete render whose output differs from the live one
 * goes to the LB; a template error is recorded and never reaches nginx.
 *
 * Renders run on a thread of their own (render-thread.ts) against a snapshot
 * of the data known here; the thread answers with the output, the
 * dependencies the template used and whether any had no data yet.
 *
 * When nginx refuses a render, the loop finds out whether the template or a
 * piece of data is to blame: it renders again with data left out and asks
 * `nginx -t` (without reloading) about each try (culprits.ts). The instances
 * and KV values nginx refuses are left out of the config, named on the
 * timeline and in `status().excluded`, and everything else is applied; a
 * new backend is routed even while a broken registration sits in Consul. A
 * refusal the template causes keeps the last good config, as before.
 *
 * With a reachability gate (lb-reachability.ts), an instance is rendered
 * only once the LB can connect to it; the others are left out the same way.
 */
import { Backoff } from '../backoff.js';
import { errorMessage } from '../errors.js';
import type { ApplyOutcome, AppliedConfig, LbController } from '../lb/lb-controller.js';
import type { Reachability, UnreachableInstance } from '../lb/lb-reachability.js';
import {
  compileTemplate,
  type CompiledTemplate,
  type ServiceInstance,
  type TemplateDependency,
} from '../template/index.js';
import type { Timeline } from '../timeline.js';
import type { ConsulTemplateData, KnownData } from './consul-data.js';
import { findCulprits } from './culprits.js';
import { Quiescence, type QuiescenceWindow } from './quiescence.js';
import { Emitter } from '../../../contract/index.js';
import { RenderThread, type ThreadRenderResult } from './render-thread.js';
import type { TemplateSnapshot } from './render-snapshot.js';
import { renderWarnings } from './render-warnings.js';
import { allowsHostNames } from './sanitize.js';
import { isDeniedEnvName, templateEnv } from './template-env.js';

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

/** A service instance that is in Consul but not in the config, and why. */
export interface ExcludedInstance {
  serviceId: string;
  service: string;
  /** As registered, address:port. */
  address: string;
  reason: string;
  /** 'check': its values failed the engine's checks before rendering; 'nginx': `nginx -t` refused it. */
  refusedBy: 'check' | 'nginx';
}

/** A KV key whose value the template reads as missing, and why. */
export interface ExcludedKey {
  key: string;
  reason: string;
  refusedBy: 'check' | 'nginx';
}

export interface TemplateLoopStatus {
  templateName: string;
  dependencies: string[];
  lastRenderAt: number | undefined;
  renders: number;
  lastError: TemplateErrorInfo | undefined;
  /** Instances left out of the config: by the engine's checks, or because nginx refused them. */
  excluded: ExcludedInstance[];
  excludedKeys: ExcludedKey[];
  /** Instances left out because the LB cannot connect to them (past a short grace). */
  unreachable?: UnreachableInstance[];
  /** The template's own warnings in its last complete render (render-warnings.ts). */
  renderWarnings?: string[];
}

/** Checks the search for a culprit may run (each is a render and an `nginx -t`, ~30–100 ms). */
const MAX_CULPRIT_CHECKS = 40;

/** One piece of data a render can leave out: an instance (by service ID) or a KV key. */
interface DataItem {
  id: string;
  /** Changes when the data changes: a changed instance or value is tried again. */
  fingerprint: string;
  excluded(reason: string): ExcludedInstance | ExcludedKey;
}

interface Exclusion {
  fingerprint: string;
  entry: ExcludedInstance | ExcludedKey;
}

export class TemplateLoop {
  private template: CompiledTemplate;
  private readonly quiescence: Quiescence;
  private readonly thread = new RenderThread();
  private dependencies: TemplateDependency[] = [];
  private lastRenderAt: number | undefined;
  private renders = 0;
  private lastError: TemplateErrorInfo | undefined;
  private syntaxError: TemplateErrorInfo | undefined;
  private rendering = false;
  private again = false;
  private stopped = false;
  /**
   * A failed render tracks no new dependency, and the first one none at all, so no watch would
   * wake the loop again (a first render that overran on a starved machine left the LB empty for
   * good): a failed render is tried again, 1 s later, then up to every 30 s until one succeeds.
   */
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly retryBackoff = new Backoff({ initialMs: 1000, maxMs: 30_000 });
  private live: LiveState = { instanceIds: new Set() };
  private readonly wentLive = new Emitter<LiveState>();
  /** Data nginx refused, by item ID, until the data changes, goes, or the template changes. */
  private readonly exclusions = new Map<string, Exclusion>();
  private lastKnown: KnownData | undefined;
  private readonly hiddenEnvWarned = new Set<string>();
  /** What `env` may read, taken when the loop starts and when the template changes (not per render). */
  private env = new Map<string, string>();
  /** Item IDs (`instance:<ID>`) of the instances the LB has not reached: left out of every render. */
  private unreachableIds = new Set<string>();
  private warnings: string[] = [];

  constructor(
    template: CompiledTemplate,
    private readonly data: ConsulTemplateData,
    private readonly lb: LbController,
    private readonly timeline: Timeline,
    wait?: QuiescenceWindow,
    private readonly reachability?: Pick<Reachability, 'gate' | 'unreachable'>,
  ) {
    this.template = template;
    this.quiescence = new Quiescence(() => void this.render(), wait);
  }

  start(): void {
    this.stopped = false;
    this.env = envFor(this.template);
    this.thread.warm();
    void this.render();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.quiescence.cancel();
    this.thread.close();
  }

  /** Data changed: render after the quiescence window. */
  poke(): void {
    if (this.stopped) return;
    this.timeline.mark('poked');
    this.quiescence.poke();
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
    this.env = envFor(this.template);
    // What nginx refused was refused with the old template.
    this.exclusions.clear();
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
    const byNginx = [...this.exclusions.values()].map((e) => e.entry);
    return {
      templateName: this.template.name,
      dependencies: this.dependencies.map((d) => d.key),
      lastRenderAt: this.lastRenderAt,
      renders: this.renders,
      lastError: this.syntaxError ?? this.lastError,
      excluded: [
        ...(this.lastKnown?.refused ?? []).map((r): ExcludedInstance => ({ ...r, refusedBy: 'check' })),
        ...byNginx.filter((e): e is ExcludedInstance => 'serviceId' in e),
      ],
      excludedKeys: [
        ...(this.lastKnown?.refusedKeys ?? []).map((r): ExcludedKey => ({ ...r, refusedBy: 'check' })),
        ...byNginx.filter((e): e is ExcludedKey => 'key' in e),
      ],
      unreachable: this.reachability?.unreachable() ?? [],
      renderWarnings: [...this.warnings],
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
    const template = this.template;
    const known = this.data.known({ allowHostNames: allowsHostNames(template.source) });
    this.lastKnown = known;
    const items = dataItems(known);
    this.forgetChangedExclusions(items);
    this.timeline.mark('render-begin');
    await this.gateUnreachable(known);
    this.timeline.mark('gate-done');
    if (this.stopped) return;
    let result: ThreadRenderResult;
    try {
      result = await this.thread.render(template, this.snapshot(known, this.leftOut()));
      this.timeline.mark('render-done');
      this.dependencies = result.dependencies;
      this.data.track(result.dependencies);
      this.warnAboutHiddenEnv(result.envMisses);
    } catch (error) {
      // Stopping ends the render thread: that is not the template's fault.
      if (!this.stopped) {
        this.recordTemplateError(error);
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.poke(), this.retryBackoff.next());
      }
      return;
    }
    clearTimeout(this.retryTimer);
    this.retryBackoff.reset();
    // Incomplete: some dependency has no data yet; its watch will poke us.
    if (!result.complete || this.stopped) return;
    this.lastError = undefined;
    this.lastRenderAt = Date.now();
    this.renders++;
    let output = result.output;
    this.recordRenderWarnings(output);
    let instanceIds = this.routedIds(known);
    if (this.lb.status().config !== output) {
      this.timeline.record({
        kind: 'template-rendered',
        message: `template rendered with ${instanceIds.size} instance(s)`,
      });
    }
    let outcome = await this.apply(output);
    if ('refused' in outcome && !this.stopped) {
      const retry = await this.leaveOutWhatNginxRefuses(template, known, items);
      if (retry) {
        ({ output, outcome } = retry);
        instanceIds = this.routedIds(known);
      }
    }
    if ('refused' in outcome || 'superseded' in outcome) return;
    this.live = 'applied' in outcome ? { instanceIds, applied: outcome.applied } : { instanceIds };
    this.wentLive.emit(this.live);
  }

  private apply(output: string): Promise<ApplyOutcome> {
    return this.lb.apply(output).catch((error: unknown) => {
      this.timeline.record({
        kind: 'lb-error',
        message: `could not apply the config: ${errorMessage(error)}`,
      });
      return { superseded: true as const };
    });
  }

  /**
   * nginx refused the render. If the template with no data at all passes
   * `nginx -t`, the data is to blame: find the pieces nginx refuses, leave
   * them out, and apply the rest. Undefined when the template is to blame
   * (or the search cannot tell): the last good config keeps serving.
   */
  private async leaveOutWhatNginxRefuses(
    template: CompiledTemplate,
    known: KnownData,
    items: Map<string, DataItem>,
  ): Promise<{ output: string; outcome: ApplyOutcome } | undefined> {
    const candidates = [...items.keys()].filter((id) => !this.leftOut().has(id));
    if (candidates.length === 0) return undefined;
    const leftOut = (included: readonly string[]): Set<string> => {
      const keep = new Set(included);
      return new Set([...this.leftOut(), ...candidates.filter((id) => !keep.has(id))]);
    };
    const fails = async (included: readonly string[]): Promise<string | undefined> => {
      if (this.stopped || template !== this.template) throw new Error('the template changed');
      const result = await this.thread.render(template, this.snapshot(known, leftOut(included)));
      const verdict = await this.lb.check(result.output);
      return verdict.ok ? undefined : verdict.failure.message;
    };
    let search;
    try {
      // The template alone must pass, or no data is to blame.
      if ((await fails([])) !== undefined) return undefined;
      // (The refusal may not have been `nginx -t`'s: the whole render is checked again.)
      search = await findCulprits(candidates, fails, MAX_CULPRIT_CHECKS - 1);
    } catch (error) {
      if (!this.stopped && template === this.template)
        this.timeline.record({
          kind: 'warning',
          message: `could not tell which data nginx refuses: ${errorMessage(error)}`,
        });
      return undefined;
    }
    if ('undetermined' in search) {
      this.timeline.record({
        kind: 'warning',
        message: `nginx refuses the config; could not tell which instance or KV value is to blame (${search.undetermined})`,
      });
      return undefined;
    }
    if (search.culprits.size === 0) return undefined;
    const instances = candidates.filter((id) => id.startsWith('instance:'));
    const culpritInstances = [...search.culprits.keys()].filter((id) => id.startsWith('instance:'));
    // Every instance refused: the template may fail for any instance at all. It is the data's
    // fault only if an instance with plain values (a loopback address, no tags, no meta) passes.
    if (culpritInstances.length > 0 && culpritInstances.length === instances.length) {
      const leftOut = new Set([...this.leftOut(), ...search.culprits.keys()]);
      const plain = await this.thread
        .render(template, this.snapshot(known, leftOut, plainInstance))
        .then((result) => this.lb.check(result.output))
        .catch(() => ({ ok: false }));
      if (!plain.ok || this.stopped || template !== this.template) return undefined;
    }
    for (const [id, reason] of search.culprits) {
      const item = items.get(id)!;
      const entry = item.excluded(`nginx refused it: ${reason}`);
      this.exclusions.set(id, { fingerprint: item.fingerprint, entry });
      this.timeline.record({
        kind: 'warning',
        message:
          'serviceId' in entry
            ? `service ${JSON.stringify(entry.service)} instance ${JSON.stringify(entry.serviceId)} (${entry.address}) is left out of the config: ${entry.reason}`
            : `KV key ${JSON.stringify(entry.key)} reads as missing: ${entry.reason}`,
        ...('serviceId' in entry ? { serviceId: entry.serviceId } : {}),
      });
    }
    try {
      const result = await this.thread.render(template, this.snapshot(known, this.leftOut()));
      return { output: result.output, outcome: await this.apply(result.output) };
    } catch (error) {
      this.recordTemplateError(error);
      return undefined;
    }
  }

  /**
   * A copy of the known data for the render thread, without what is left out;
   * `stand-in` puts one made-up instance where a service's list would be empty.
   */
  private snapshot(
    known: KnownData,
    leftOut: ReadonlySet<string>,
    standIn?: (like: ServiceInstance) => ServiceInstance,
  ): TemplateSnapshot {
    const services = new Map<string, ServiceInstance[]>();
    for (const [key, instances] of known.services) {
      const kept = instances.filter((i) => !leftOut.has(`instance:${i.ID}`));
      services.set(key, standIn && kept.length === 0 && instances[0] ? [standIn(instances[0])] : kept);
    }
    const keys = new Map<string, string | null>();
    for (const [path, value] of known.keys) keys.set(path, leftOut.has(`key:${path}`) ? null : value);
    return { services, catalog: known.catalog, keys, env: this.env };
  }

  /** The instances the config routes: everything rendered, less what is left out. */
  private routedIds(known: KnownData): Set<string> {
    const ids = new Set<string>();
    for (const instances of known.services.values())
      for (const instance of instances)
        if (!this.leftOut().has(`instance:${instance.ID}`)) ids.add(instance.ID);
    return ids;
  }

  /** What every render leaves out: what nginx refused, and what the LB cannot reach. */
  private leftOut(): Set<string> {
    return new Set([...this.exclusions.keys(), ...this.unreachableIds]);
  }

  /** Asks the reachability gate about the instances this render would use. */
  private async gateUnreachable(known: KnownData): Promise<void> {
    if (!this.reachability) return;
    const targets = new Map<string, { id: string; service: string; address: string; port: number }>();
    for (const instances of known.services.values())
      for (const i of instances)
        targets.set(i.ID, { id: i.ID, service: i.Name, address: i.Address, port: i.Port });
    try {
      const ids = await this.reachability.gate([...targets.values()]);
      this.unreachableIds = new Set([...ids].map((id) => `instance:${id}`));
    } catch (error) {
      // Never a reason to stop rendering: what was known stays left out.
      this.timeline.record({
        kind: 'warning',
        message: `could not check which backends the LB reaches: ${errorMessage(error)}`,
      });
    }
  }

  private forgetChangedExclusions(items: Map<string, DataItem>): void {
    for (const [id, exclusion] of this.exclusions)
      if (items.get(id)?.fingerprint !== exclusion.fingerprint) this.exclusions.delete(id);
  }

  /** Each warning the template writes goes on the timeline once, when it first appears. */
  private recordRenderWarnings(output: string): void {
    const now = renderWarnings(output);
    for (const message of now)
      if (!this.warnings.includes(message)) this.timeline.record({ kind: 'warning', message });
    this.warnings = now;
  }

  private warnAboutHiddenEnv(names: readonly string[]): void {
    for (const name of names) {
      if (!isDeniedEnvName(name) || this.hiddenEnvWarned.has(name)) continue;
      this.hiddenEnvWarned.add(name);
      this.timeline.record({
        kind: 'warning',
        message: `the template reads env ${JSON.stringify(name)}, which templates may not read (it may hold a secret); it reads as empty`,
      });
    }
  }

  private recordTemplateError(error: unknown): void {
    const info = toErrorInfo(error);
    if (this.lastError?.message !== info.message) {
      this.timeline.record({
        kind: 'template-error',
        message: `template not rendered, the last good config keeps serving: ${info.message}`,
      });
    }
    this.lastError = info;
  }
}

/** The variables a template may read; none for a template that never calls `env`. */
function envFor(template: CompiledTemplate): Map<string, string> {
  return /\benv\b/.test(template.source) ? templateEnv() : new Map<string, string>();
}

/** An instance of the same service with values no nginx refuses. */
function plainInstance(like: ServiceInstance): ServiceInstance {
  return {
    ...like,
    ID: 'discovery-tray-plain-check',
    Address: '127.0.0.1',
    Port: 65535,
    Tags: [],
    ServiceMeta: {},
    NodeAddress: '127.0.0.1',
  };
}

/** Every instance (by service ID) and KV value the render may leave out. */
function dataItems(known: KnownData): Map<string, DataItem> {
  const items = new Map<string, DataItem>();
  for (const instances of known.services.values()) {
    for (const instance of instances) {
      const id = `instance:${instance.ID}`;
      if (items.has(id)) continue;
      items.set(id, {
        id,
        fingerprint: JSON.stringify(instance),
        excluded: (reason) => ({
          serviceId: instance.ID,
          service: instance.Name,
          address: `${instance.Address}:${instance.Port}`,
          reason,
          refusedBy: 'nginx',
        }),
      });
    }
  }
  for (const [path, value] of known.keys) {
    if (value === null) continue;
    const id = `key:${path}`;
    items.set(id, {
      id,
      fingerprint: value,
      excluded: (reason) => ({ key: path, reason, refusedBy: 'nginx' }),
    });
  }
  return new Map([...items.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function toErrorInfo(error: unknown): TemplateErrorInfo {
  const info: TemplateErrorInfo = { at: Date.now(), message: errorMessage(error) };
  const position = error as { line?: number; column?: number };
  if (typeof position.line === 'number') info.line = position.line;
  if (typeof position.column === 'number') info.column = position.column;
  return info;
}
