/**
 * Knows whether Consul is there, without polling while it is: a blocking
 * query on the catalog stays open and fails the moment Consul goes away (or
 * comes back with a lower index: a restarted dev server that lost its data).
 * While Consul is away, it probes with short timeouts and backoff, so that
 * recovery is noticed within one probe interval of Consul answering again.
 */
import type Consul from 'consul';
import { Emitter } from '../../../contract/index.js';
import { Backoff, delay } from '../backoff.js';
import { errorMessage } from '../errors.js';
import { callTimeout } from './consul-connection.js';

export type UpReason = 'first-contact' | 'recovered' | 'restarted';

export interface LivenessListener {
  onUp: (reason: UpReason) => void;
  onDown: (error: string) => void;
}

export interface ConsulLivenessOptions {
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** How long one probe may take before it counts as a failure. */
  probeTimeoutMs?: number;
  /** A cluster: probe every server, and move to one that answers (consul-servers.ts). */
  servers?: { findLive(timeoutMs: number): Promise<boolean> };
}

export class ConsulLiveness {
  private watch: ReturnType<Consul['watch']> | undefined;
  private lastIndex: bigint | undefined;
  private up: boolean | undefined;
  private probing = false;
  private readonly abort = new AbortController();
  private readonly backoff: Backoff;
  private readonly wentUp = new Emitter<UpReason>();
  private readonly wentDown = new Emitter<string>();

  constructor(
    private readonly consul: Consul,
    private readonly options: ConsulLivenessOptions = {},
  ) {
    this.backoff = new Backoff({
      initialMs: options.retryDelayMs ?? 200,
      maxMs: options.maxRetryDelayMs ?? 1000,
    });
  }

  subscribe(listener: LivenessListener): () => void {
    const offUp = this.wentUp.on(listener.onUp);
    const offDown = this.wentDown.on(listener.onDown);
    return () => {
      offUp();
      offDown();
    };
  }

  start(): void {
    if (!this.watch && !this.probing) this.startWatch();
  }

  stop(): void {
    this.abort.abort();
    this.watch?.end();
    this.watch = undefined;
  }

  get isUp(): boolean {
    return this.up === true;
  }

  /** A Consul call elsewhere failed: treat it as an outage until a probe says otherwise. */
  reportFailure(error: unknown): void {
    this.goDown(errorMessage(error));
  }

  private startWatch(): void {
    if (this.abort.signal.aborted) return;
    this.watch?.end();
    this.lastIndex = undefined;
    const watch = this.consul.watch({
      // The watch calls the method with the client bound as `this`, as the library documents.
      // eslint-disable-next-line @typescript-eslint/unbound-method
      method: this.consul.catalog.service.list,
      options: { wait: '60s' },
      // Failures are handled here (probe, then a fresh watch), not by the library's retry.
      maxAttempts: 0,
    });
    this.watch = watch;
    watch.on('change', (_data: unknown, res: { headers?: Record<string, string> } | undefined) => {
      const index = BigInt(res?.headers?.['x-consul-index'] ?? '0');
      const restarted = this.lastIndex !== undefined && index < this.lastIndex;
      this.lastIndex = index;
      if (this.up === undefined) this.goUp('first-contact');
      else if (restarted) this.goUp('restarted');
      else if (!this.up) this.goUp('recovered');
    });
    watch.on('error', (error: Error) => {
      if (this.watch !== watch) return;
      this.goDown(errorMessage(error));
    });
  }

  private goUp(reason: UpReason): void {
    this.up = true;
    this.backoff.reset();
    this.wentUp.emit(reason);
  }

  private goDown(error: string): void {
    if (this.abort.signal.aborted) return;
    if (this.up !== false) {
      this.up = false;
      this.wentDown.emit(error);
    }
    if (!this.probing) void this.probeUntilUp();
  }

  private async probeUntilUp(): Promise<void> {
    this.probing = true;
    this.watch?.end();
    this.watch = undefined;
    try {
      while (!this.abort.signal.aborted) {
        await delay(this.backoff.next(), this.abort.signal);
        if (this.abort.signal.aborted) return;
        try {
          const timeoutMs = this.options.probeTimeoutMs ?? 1000;
          if (this.options.servers) {
            if (await this.options.servers.findLive(timeoutMs)) break;
            continue;
          }
          const leader = await this.consul.status.leader(callTimeout(timeoutMs));
          if (leader) break;
        } catch {
          // Still away: try again after the next backoff step.
        }
      }
    } finally {
      this.probing = false;
    }
    if (this.abort.signal.aborted) return;
    this.goUp('recovered');
    this.startWatch();
  }
}
