/**
 * Follows Docker's container event stream and never lets it go: when the
 * stream breaks (engine restart, proxy cut, socket hiccup) it reconnects with
 * backoff and resumes from the last event's time, so a start or stop during
 * the gap is still delivered; events seen twice across the seam are dropped.
 * After each reconnect the owner is told to resync, in case the engine's
 * event buffer itself lost something.
 */
import type Dockerode from 'dockerode';
import type { Readable } from 'node:stream';
import { Backoff, delay } from '../backoff.js';
import { errorMessage } from '../errors.js';

export interface ContainerEvent {
  /** Full container ID. */
  id: string;
  /** Docker's action: start, die, stop, kill, destroy, "health_status: healthy", … */
  action: string;
  attributes: Record<string, string>;
  /** Engine time of the event in epoch nanoseconds. */
  timeNano: bigint;
}

interface RawDockerEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number | string;
}

export interface DockerEventFollowerOptions {
  onEvent: (event: ContainerEvent) => void;
  onConnectionChange?: (connected: boolean, error?: string) => void;
  /** Called after a broken stream is back, so the owner can resync. */
  onReconnected?: () => void;
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

const SEEN_KEYS_KEPT = 1000;

export function parseDockerEvent(raw: RawDockerEvent): ContainerEvent | undefined {
  if (raw.Type !== undefined && raw.Type !== 'container') return undefined;
  const id = raw.Actor?.ID ?? raw.id;
  const action = raw.Action ?? raw.status;
  if (!id || !action) return undefined;
  const timeNano =
    raw.timeNano !== undefined ? BigInt(raw.timeNano) : BigInt(Math.round((raw.time ?? 0) * 1e9));
  return { id, action, attributes: raw.Actor?.Attributes ?? {}, timeNano };
}

/** Docker's `since` takes "seconds.nanoseconds". */
export function sinceParameter(timeNano: bigint): string {
  const seconds = timeNano / 1_000_000_000n;
  const nanos = timeNano % 1_000_000_000n;
  return `${seconds}.${nanos.toString().padStart(9, '0')}`;
}

export class DockerEventFollower {
  private stream: Readable | undefined;
  private readonly abort = new AbortController();
  private lastTimeNano: bigint | undefined;
  private readonly seen = new Set<string>();
  private readonly backoff: Backoff;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly docker: Dockerode,
    private readonly options: DockerEventFollowerOptions,
  ) {
    this.backoff = new Backoff({
      initialMs: options.retryDelayMs ?? 200,
      maxMs: options.maxRetryDelayMs ?? 5000,
    });
  }

  /** Connects once (throws if the engine is not there), then follows in the background. */
  async start(): Promise<void> {
    this.running = true;
    const first = await this.connect();
    this.loop = this.follow(first);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    this.stream?.destroy();
    await this.loop;
  }

  private async connect(): Promise<Readable> {
    // Without a last event, resume from a little before now: duplicates are dropped anyway.
    const since = this.lastTimeNano ?? BigInt(Date.now() - 1000) * 1_000_000n;
    const stream = (await this.docker.getEvents({
      since: sinceParameter(since),
      filters: { type: ['container'] },
      abortSignal: this.abort.signal,
    } as unknown as Dockerode.GetEventsOptions)) as unknown as Readable;
    this.stream = stream;
    return stream;
  }

  private async follow(stream: Readable): Promise<void> {
    let current: Readable | undefined = stream;
    for (;;) {
      if (current) {
        this.options.onConnectionChange?.(true);
        const error = await this.consume(current);
        if (!this.running) return;
        this.options.onConnectionChange?.(false, error);
        current = undefined;
      }
      await delay(this.backoff.next(), this.abort.signal);
      if (!this.running) return;
      try {
        current = await this.connect();
        this.backoff.reset();
        this.options.onReconnected?.();
      } catch (error) {
        if (!this.running) return;
        this.options.onConnectionChange?.(false, errorMessage(error));
      }
    }
  }

  /** Reads the stream until it ends; resolves with the reason it ended. */
  private consume(stream: Readable): Promise<string> {
    return new Promise((resolve) => {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (line) this.handleLine(line);
        }
      });
      const finish = (reason: string): void => {
        stream.removeAllListeners();
        stream.on('error', () => undefined);
        resolve(reason);
      };
      stream.once('end', () => finish('the Docker event stream ended'));
      stream.once('close', () => finish('the Docker event stream closed'));
      stream.once('error', (error: Error) => finish(`the Docker event stream failed: ${error.message}`));
    });
  }

  private handleLine(line: string): void {
    let event: ContainerEvent | undefined;
    try {
      const raw = JSON.parse(line) as RawDockerEvent;
      // timeNano exceeds 2^53: take its digits from the text, not the parsed number.
      const exactNano = /"timeNano":(\d+)/.exec(line)?.[1];
      if (exactNano) raw.timeNano = exactNano;
      event = parseDockerEvent(raw);
    } catch {
      return;
    }
    if (!event) return;
    const key = `${event.timeNano}|${event.id}|${event.action}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (this.seen.size > SEEN_KEYS_KEPT) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    if (this.lastTimeNano === undefined || event.timeNano > this.lastTimeNano)
      this.lastTimeNano = event.timeNano;
    this.options.onEvent(event);
  }
}
