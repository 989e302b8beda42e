/**
 * Makes a rendered config live in the nginx container, safely:
 * candidate → `nginx -t` → swap → graceful reload (HUP), in one request. A
 * candidate that fails the check never replaces the running config: the last
 * good one keeps serving, and the error (with the offending lines) is kept
 * for `status`. Applies are serialised, and when renders arrive faster than
 * nginx reloads only the newest is applied. Every apply carries a number
 * that grows, and the LB refuses one older than the newest it has seen: an
 * apply that timed out here may still arrive there, after a newer one.
 * A config that differs from the running one only in its upstreams' backend
 * addresses goes without `nginx -t` (config-shape.ts says why that is safe).
 * `check` runs only `nginx -t`, for finding which data nginx refuses.
 */
import type Dockerode from 'dockerode';
import { tarArchive } from '../docker/archive.js';
import { execInContainer, type ExecResult } from '../docker/exec.js';
import { errorMessage } from '../errors.js';
import { preciseNow, type Timeline } from '../timeline.js';
import { configShape } from './config-shape.js';
import { LbChannel } from './lb-channel.js';
import {
  MAX_PROBE_TARGETS,
  PROBE_CONNECT_TIMEOUT_S,
  parseProbeOutput,
  probeScript,
  type ProbeResults,
} from './lb-probe.js';
import {
  CANDIDATE_ENV,
  CHANNEL_LABEL,
  DEFAULT_RELOAD_TIMEOUT_MS,
  CANDIDATE_UPSTREAM,
  ESCAPED_CHANNEL_VERSION,
  LB_DIR,
  MAX_CANDIDATE_ENV_BYTES,
  NUMBERED_CHANNEL_VERSIONS,
  PROBE_CHANNEL_VERSIONS,
  STALE_EXIT_CODE,
  SWAP_CHANNEL_VERSIONS,
  applyScript,
  checkByExecScript,
  checkedForMs,
  drainScript,
  newestSeqIn,
  parseNginxTestOutput,
  printfEscape,
  servingForMs,
  type NginxTestFailure,
} from './nginx-files.js';

export interface LbError {
  at: number;
  message: string;
  line?: number;
  excerpt: string[];
  /** The config that was refused. */
  config: string;
}

export interface AppliedConfig {
  generation: number;
  config: string;
  at: number;
  /** Workers of the previous config; they finish their in-flight requests, then exit. */
  retiringWorkers: number[];
}

export interface LbStatus {
  generation: number;
  config: string | undefined;
  previousConfig: string | undefined;
  appliedAt: number | undefined;
  lastError: LbError | undefined;
}

export type ApplyOutcome =
  { applied: AppliedConfig } | { unchanged: true } | { refused: LbError } | { superseded: true };

export type CheckOutcome = { ok: true } | { ok: false; failure: NginxTestFailure };

export interface LbControllerOptions {
  reloadTimeoutMs?: number;
}

/** What a docker exec may take beyond the work it waits for, before the engine stops waiting. */
const EXEC_SLACK_MS = 10_000;
const CHECK_TIMEOUT_MS = 10_000;
/** A probe's connects time out after a second; this is what the answer may take beyond that. */
const PROBE_SLACK_MS = 2000;

export class LbController {
  private current: AppliedConfig | undefined;
  private previousConfig: string | undefined;
  private lastError: LbError | undefined;
  private generation = 0;
  private applying: Promise<unknown> = Promise.resolve();
  private latestRequested: string | undefined;
  /** The open line to the LB's supervisor; `false` when this container has none (older LB). */
  private channel: LbChannel | false | undefined;
  /** How the supervisor wants requests: numbered (3) or escaped for printf (2, LB containers of the previous release). */
  private channelVersion: string | undefined;
  private opening: Promise<LbChannel | undefined> | undefined;
  /** The number of the latest apply sent; the LB refuses any below the newest it has seen. */
  private seq = 0;
  /** The shape (config-shape.ts) of the newest config nginx took: one of the same shape needs no `nginx -t`. */
  private checkedShape: string | undefined;

