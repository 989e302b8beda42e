/**
 * Pushes the engine's state to the dashboard about once a second, coalesced:
 * many changes within a second become one status message; timeline events
 * go as one array; hits and traffic as their latest snapshot. Nothing is sent
 * until the window can receive it, and nothing is lost meanwhile.
 */
import type { HitsSnapshot, TrafficStatus } from '../../preload/api.js';
import type { AppEngine } from './engine-port.js';
import { EVENTS, type EventChannel } from './ipc-channels.js';

export const EVENT_INTERVAL_MS = 1000;

export interface EventTarget {
  /** False until the page has loaded (and after the window is gone). */
  canSend(): boolean;
  send(channel: EventChannel, payload: unknown): void;
}

export class EventBatcher {
  private statusDirty = true;
  private lastSeq = 0;
  private lastHitsAt: number | undefined;
  private lastTraffic: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly engine: AppEngine,
    private readonly target: EventTarget,
    private readonly intervalMs = EVENT_INTERVAL_MS,
  ) {}

  start(): void {
    this.unsubscribe = this.engine.onChange(() => (this.statusDirty = true));
    this.timer = setInterval(() => this.flush(), this.intervalMs);
  }

  /** The page was (re)loaded: it has nothing, so the next flush sends everything again. */
  resync(): void {
    this.statusDirty = true;
    this.lastSeq = 0;
    this.lastHitsAt = undefined;
    this.lastTraffic = undefined;
  }

  flush(): void {
    if (!this.target.canSend()) return;
    if (this.statusDirty) {
      this.statusDirty = false;
      this.target.send(EVENTS.status, this.engine.view().status);
    }
    const events = this.engine.timeline(this.lastSeq);
    const last = events.at(-1);
    if (last) {
      this.lastSeq = last.seq;
      this.target.send(EVENTS.timeline, events);
    }
    if (this.engine.hitsAvailable()) {
      const hits: HitsSnapshot = this.engine.hits();
      if (hits.at !== this.lastHitsAt) {
        this.lastHitsAt = hits.at;
        this.target.send(EVENTS.hits, hits);
      }
    }
    const traffic: TrafficStatus | undefined = this.engine.view().traffic;
    if (traffic) {
      const key = JSON.stringify(traffic);
      if (key !== this.lastTraffic) {
        this.lastTraffic = key;
        this.target.send(EVENTS.traffic, traffic);
      }
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
  }
}
