/**
 * Makes a rendered config live in the nginx container, safely:
 * candidate → `nginx -t` → swap → graceful reload (HUP), in one exec. A
 * candidate that fails the check never replaces the running config: the last
 * good one keeps serving, and the error (with the offending lines) is kept
 * for `status`. Applies are serialised, and when renders arrive faster than
 * nginx reloads only the newest is applied.
 */
import type Dockerode from 'dockerode';
import { tarArchive } from '../docker/archive.js';
import { execInContainer } from '../docker/exec.js';
import { errorMessage } from '../errors.js';
import type { Timeline } from '../timeline.js';
import {
  CANDIDATE_ENV,
  CANDIDATE_UPSTREAM,
  LB_DIR,
  MAX_CANDIDATE_ENV_BYTES,
  applyScript,
  drainScript,
  parseNginxTestOutput,
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

export interface LbControllerOptions {
  reloadTimeoutMs?: number;
}

export class LbController {
  private current: AppliedConfig | undefined;
  private previousConfig: string | undefined;
  private lastError: LbError | undefined;
  private generation = 0;
  private applying: Promise<unknown> = Promise.resolve();
  private latestRequested: string | undefined;
  private readonly listeners = new Set<(applied: AppliedConfig) => void>();

  constructor(
    private container: Dockerode.Container,
    private readonly timeline: Timeline,
    private readonly options: LbControllerOptions = {},
  ) {}

  /** Points the controller at a (re)created LB container that already serves `config`. */
  attach(container: Dockerode.Container, config: string | undefined): void {
    this.container = container;
    if (config !== undefined) {
      this.current = { generation: ++this.generation, config, at: Date.now(), retiringWorkers: [] };
    }
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

  onApplied(listener: (applied: AppliedConfig) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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

  /** Resolves once the given workers have exited, or after `timeoutMs` (then false). */
  async drain(workers: readonly number[], timeoutMs: number): Promise<boolean> {
    if (workers.length === 0) return true;
    const result = await execInContainer(this.container, ['sh', '-c', drainScript(workers, timeoutMs)]);
    return result.exitCode === 0;
  }

  private async applyNow(config: string): Promise<ApplyOutcome> {
    if (this.current?.config === config) return { unchanged: true };
    if (config.trim() === '') {
      return this.refuse(config, { message: 'the template rendered an empty config', excerpt: [] });
    }
    const viaEnv = Buffer.byteLength(config) <= MAX_CANDIDATE_ENV_BYTES && !config.includes('\0');
    if (!viaEnv) {
      const archive = await tarArchive([
        { path: CANDIDATE_UPSTREAM.slice(LB_DIR.length + 1), content: config },
      ]);
      await this.container.putArchive(archive, { path: LB_DIR });
    }
    const result = await execInContainer(
      this.container,
      ['sh', '-c', applyScript(this.options.reloadTimeoutMs ?? 3000, viaEnv)],
      viaEnv ? [`${CANDIDATE_ENV}=${config}`] : [],
    );
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
    this.timeline.record({
      kind: 'lb-reloaded',
      message: `nginx reloaded with config generation ${this.current.generation}`,
    });
    for (const listener of this.listeners) {
      try {
        listener(this.current);
      } catch (error) {
        this.timeline.record({ kind: 'error', message: `after reload: ${errorMessage(error)}` });
      }
    }
    return { applied: this.current };
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
