/** The CLI's side of the control API: find the running engine, call its operations by name. */
import {
  EVENTS_PATH,
  OPERATIONS,
  encodeQuery,
  isErrorCode,
  isTopicName,
  type ApiResult,
  type ErrorCode,
  type HttpOperation,
  type RequestOf,
  type ResultOf,
  type TopicName,
} from '../../contract/index.js';
import { timeoutSignal } from '../engine/timeout-signal.js';
import { loadEndpoint, type EngineEndpoint } from './state-file.js';
import { sseFrames } from './sse-frames.js';

export class NoEngineError extends Error {
  constructor() {
    super('No Discovery Tray engine is running. Start one with: discovery-tray up');
  }
}

/** An engine's refusal, with the contract's code (which decides the exit code). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
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
      await client.call('getStatus');
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new NoEngineError();
    }
    return client;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.endpoint.port}`;
  }

  /** Calls one operation of the contract; its refusal is thrown as an ApiError. */
  async call<K extends HttpOperation>(
    name: K,
    ...args: RequestOf<K> extends undefined ? [] : [RequestOf<K>, number?]
  ): Promise<ResultOf<K>> {
    const [request, timeoutMs = 120_000] = args as [unknown, number?];
    const { method, path } = OPERATIONS[name];
    const timeout = timeoutSignal(timeoutMs);
    let payload: ApiResult<ResultOf<K>>;
    try {
      const query = method === 'GET' ? encodeQuery(request) : '';
      const response = await fetch(`${this.baseUrl}${path}${query}`, {
        method,
        headers: {
          authorization: `Bearer ${this.endpoint.token}`,
          ...(method === 'POST' && request !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(method === 'POST' && request !== undefined ? { body: JSON.stringify(request) } : {}),
        signal: timeout.signal,
      });
      payload = (await response.json()) as ApiResult<ResultOf<K>>;
    } finally {
      timeout.clear();
    }
    if ('error' in payload)
      throw new ApiError(
        payload.error.message,
        isErrorCode(payload.error.code) ? payload.error.code : 'bad-response',
      );
    return payload.result;
  }

  /**
   * Follows the event stream (Server-Sent Events) until `signal` aborts or the engine goes;
   * calls `onEvent` with each topic and its parsed payload.
   */
  async events(onEvent: (topic: TopicName, data: unknown) => void, signal: AbortSignal): Promise<void> {
    const response = await fetch(`${this.baseUrl}${EVENTS_PATH}`, {
      headers: { authorization: `Bearer ${this.endpoint.token}`, accept: 'text/event-stream' },
      signal,
    });
    if (!response.ok || !response.body) {
      const payload = (await response.json().catch(() => undefined)) as ApiResult<unknown> | undefined;
      if (payload && 'error' in payload) throw new ApiError(payload.error.message, payload.error.code);
      throw new ApiError(`The event stream answered HTTP ${response.status}.`, 'bad-response');
    }
    try {
      for await (const { event, data } of sseFrames(response.body as AsyncIterable<Uint8Array>)) {
        if (isTopicName(event)) onEvent(event, JSON.parse(data) as unknown);
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }
}