  constructor(
    private container: Dockerode.Container,
    private readonly timeline: Timeline,
    private readonly options: LbControllerOptions = {},
  ) {}

  /**
   * Points the controller at a (re)created LB container that serves `config`
   * (undefined: not a config of ours, so the next render is applied whatever it is).
   */
  attach(container: Dockerode.Container, config: string | undefined): void {
    this.container = container;
    this.close();
    // Another container may run another nginx: its first config is checked.
    this.checkedShape = undefined;
    this.current =
      config !== undefined
        ? { generation: ++this.generation, config, at: Date.now(), retiringWorkers: [] }
        : undefined;
  }

  /** Closes the line to the LB (the engine stops, or the LB container was replaced). */
  close(): void {
    if (this.channel) this.channel.close();
    this.channel = undefined;
  }

  get containerId(): string {
    return this.container.id;
  }

  status(): LbStatus {
    return {
      generation: this.current?.generation ?? 0,
      config: this.current?.config,
      previousConfig: this.previousConfig,
      appliedAt: this.current?.at,
      lastError: this.lastError,
    };
  }

  /** Applies `config` after any apply in progress; a newer request supersedes a waiting one. */
  apply(config: string): Promise<ApplyOutcome> {
    this.latestRequested = config;
    const run = this.applying.then(() =>
      this.latestRequested === config ? this.applyNow(config) : { superseded: true as const },
    );
    this.applying = run.catch(() => undefined);
    return run;
  }

  /**
   * Checks `config` with `nginx -t` in the LB container, without making it live
   * or signalling nginx. Runs in turn with the applies.
   */
  check(config: string): Promise<CheckOutcome> {
    const run = this.applying.then(() => this.checkNow(config));
    this.applying = run.catch(() => undefined);
    return run;
  }

  /** Resolves once the given workers have exited, or after `timeoutMs` (then false). */
  async drain(workers: readonly number[], timeoutMs: number): Promise<boolean> {
    if (workers.length === 0) return true;
    const result = await execInContainer(
      this.container,
      ['sh', '-c', drainScript(workers, timeoutMs)],
      [],
      timeoutMs + EXEC_SLACK_MS,
    );
    return result.exitCode === 0;
  }

  private async checkNow(config: string): Promise<CheckOutcome> {
    if (config.trim() === '')
      return { ok: false, failure: { message: 'the template rendered an empty config', excerpt: [] } };
    const channel = await this.openChannel();
    let result: ExecResult | undefined;
    if (channel && this.numbered) {
      try {
        result = await channel.request('check', `0 ${printfEscape(config)}`, CHECK_TIMEOUT_MS);
      } catch (error) {
        this.channel = undefined;
        this.timeline.record({ kind: 'warning', message: `LB channel lost (${errorMessage(error)})` });
      }
    }
    if (!result && Buffer.byteLength(config) > MAX_CANDIDATE_ENV_BYTES)
      throw new Error(
        'this LB container cannot check a config this large (recreate it with `down` and `up`)',
      );
    result ??= await execInContainer(
      this.container,
      ['sh', '-c', checkByExecScript()],
      [`${CANDIDATE_ENV}=${config}`],
      CHECK_TIMEOUT_MS,
    );
    if (result.exitCode === 0) return { ok: true };
    if (result.exitCode === 3) return { ok: false, failure: parseNginxTestOutput(result.output, config) };
    throw new Error(`could not check the config: ${result.output.trim() || `exit ${result.exitCode}`}`);
  }

