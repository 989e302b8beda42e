/**
 * Server-Sent Events for browsers: each open /api/events response is one subscriber of the push
 * hub (the same policy as the window's IPC pushes). Bounded: at most MAX_EVENT_CLIENTS streams,
 * and a client that does not read (its socket buffer past MAX_BUFFERED_BYTES) is closed rather
 * than buffered without end; EventSource reconnects by itself and gets the whole picture again.
 */
import type { ServerResponse } from 'node:http';
import type { TopicName, TopicPayload } from '../../contract/index.js';
import type { PushHub, PushSender } from '../service/push-hub.js';

export const MAX_EVENT_CLIENTS = 16;
export const MAX_BUFFERED_BYTES = 1024 * 1024;
/** A comment line now and then keeps proxies and idle timeouts from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly hub: PushHub,
    private readonly limits = { maxClients: MAX_EVENT_CLIENTS, maxBufferedBytes: MAX_BUFFERED_BYTES },
  ) {}

  get clientCount(): number {
    return this.open.size;
  }

  get hasRoom(): boolean {
    return this.open.size < this.limits.maxClients;
  }

  /** Takes over the response: headers, the whole picture, then batched updates until it closes. */
  add(res: ServerResponse, afterSeq?: number): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    res.write('retry: 2000\n\n');
    this.open.add(res);
    const sender: PushSender = {
      send: <T extends TopicName>(topic: T, payload: TopicPayload<T>) => this.write(res, topic, payload),
    };
    const keepalive = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    const detach = this.hub.attach(sender, afterSeq !== undefined ? { afterSeq } : {});
    res.on('close', () => {
      clearInterval(keepalive);
      detach();
      this.open.delete(res);
    });
  }

  /** Ends every stream (the server is closing). */
  close(): void {
    for (const res of [...this.open]) res.end();
    this.open.clear();
  }

  private write(res: ServerResponse, topic: string, payload: unknown): void {
    if (res.writableEnded || res.destroyed) return;
    if (res.writableLength > this.limits.maxBufferedBytes) {
      // A reader this far behind gets nothing more from us; it reconnects and starts over.
      res.destroy();
      return;
    }
    // JSON has no raw newlines, so one `data:` line carries the whole value.
    res.write(`event: ${topic}\ndata: ${JSON.stringify(payload)}\n\n`);
  }
}
