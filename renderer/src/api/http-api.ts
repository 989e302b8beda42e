/**
 * DiscoveryTrayApi over the engine's HTTP server (see the mapping in preload/api.ts): JSON
 * requests with `Authorization: Bearer <token>`, ApiResult replies, and one EventSource on
 * /api/events for the pushed updates. Never throws: every failure becomes an ApiResult error
 * with a message that says what to do.
 */
import type {
  ApiResult,
  DiscoveryTrayApi,
  EngineStatus,
  HitsSnapshot,
  ScaleRequest,
  ScaleResponse,
  TemplateView,
  TimelineEvent,
  TrafficRequest,
  TrafficStatus,
} from '../../../preload/api';
import type { ConnectionAware, ConnectionState } from './connection';

type Topic = 'status' | 'hits' | 'timeline' | 'traffic';
interface TopicPayload {
  status: EngineStatus;
  hits: HitsSnapshot;
  timeline: TimelineEvent[];
  traffic: TrafficStatus;
}
type Listener<T extends Topic> = (payload: TopicPayload[T]) => void;

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
  /** Delays, shortened by tests. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  pollIntervalMs?: number;
}

const CLOSED = 2;

export class HttpApi implements DiscoveryTrayApi, ConnectionAware {
  private readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly EventSourceImpl: (new (url: string) => EventSourceLike) | undefined;
  private readonly reconnectMinMs: number;
  private readonly reconnectMaxMs: number;
  private readonly pollIntervalMs: number;

  private readonly listeners: { [T in Topic]: Set<Listener<T>> } = {
    status: new Set(),
    hits: new Set(),
    timeline: new Set(),
    traffic: new Set(),
  };
  private readonly connectionListeners = new Set<(state: ConnectionState, detail?: string) => void>();
  private connection: ConnectionState = 'connecting';
  private connectionDetail: string | undefined;
  private source: EventSourceLike | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private reconnectDelay: number;
  private lastSeq = 0;
  private lastStatus: EngineStatus | undefined;

  constructor(options: HttpApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.token = options.token;
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.EventSourceImpl =
      options.EventSource ?? (typeof EventSource === 'undefined' ? undefined : EventSource);
    this.reconnectMinMs = options.reconnectMinMs ?? 1000;
    this.reconnectMaxMs = options.reconnectMaxMs ?? 15_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.reconnectDelay = this.reconnectMinMs;
  }

  getStatus(): Promise<ApiResult<EngineStatus>> {
    return this.request<EngineStatus>('GET', '/api/status').then((reply) => {
      if ('result' in reply) this.lastStatus = reply.result;
      return reply;
    });
  }
  scale(request: ScaleRequest): Promise<ApiResult<ScaleResponse>> {
    return this.request('POST', '/api/scale', request);
  }
  getHits(): Promise<ApiResult<HitsSnapshot>> {
    return this.request('GET', '/api/hits');
  }
  getTraffic(): Promise<ApiResult<TrafficStatus>> {
    return this.request('GET', '/api/traffic');
  }
  startTraffic(request: TrafficRequest): Promise<ApiResult<TrafficStatus>> {
    return this.request('POST', '/api/traffic', request);
  }
  stopTraffic(): Promise<ApiResult<TrafficStatus>> {
    return this.request('POST', '/api/traffic/stop');
  }
  getTimeline(afterSeq?: number): Promise<ApiResult<TimelineEvent[]>> {
    const query = afterSeq !== undefined ? `?after=${encodeURIComponent(String(afterSeq))}` : '';
    return this.request('GET', `/api/timeline${query}`);
  }
  getTemplate(): Promise<ApiResult<TemplateView>> {
    return this.request('GET', '/api/template');
  }
  setTemplate(source: string): Promise<ApiResult<EngineStatus>> {
    return this.request('POST', '/api/template', { source });
  }
  startDemo(): Promise<ApiResult<EngineStatus>> {
    return this.request('POST', '/api/demo/start');
  }
  stopDemo(): Promise<ApiResult<EngineStatus>> {
    return this.request('POST', '/api/demo/stop');
  }

  /** In a browser the LB and the Consul UI open in a new tab; only those two URLs. */
  async openExternal(target: 'lb' | 'consul-ui'): Promise<ApiResult<null>> {
    const status =
      this.lastStatus ?? (await this.getStatus().then((r) => ('result' in r ? r.result : undefined)));
    const url = target === 'lb' ? status?.lb.url : status?.consul.uiUrl;
    if (!url || !/^https?:\/\//.test(url))
      return {
        error: {
          message: `The ${target === 'lb' ? 'LB' : 'Consul UI'} URL is not known yet.`,
          code: 'unknown-url',
        },
      };
    window.open(url, '_blank', 'noopener,noreferrer');
    return { result: null };
  }

  onStatus(listener: (status: EngineStatus) => void): () => void {
    return this.subscribe('status', listener);
  }
  onHits(listener: (hits: HitsSnapshot) => void): () => void {
    return this.subscribe('hits', listener);
  }
  onTimeline(listener: (events: TimelineEvent[]) => void): () => void {
    return this.subscribe('timeline', listener);
  }
  onTraffic(listener: (traffic: TrafficStatus) => void): () => void {
    return this.subscribe('traffic', listener);
  }

  onConnection(listener: (state: ConnectionState, detail?: string) => void): () => void {
    this.connectionListeners.add(listener);
    listener(this.connection, this.connectionDetail);
    return () => this.connectionListeners.delete(listener);
  }

  /** Closes the event stream and stops every timer. */
  close(): void {
    for (const set of Object.values(this.listeners)) set.clear();
    this.stopStream();
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiResult<T>> {
    if (!this.token)
      return {
        error: {
          message:
            'This page has no API token. Open the dashboard with the URL that `discovery-tray up` prints (it ends in ?token=…).',
          code: 'no-token',
        },
      };
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        cache: 'no-store',
        credentials: 'omit',
      });
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
    if (isApiResult<T>(payload)) return payload;
    return {
      error: {
        message: `The engine answered ${method} ${path} with HTTP ${response.status} in an unknown format.`,
        code: 'bad-response',
      },
    };
  }

  private subscribe<T extends Topic>(topic: T, listener: Listener<T>): () => void {
    const set = this.listeners[topic] as Set<Listener<T>>;
    set.add(listener);
    this.ensureStream();
    return () => {
      set.delete(listener);
      if (Object.values(this.listeners).every((s) => s.size === 0)) this.stopStream();
    };
  }

  private emit<T extends Topic>(topic: T, payload: TopicPayload[T]): void {
    if (topic === 'status') this.lastStatus = payload as EngineStatus;
    if (topic === 'timeline') {
      for (const event of payload as TimelineEvent[]) this.lastSeq = Math.max(this.lastSeq, event.seq);
    }
    for (const listener of this.listeners[topic] as Set<Listener<T>>) listener(payload);
  }

  private setConnection(state: ConnectionState, detail?: string): void {
    if (state === this.connection && detail === this.connectionDetail) return;
    this.connection = state;
    this.connectionDetail = detail;
    for (const listener of this.connectionListeners) listener(state, detail);
  }

  private ensureStream(): void {
    if (this.source || this.reconnectTimer) return;
    this.openStream();
  }

  private openStream(): void {
    this.reconnectTimer = undefined;
    if (!this.EventSourceImpl || !this.token) {
      this.startPolling();
      return;
    }
    const url = `${this.baseUrl}/api/events?token=${encodeURIComponent(this.token)}`;
    const source = new this.EventSourceImpl(url);
    this.source = source;
    if (this.connection !== 'polling') this.setConnection('connecting');
    source.onopen = () => {
      this.reconnectDelay = this.reconnectMinMs;
      this.stopPolling();
      this.setConnection('live');
    };
    source.onerror = () => {
      // A network error makes EventSource retry by itself (readyState CONNECTING); an HTTP error
      // (404 before the route exists, 401, 5xx) closes it for good: retry with backoff, and poll
      // meanwhile so that the page stays current.
      this.startPolling();
      if (source.readyState === CLOSED) {
        source.close();
        if (this.source === source) this.source = undefined;
        this.reconnectTimer = setTimeout(() => this.openStream(), this.reconnectDelay);
        this.reconnectDelay = Math.min(this.reconnectDelay * 2, this.reconnectMaxMs);
      }
    };
    for (const topic of ['status', 'hits', 'timeline', 'traffic'] as const) {
      source.addEventListener(topic, (event) => {
        let payload: unknown;
        try {
          payload = JSON.parse(event.data);
        } catch {
          return;
        }
        if (looksLike(topic, payload)) this.emit(topic, payload as TopicPayload[typeof topic]);
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
    this.pollTimer = setInterval(() => void this.pollOnce(), this.pollIntervalMs);
    void this.pollOnce();
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  /** One round of GETs for the subscribed topics; says whether the engine answers at all. */
  private async pollOnce(): Promise<void> {
    const status = await this.getStatus();
    if ('error' in status) {
      this.setConnection(
        status.error.code === 'unauthorized' ? 'unauthorized' : 'unreachable',
        status.error.message,
      );
      return;
    }
    if (this.connection !== 'live') this.setConnection('polling');
    this.emit('status', status.result);
    if (this.listeners.timeline.size > 0) {
      const timeline = await this.getTimeline(this.lastSeq);
      if ('result' in timeline && timeline.result.length > 0) this.emit('timeline', timeline.result);
    }
    if (this.listeners.hits.size > 0) {
      const hits = await this.getHits();
      if ('result' in hits) this.emit('hits', hits.result);
    }
    if (this.listeners.traffic.size > 0) {
      const traffic = await this.getTraffic();
      if ('result' in traffic) this.emit('traffic', traffic.result);
    }
  }
}

function isApiResult<T>(payload: unknown): payload is ApiResult<T> {
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
function looksLike(topic: Topic, payload: unknown): boolean {
  if (topic === 'timeline') return Array.isArray(payload);
  if (typeof payload !== 'object' || payload === null) return false;
  if (topic === 'status') return 'state' in payload && 'services' in payload;
  if (topic === 'hits') return Array.isArray((payload as { backends?: unknown }).backends);
  return 'running' in payload;
}