  private async applyNow(config: string): Promise<ApplyOutcome> {
    if (this.current?.config === config) {
      // What nginx serves is what is wanted now: a refusal of some other config is no longer news.
      this.lastError = undefined;
      return { unchanged: true };
    }
    if (config.trim() === '') {
      return this.refuse(config, { message: 'the template rendered an empty config', excerpt: [] });
    }
    this.timeline.mark('apply-sent', String(this.seq + 1));
    const shape = configShape(config);
    const mayskipCheck = shape !== undefined && shape === this.checkedShape;
    const sent = await this.send(config, mayskipCheck);
    let swapped = sent.swapped;
    let result = sent.result;
    if (swapped && result.exitCode !== 0) {
      // Cannot happen by config-shape.ts's reasoning; if it does, nginx kept its workers and the
      // live file holds the config: check it as any other, and put the last good one back if it fails.
      this.timeline.record({
        kind: 'warning',
        message: `nginx did not take a config that only changed backend addresses (${result.output.trim() || `exit ${result.exitCode}`}); checking it with nginx -t`,
      });
      this.checkedShape = undefined;
      swapped = false;
      ({ result } = await this.send(config, false));
      if (result.exitCode !== 0 && this.current) await this.send(this.current.config, false);
    }
    if (result.exitCode === 3) return this.refuse(config, parseNginxTestOutput(result.output, config));
    if (result.exitCode !== 0) {
      return this.refuse(config, {
        message: `nginx reload failed: ${result.output.trim() || `exit ${result.exitCode}`}`,
        excerpt: [],
      });
    }
    const retiringWorkers = (/old:\s*([\d\s]*)/.exec(result.output)?.[1] ?? '')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    this.previousConfig = this.current?.config;
    this.current = { generation: ++this.generation, config, at: Date.now(), retiringWorkers };
    this.lastError = undefined;
    // nginx runs this config: any config of the same shape passes `nginx -t` too.
    this.checkedShape = shape;
    const answeredAt = preciseNow();
    const checkedFor = checkedForMs(result.output);
    if (checkedFor !== undefined) this.timeline.mark('nginx-checked', undefined, answeredAt - checkedFor);
    this.timeline.mark('workers-serving', undefined, answeredAt - servingForMs(result.output));
    this.timeline.mark('apply-answered', undefined, answeredAt);
    this.timeline.record({
      kind: 'lb-reloaded',
      // When the new workers began serving, not when the last old one stopped accepting.
      at: answeredAt - servingForMs(result.output),
      message: `nginx reloaded with config generation ${this.current.generation}${swapped ? ' (only backend addresses changed: no nginx -t needed)' : ''}`,
    });
    return { applied: this.current };
  }

  /**
   * One apply under a new number, and again above the LB's newest when the LB has seen a newer
   * one (an earlier engine's: this apply is the one the engine waits for, so it is the newest).
   * `swapped`: sent without `nginx -t` (allowed by the caller, and the LB takes `swap`).
   */
  private async send(
    config: string,
    mayskipCheck: boolean,
  ): Promise<{ result: ExecResult; swapped: boolean }> {
    let sent = await this.run(config, ++this.seq, mayskipCheck);
    if (sent.result.exitCode === STALE_EXIT_CODE) {
      this.seq = Math.max(this.seq, newestSeqIn(sent.result.output));
      sent = await this.run(config, ++this.seq, mayskipCheck);
    }
    return sent;
  }

  /** Checks and reloads through the supervisor's line when there is one, else with a docker exec. */
  private async run(
    config: string,
    seq: number,
    mayskipCheck: boolean,
  ): Promise<{ result: ExecResult; swapped: boolean }> {
    const reloadTimeoutMs = this.options.reloadTimeoutMs ?? DEFAULT_RELOAD_TIMEOUT_MS;
    const channel = await this.openChannel();
    if (channel) {
      const swapped = mayskipCheck && SWAP_CHANNEL_VERSIONS.includes(this.channelVersion ?? '');
      try {
        const args = this.numbered ? `${seq} ${printfEscape(config)}` : printfEscape(config);
        return {
          result: await channel.request(swapped ? 'swap' : 'apply', args, reloadTimeoutMs + 5000),
          swapped,
        };
      } catch (error) {
        // The line broke: this apply goes by exec, under a newer number, so that the one sent
        // on the line is refused if it still arrives. The next apply reattaches.
        this.channel = undefined;
        this.timeline.record({ kind: 'warning', message: `LB channel lost (${errorMessage(error)})` });
        seq = ++this.seq;
      }
    }
    return { result: await this.runByExec(config, reloadTimeoutMs, seq), swapped: false };
  }

