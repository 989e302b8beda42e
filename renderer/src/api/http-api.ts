/**
 * The contract over the engine's HTTP server, for a browser: every UI operation of the table
 * becomes a JSON request to its route with `Authorization: Bearer <token>` (a GET carries its
 * request in the query), the push topics arrive on one EventSource, and while that stream is down
 * the client polls the operation that reads each subscribed topic. Built from the table, never
 * listed by hand. Never throws: every failure becomes an ApiResult error that says what to do.
 */
import {
  EVENTS_PATH,
  Emitter,
  OPERATIONS,
  TOPICS,
  TOPIC_NAMES,
  encodeQuery,
  operationsFor,
  settingsSchema,
  type ApiResult,
  type DiscoveryTrayApi,
  type EngineStatus,
  type ExternalRequest,
  type TimelineEvent,
  type TopicListener,
  type TopicName,
  type TopicPayload,
  type UiOperation,
} from '../../../contract/index';
import type { ConnectionAware, ConnectionState } from './connection';

export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export interface HttpApiOptions {
  /** The engine server's origin, e.g. http://127.0.0.1:7311. */
  baseUrl: string;
  token: string | undefined;
  fetch?: typeof fetch;
  EventSource?: new (url: string) => EventSourceLike;
  /** Opens a URL in a new tab (window.open by default). */
  openTab?: (url: string) => void;
  /** Delays, shortened by tests. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  pollIntervalMs?: number;
}

export type HttpApi = DiscoveryTrayApi & ConnectionAware & { close(): void };

const CLOSED = 2;

class HttpTransport {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly EventSourceImpl: (new (url: string) => EventSourceLike) | undefined;
  private readonly topics = new Map<TopicName, Emitter<unknown>>(
    TOPIC_NAMES.map((topic) => [topic, new Emitter<unknown>()]),
  );
  private readonly connectionChanged = new Emitter<{ state: ConnectionState; detail?: string }>();
  private connection: ConnectionState = 'connecting';
  private connectionDetail: string | undefined;
  private source: EventSourceLike | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private reconnectDelay: number;
  private lastSeq = 0;
  lastStatus: EngineStatus | undefined;

  constructor(private readonly options: HttpApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.EventSourceImpl =
      options.EventSource ?? (typeof EventSource === 'undefined' ? undefined : EventSource);
    this.reconnectDelay = this.reconnectMinMs;
  }

  private get reconnectMinMs(): number {
    return this.options.reconnectMinMs ?? 1000;
  }

  /** One operation of the contract, by name. */
  async call(name: UiOperation, request?: unknown): Promise<ApiResult<unknown>> {
    const { method, path } = OPERATIONS[name];
    if (!this.options.token)
      return {
        error: {
          message:
            'This page has no API token. Open the dashboard with the URL that `discovery-tray up` prints (it ends in #token=…).',
          code: 'no-token',
        },
      };
    const withBody = method === 'POST' && request !== undefined;
    let response: Response;
    try {
      response = await this.fetchImpl(
        `${this.baseUrl}${path}${method === 'GET' ? encodeQuery(request) : ''}`,
        {
          method,
          headers: {
            authorization: `Bearer ${this.options.token}`,
            accept: 'application/json',
            ...(withBody ? { 'content-type': 'application/json' } : {}),
          },
          ...(withBody ? { body: JSON.stringify(request) } : {}),
          cache: 'no-store',
          credentials: 'omit',
        },
      );
    } catch (error) {
      return {
        error: {
          message: `Cannot reach the engine at ${this.baseUrl} (${error instanceof Error ? error.message : String(error)}). Is \`discovery-tray up\` still running?`,
          code: 'unreachable',
        },
      };
    }
    let payload: unknown;
    try {
      payload = await response.json();
    } catch {
      return {
        error: {
          message: `The engine answered ${method} ${path} with HTTP ${response.status} and no readable reply.`,
          code: 'bad-response',
        },
      };
    }
    if (!isApiResult(payload))
      return {
        error: {
          message: `The engine answered ${method} ${path} with HTTP ${response.status} in an unknown format.`,
          code: 'bad-response',
        },
      };
    if (name === 'getStatus' && 'result' in payload) this.lastStatus = payload.result as EngineStatus;
    return payload;
  }

  /** In a browser the LB and the Consul UI open in a new tab; only those two URLs. */
  async openExternal(request: ExternalRequest): Promise<ApiResult<null>> {
    const status =
      this.lastStatus ??
      (await this.call('getStatus').then((r) => ('result' in r ? (r.result as EngineStatus) : undefined)));
    const url = request.target === 'lb' ? status?.lb.url : status?.consul.uiUrl;
    if (!url || !/^https?:\/\//.test(url))
      return {
        error: {
          message: `The ${request.target === 'lb' ? 'LB' : 'Consul UI'} URL is not known yet.`,
          code: 'not-ready',
        },
      };
    (this.options.openTab ?? ((href) => window.open(href, '_blank', 'noopener,noreferrer')))(url);
    return { result: null };
  }

  subscribe<T extends TopicName>(topic: T, listener: TopicListener<T>): () => void {
    const off = this.topics.get(topic)!.on(listener as (payload: unknown) => void);
    this.ensureStream();
    return () => {
      off();
      if ([...this.topics.values()].every((emitter) => emitter.size === 0)) this.stopStream();
    };
  }

  onConnection(listener: (state: ConnectionState, detail?: string) => void): () => void {
    listener(this.connection, this.connectionDetail);
    return this.connectionChanged.on(({ state, detail }) => listener(state, detail));
  }

  /** Closes the event stream and stops every timer. */
  close(): void {
    for (const emitter of this.topics.values()) emitter.clear();
    this.stopStream();
  }

  private emit<T extends TopicName>(topic: T, payload: TopicPayload<T>): void {
    if (topic === 'status') this.lastStatus = payload as EngineStatus;
    if (topic === 'timeline')
      for (const event of payload as TimelineEvent[]) this.lastSeq = Math.max(this.lastSeq, event.seq);
    this.topics.get(topic)!.emit(payload);
  }

  private setConnection(state: ConnectionState, detail?: string): void {
    if (state === this.connection && detail === this.connectionDetail) return;
    this.connection = state;
    this.connectionDetail = detail;
    this.connectionChanged.emit(detail === undefined ? { state } : { state, detail });
  }

  private ensureStream(): void {
    if (this.source || this.reconnectTimer) return;
    this.openStream();
  }

  private openStream(): void {
    this.reconnectTimer = undefined;
    if (!this.EventSourceImpl || !this.options.token) {
      this.startPolling();
      return;
    }
    const source = new this.EventSourceImpl(
      `${this.baseUrl}${EVENTS_PATH}?token=${encodeURIComponent(this.options.token)}`,
    );
    this.source = source;
    if (this.connection !== 'polling') this.setConnection('connecting');
    source.onopen = () => {
      this.reconnectDelay = this.reconnectMinMs;
      this.stopPolling();
      this.setConnection('live');
    };
    source.onerror = () => {
      // A network error makes EventSource retry by itself (readyState CONNECTING); an HTTP error
      // (401, 5xx) closes it for good: retry with backoff, and poll meanwhile so that the page
      // stays current.
      this.startPolling();
      if (source.readyState === CLOSED) {
        source.close();
        if (this.source === source) this.source = undefined;
        this.reconnectTimer = setTimeout(() => this.openStream(), this.reconnectDelay);
        this.reconnectDelay = Math.min(this.reconnectDelay * 2, this.options.reconnectMaxMs ?? 15_000);
      }
    };
    for (const topic of TOPIC_NAMES) {
      source.addEventListener(topic, (event) => {
        let payload: unknown;
        try {
          payload = JSON.parse(event.data);
        } catch {
          return;
        }
        if (looksLike(topic, payload)) this.emit(topic, payload as TopicPayload<typeof topic>);
      });
    }
  }

  private stopStream(): void {
    this.source?.close();
    this.source = undefined;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.stopPolling();
  }

  private startPolling(): void {
    if (this.pollTimer) return;
    this.pollTimer = setInterval(() => void this.pollOnce(), this.options.pollIntervalMs ?? 2000);
    void this.pollOnce();
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  /** One round of reads for the subscribed topics; says whether the engine answers at all. */
  private async pollOnce(): Promise<void> {
    const status = await this.call('getStatus');
    if ('error' in status) {
      this.setConnection(
        status.error.code === 'unauthorized' ? 'unauthorized' : 'unreachable',
        status.error.message,
      );
      return;
    }
    if (this.connection !== 'live') this.setConnection('polling');
    this.emit('status', status.result as EngineStatus);
    for (const topic of TOPIC_NAMES) {
      if (topic === 'status' || this.topics.get(topic)!.size === 0) continue;
      const reply = await this.call(
        TOPICS[topic].readBy,
        topic === 'timeline' ? { after: this.lastSeq } : undefined,
      );
      if (!('result' in reply)) continue;
      if (topic === 'timeline' && (reply.result as TimelineEvent[]).length === 0) continue;
      this.emit(topic, reply.result as TopicPayload<typeof topic>);
    }
  }
}

/** The contract for a browser: one function per UI operation, derived from the table. */
export function createHttpApi(options: HttpApiOptions): HttpApi {
  const transport = new HttpTransport(options);
  const calls = Object.fromEntries(
    operationsFor('ui').map((name) => [name, (request?: unknown) => transport.call(name, request)]),
  );
  return {
    ...calls,
    openExternal: (request: ExternalRequest) => transport.openExternal(request),
    subscribe: (topic, listener) => transport.subscribe(topic, listener),
    onConnection: (listener) => transport.onConnection(listener),
    close: () => transport.close(),
  } as HttpApi;
}

function isApiResult(payload: unknown): payload is ApiResult<unknown> {
  if (typeof payload !== 'object' || payload === null) return false;
  if ('result' in payload) return true;
  const error = (payload as { error?: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** A cheap shape check, so that a malformed event can never replace good state. */
function looksLike(topic: TopicName, payload: unknown): boolean {
  if (topic === 'timeline' || topic === 'progress') return Array.isArray(payload);
  if (typeof payload !== 'object' || payload === null) return false;
  if (topic === 'status') return 'state' in payload && 'services' in payload;
  if (topic === 'hits') return Array.isArray((payload as { backends?: unknown }).backends);
  if (topic === 'settings') return settingsSchema.safeParse(payload).success;
  return 'running' in payload;
}
