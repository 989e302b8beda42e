/**
 * Server-Sent Events for the browser dashboard: `status`, `hits`, `timeline`
 * and `traffic`, each sent at most once per flush (about once a second) and
 * only when it changed: timeline events are batched into one array, hits and
 * status go as their latest value. One flush timer for all clients, running
 * only while some client listens.
 */
import type { ServerResponse } from 'node:http';
import type { Engine } from '../engine/engine.js';
import type { TimelineEvent } from '../engine/timeline.js';

export const FLUSH_INTERVAL_MS = 1000;
/** A comment line now and then keeps proxies and idle timeouts from closing a quiet stream. */
const KEEPALIVE_EVERY_FLUSHES = 15;

export class EventStreamHub {
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribers: (() => void)[] = [];
  private statusDirty = false;
  private trafficDirty = false;
  private hitsAt = 0;
  private pendingTimeline: TimelineEvent[] = [];
  private flushes = 0;

  constructor(
    private readonly engine: Engine,
    private readonly intervalMs = FLUSH_INTERVAL_MS,
  ) {}

  get clientCount(): number {
    return this.clients.size;
  }

  /** Takes over the response: headers, a first full picture, then batched updates until it closes. */
  add(res: ServerResponse, afterSeq?: number): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    res.write('retry: 2000\n\n');
    this.clients.add(res);
    res.on('close', () => this.remove(res));
    if (this.clients.size === 1) this.startFeeding();
    send(res, 'status', this.engine.status());
    send(res, 'hits', this.engine.hits());
    send(res, 'traffic', this.engine.traffic());
    if (afterSeq !== undefined) {
      const missed = this.engine.timeline.list(afterSeq);
      if (missed.length > 0) send(res, 'timeline', missed);
    }
  }

  /** Ends every stream (the server is closing). */
  close(): void {
    for (const res of [...this.clients]) res.end();
    this.clients.clear();
    this.stopFeeding();
  }

  private remove(res: ServerResponse): void {
    this.clients.delete(res);
    if (this.clients.size === 0) this.stopFeeding();
  }

  private startFeeding(): void {
    this.unsubscribers = [
      this.engine.onChange(() => (this.statusDirty = true)),
      this.engine.onHits((snapshot) => (this.hitsAt = snapshot.at)),
      this.engine.onTraffic(() => (this.trafficDirty = true)),
      this.engine.timeline.subscribe((event) => {
        this.pendingTimeline.push(event);
        // A burst of steps is still one message; keep only what a client could use.
        if (this.pendingTimeline.length > 500)
          this.pendingTimeline.splice(0, this.pendingTimeline.length - 500);
      }),
    ];
    this.timer = setInterval(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  private stopFeeding(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers = [];
    this.pendingTimeline = [];
  }

  private flush(): void {
    const messages: [string, unknown][] = [];
    if (this.statusDirty) {
      this.statusDirty = false;
      messages.push(['status', this.engine.status()]);
    }
    if (this.hitsAt !== 0) {
      this.hitsAt = 0;
      messages.push(['hits', this.engine.hits()]);
    }
    if (this.pendingTimeline.length > 0) {
      messages.push(['timeline', this.pendingTimeline]);
      this.pendingTimeline = [];
    }
    const traffic = this.engine.traffic();
    // While it runs its counts move every second; the start and the end are changes too.
    if (this.trafficDirty || traffic.running) {
      this.trafficDirty = false;
      messages.push(['traffic', traffic]);
    }
    this.flushes++;
    for (const res of this.clients) {
      for (const [event, data] of messages) send(res, event, data);
      if (messages.length === 0 && this.flushes % KEEPALIVE_EVERY_FLUSHES === 0)
        res.write(': keep-alive\n\n');
    }
  }
}

function send(res: ServerResponse, event: string, data: unknown): void {
  // JSON has no raw newlines, so one `data:` line carries the whole value.
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