  private get numbered(): boolean {
    return this.channelVersion !== undefined && NUMBERED_CHANNEL_VERSIONS.includes(this.channelVersion);
  }

  /**
   * Tries, from inside the LB container, to connect to each target (`address:port`, checked
   * with isProbeable). Not in turn with the applies: a probe may wait a second for an address
   * that does not answer, and a config must not wait for it. Over the supervisor's line when
   * it takes probes, else by docker exec.
   */
  async probe(targets: readonly string[]): Promise<ProbeResults> {
    const results: ProbeResults = new Map();
    for (let i = 0; i < targets.length; i += MAX_PROBE_TARGETS) {
      const batch = targets.slice(i, i + MAX_PROBE_TARGETS);
      for (const [target, failure] of parseProbeOutput(await this.probeBatch(batch), batch))
        results.set(target, failure);
    }
    return results;
  }

  private async probeBatch(targets: readonly string[]): Promise<string> {
    const timeoutMs = PROBE_CONNECT_TIMEOUT_S * 1000 + PROBE_SLACK_MS;
    const channel = await this.openChannel();
    if (channel && PROBE_CHANNEL_VERSIONS.includes(this.channelVersion ?? '')) {
      try {
        return (await channel.request('probe', `0 ${targets.join(',')}`, timeoutMs)).output;
      } catch (error) {
        this.channel = undefined;
        this.timeline.record({ kind: 'warning', message: `LB channel lost (${errorMessage(error)})` });
      }
    }
    const result = await execInContainer(
      this.container,
      ['sh', '-c', probeScript(targets)],
      [],
      timeoutMs + EXEC_SLACK_MS,
    );
    return result.output;
  }

  /** One attach at a time: a probe and an apply may both find the line closed. */
  private openChannel(): Promise<LbChannel | undefined> {
    this.opening ??= this.openChannelNow().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async openChannelNow(): Promise<LbChannel | undefined> {
    if (this.channel === false) return undefined;
    if (this.channel?.isOpen) return this.channel;
    const labels = (await this.container.inspect()).Config.Labels ?? {};
    this.channelVersion = labels[CHANNEL_LABEL];
    const known = [...NUMBERED_CHANNEL_VERSIONS, ESCAPED_CHANNEL_VERSION];
    if (this.channelVersion === undefined || !known.includes(this.channelVersion)) {
      this.channel = false;
      return undefined;
    }
    this.channel = await LbChannel.open(this.container, this.numbered);
    // Continue above what the LB has seen, from this engine or an earlier one.
    if (this.channel) this.seq = Math.max(this.seq, this.channel.newestSeq);
    return this.channel;
  }

  private async runByExec(config: string, reloadTimeoutMs: number, seq: number): Promise<ExecResult> {
    const viaEnv = Buffer.byteLength(config) <= MAX_CANDIDATE_ENV_BYTES && !config.includes('\0');
    if (!viaEnv) {
      const archive = await tarArchive([
        { path: CANDIDATE_UPSTREAM.slice(LB_DIR.length + 1), content: config },
      ]);
      await this.container.putArchive(archive, { path: LB_DIR });
    }
    return execInContainer(
      this.container,
      ['sh', '-c', applyScript(reloadTimeoutMs, viaEnv ? 'env' : 'file', seq)],
      viaEnv ? [`${CANDIDATE_ENV}=${config}`] : [],
      reloadTimeoutMs + EXEC_SLACK_MS,
    );
  }

  private refuse(config: string, failure: Omit<LbError, 'at' | 'config'>): ApplyOutcome {
    const error: LbError = { ...failure, at: Date.now(), config };
    this.lastError = error;
    this.timeline.record({
      kind: 'lb-error',
      message: `nginx refused the rendered config, the last good one keeps serving: ${failure.message}`,
    });
    return { refused: error };
  }
}
