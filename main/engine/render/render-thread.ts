/**
 * Renders templates on a worker thread of their own (render-worker.ts), so
 * that the engine's thread keeps answering the control API, the tray and the
 * hits while a render runs. The thread lives as long as the loop: a message
 * costs well under a millisecond, where starting a thread costs tens.
 *
 * A render that overruns its time limit in a single call (the evaluator
 * checks the clock between steps, so this is a backstop) is stopped by
 * ending the thread; the error names where it was, from the position the
 * evaluator keeps in shared memory. The next render starts a new thread.
 */
import { Worker } from 'node:worker_threads';
import { positionAt } from '../template/errors.js';
import {
  DEFAULT_RENDER_LIMITS,
  type CompiledTemplate,
  type RenderLimits,
  type TemplateDependency,
} from '../template/index.js';
import { PROGRESS_SLOTS, type RenderReply, type RenderRequest, type WorkerReady } from './render-protocol.js';
import type { TemplateSnapshot } from './render-snapshot.js';

export interface ThreadRenderResult {
  output: string;
  dependencies: TemplateDependency[];
  complete: boolean;
  envMisses: string[];
}

/** A render that failed, with the template position when there is one. */
export class RenderFailure extends Error {
  override name = 'RenderFailure';
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/** How much longer than its limit a render may take before its thread is ended. */
const DEFAULT_GRACE_MS = 1000;
/** How long a new thread may take to load before its first render fails (tsx on a loaded 2-core machine: seconds). */
const DEFAULT_STARTUP_MS = 60_000;
/** A render's heap: output and every string are capped at 1 MiB, so this is generous. */
const HEAP_LIMIT_MB = 256;

interface Pending {
  request: RenderRequest;
  resolve: (result: ThreadRenderResult) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

function startWorker(progress: Int32Array): Worker {
  const options = {
    workerData: { progress },
    // Nothing of the engine's environment: what a template may read comes in the snapshot.
    env: {},
    resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB },
  };
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // Running from the TypeScript sources (tests, `tsx main/cli.ts`): load the thread through tsx.
    const entry = new URL('./render-worker.ts', here).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(code, { ...options, eval: true });
  }
  return new Worker(new URL('./render-worker.js', here), options);
}

export class RenderThread {
  private worker: Worker | undefined;
  /** Settles once the current thread has loaded (WorkerReady), or failed to. */
  private ready: Promise<void> = Promise.resolve();
  private settleReady: ((error?: Error) => void) | undefined;
  private readonly progress = new Int32Array(new SharedArrayBuffer(4 * PROGRESS_SLOTS));
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  constructor(
    private readonly graceMs = DEFAULT_GRACE_MS,
    private readonly startupMs = DEFAULT_STARTUP_MS,
  ) {}

  /** Starts the thread ahead of the first render. */
  warm(): void {
    this.ensureWorker();
  }

  /** Renders on the thread; renders run one at a time, in the order asked. */
  render(
    template: CompiledTemplate,
    snapshot: TemplateSnapshot,
    limits: Partial<RenderLimits> = {},
  ): Promise<ThreadRenderResult> {
    const run = this.queue.then(() => this.renderNow(template, snapshot, limits));
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.settleReady?.(new RenderFailure('the render thread was closed'));
    this.fail(new RenderFailure('the render thread was closed'));
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private async renderNow(
    template: CompiledTemplate,
    snapshot: TemplateSnapshot,
    limits: Partial<RenderLimits>,
  ): Promise<ThreadRenderResult> {
    const worker = this.ensureWorker();
    // The time limit is the template's: a thread still loading is not the template's fault.
    await this.ready;
    if (this.worker !== worker) throw new RenderFailure('the render thread was closed');
    const request: RenderRequest = {
      id: this.nextId++,
      name: template.name,
      source: template.source,
      snapshot,
      limits,
    };
    const maxMs = limits.maxMilliseconds ?? DEFAULT_RENDER_LIMITS.maxMilliseconds;
    return new Promise<ThreadRenderResult>((resolve, reject) => {
      Atomics.store(this.progress, 0, 0);
      const timer = setTimeout(() => this.overran(maxMs), maxMs + this.graceMs);
      this.pending = { request, resolve, reject, timer };
      worker.postMessage(request);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(this.progress);
    // An idle render thread must not keep a finished process (the CLI) alive.
    worker.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.worker === worker) this.worker = undefined;
        void worker.terminate();
        settle(new RenderFailure(`the render thread did not start within ${this.startupMs / 1000} s`));
      }, this.startupMs);
      timer.unref();
      const settle = (error?: Error): void => {
        clearTimeout(timer);
        this.settleReady = undefined;
        if (error) reject(error);
        else resolve();
      };
      this.settleReady = settle;
    });
    // Nobody may be waiting yet; whoever renders next sees the failure.
    this.ready.catch(() => undefined);
    worker.on('message', (reply: RenderReply | WorkerReady) =>
      'ready' in reply ? this.settleReady?.() : this.onReply(reply),
    );
    worker.on('error', (error: Error) => this.onExit(worker, `the render thread failed: ${error.message}`));
    worker.on('exit', (code) => this.onExit(worker, `the render thread stopped (exit ${code})`));
    this.worker = worker;
    return worker;
  }

  private onReply(reply: RenderReply): void {
    const pending = this.pending;
    if (!pending || pending.request.id !== reply.id) return;
    clearTimeout(pending.timer);
    this.pending = undefined;
    if (reply.ok) {
      const { output, dependencies, complete, envMisses } = reply;
      pending.resolve({ output, dependencies, complete, envMisses });
    } else {
      pending.reject(new RenderFailure(reply.message, reply.line, reply.column));
    }
  }

  private onExit(worker: Worker, message: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.settleReady?.(new RenderFailure(message));
    this.fail(new RenderFailure(message));
  }

  /** The render is stuck in one call: end the thread, and say where it was. */
  private overran(maxMs: number): void {
    const pending = this.pending;
    if (!pending) return;
    const { name, source } = pending.request;
    const { line, column } = positionAt(source, Atomics.load(this.progress, 0));
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    this.fail(
      new RenderFailure(
        `${name}:${line}:${column}: evaluation exceeds the maxMilliseconds limit of ${maxMs} ms; the render was stopped`,
        line,
        column,
      ),
    );
  }

  private fail(error: Error): void {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) return;
    clearTimeout(pending.timer);
    pending.reject(error);
  }
}
