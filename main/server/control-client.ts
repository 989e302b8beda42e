/** The CLI's side of the control API: find the running engine, call it. */
import type { ApiResult } from '../../preload/api.js';
import { loadEndpoint, type EngineEndpoint } from './state-file.js';
import { timeoutSignal } from '../engine/timeout-signal.js';

export class NoEngineError extends Error {
  constructor() {
    super('No Discovery Tray engine is running. Start one with: discovery-tray up');
  }
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export class ControlClient {
  private constructor(private readonly endpoint: EngineEndpoint) {}

  /** The running engine, or NoEngineError when there is none (or it died). */
  static async connect(): Promise<ControlClient> {
    const endpoint = await loadEndpoint();
    if (!endpoint) throw new NoEngineError();
    const client = new ControlClient(endpoint);
    try {
      await client.call('GET', '/api/status');
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new NoEngineError();
    }
    return client;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.endpoint.port}`;
  }

  /**
   * Follows GET /api/events (Server-Sent Events) until `signal` aborts or the
   * engine goes; calls `onEvent` with each event's name and parsed data.
   */
  async events(onEvent: (event: string, data: unknown) => void, signal: AbortSignal): Promise<void> {
    const response = await fetch(`${this.baseUrl}/api/events`, {
      headers: { authorization: `Bearer ${this.endpoint.token}`, accept: 'text/event-stream' },
      signal,
    });
    if (!response.ok || !response.body) {
      const payload = (await response.json().catch(() => undefined)) as ApiResult<unknown> | undefined;
      const message = payload && 'error' in payload ? payload.error.message : `HTTP ${response.status}`;
      throw new ApiError(message, 'events-refused', response.status);
    }
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        buffered += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) onEvent(event, JSON.parse(data) as unknown);
        }
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }

  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = 120_000): Promise<T> {
    const timeout = timeoutSignal(timeoutMs);
    let payload: ApiResult<T>;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.endpoint.token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: timeout.signal,
      });
      payload = (await response.json()) as ApiResult<T>;
    } finally {
      timeout.clear();
    }
    if ('error' in payload) throw new ApiError(payload.error.message, payload.error.code, response.status);
    return payload.result;
  }
}
