/**
 * A controllable DiscoveryTrayApi for component tests: every call is a vi.fn with a sensible
 * default reply, and `push*` feeds the subscribers as the engine would.
 */
import { vi, type Mock } from 'vitest';
import {
  DEFAULT_SETTINGS,
  Emitter,
  TOPIC_NAMES,
  operationsFor,
  type ApiResult,
  type BackendHits,
  type DiscoveryTrayApi,
  type EngineStatus,
  type HitsSnapshot,
  type InstanceView,
  type RequestOf,
  type ResultOf,
  type Settings,
  type TimelineEvent,
  type TopicName,
  type TopicPayload,
  type TrafficStatus,
  type UiOperation,
} from '../../../contract/index';

export function instance(n: number, overrides: Partial<InstanceView> = {}): InstanceView {
  return {
    id: `host:dt-web-${n}:80`,
    service: 'web',
    containerId: `c${n}`.padEnd(64, '0'),
    containerName: `dt-web-${n}`,
    address: `172.18.0.${n + 4}`,
    port: 80,
    tags: ['backend'],
    registeredAt: Date.UTC(2026, 10, 28, 10, 0, n),
    state: 'serving',
    ...overrides,
  };
}

export function engineStatus(
  overrides: Partial<EngineStatus> = {},
  web: InstanceView[] = [instance(1)],
): EngineStatus {
  return {
    state: 'ready',
    adopted: false,
    docker: { connected: true, endpoint: '/var/run/docker.sock', version: '20.10.24' },
    consul: {
      connected: true,
      url: 'http://127.0.0.1:8500',
      uiUrl: 'http://127.0.0.1:8500/ui/',
      managed: true,
    },
    lb: {
      url: 'http://127.0.0.1:8080',
      generation: 2,
      config: 'upstream app {\n  least_conn;\n  server 172.18.0.5:80;\n}\n',
      previousConfig: 'upstream app {\n  least_conn;\n  server 127.0.0.1:65535; # force a 502\n}\n',
      appliedAt: Date.UTC(2026, 10, 28, 10, 0, 5),
    },
    template: { name: 'nginx.ctmpl', dependencies: ['service backend.web'] },
    services: [
      {
        name: 'web',
        desired: web.filter((i) => i.state !== 'draining').length,
        running: web.filter((i) => i.state !== 'draining').length,
        instances: web,
      },
    ],
    scaling: { service: 'web', desired: web.length, starting: [], draining: [], busy: false, max: 20 },
    warnings: [],
    ...overrides,
  };
}

export function backendHits(
  address: string,
  series: number[],
  overrides: Partial<BackendHits> = {},
): BackendHits {
  const full = [...Array<number>(Math.max(0, 60 - series.length)).fill(0), ...series].slice(-60);
  return {
    address,
    total: full.reduce((a, b) => a + b, 0),
    perSecond: full[59] ?? 0,
    share: 0,
    series: full,
    ...overrides,
  };
}

export function hitsSnapshot(at: number, backends: BackendHits[], recent: string[] = []): HitsSnapshot {
  return { at, source: 'web-logs', backends, recent };
}

export const idleTraffic: TrafficStatus = { running: false, sent: 0, succeeded: 0, failed: 0, byBackend: {} };

export interface StubControls {
  /** Feeds a topic's subscribers, as the engine's pushes would. */
  push<T extends TopicName>(topic: T, payload: TopicPayload<T>): void;
  pushStatus(status: EngineStatus): void;
  pushHits(hits: HitsSnapshot): void;
  pushTimeline(events: TimelineEvent[]): void;
  pushTraffic(traffic: TrafficStatus): void;
  listenerCount(): number;
}

/** Every contract call is a vi.fn (a property, so `expect(api.scale)` is fine unbound). */
export type ApiStub = { [K in keyof DiscoveryTrayApi]: Mock<DiscoveryTrayApi[K]> } & StubControls;

const ok = <T>(result: T): Promise<ApiResult<T>> => Promise.resolve({ result });

type Replies = { [K in UiOperation]?: (request: RequestOf<K>) => ResultOf<K> };

/**
 * A stub of the whole contract, built from the operation table: each call answers what `replies`
 * (or the defaults below) say, and an operation with no reply answers "not available", so a new
 * operation needs no change here until a test cares about it.
 */
export function createApiStub(
  initial: { status?: EngineStatus; hits?: HitsSnapshot; timeline?: TimelineEvent[] } = {},
  replies: Replies = {},
): ApiStub {
  let status = initial.status ?? engineStatus();
  let settings: Settings = { ...DEFAULT_SETTINGS };
  const emitters = new Map(TOPIC_NAMES.map((topic) => [topic, new Emitter<unknown>()]));
  const defaults: Replies = {
    getStatus: () => status,
    scale: (req) => ({
      service: req.service,
      desired: req.count,
      running: req.count,
      superseded: false,
      warnings: [],
    }),
    getHits: () => initial.hits ?? hitsSnapshot(Date.now(), []),
    getTraffic: () => idleTraffic,
    startTraffic: (req) => ({ ...idleTraffic, running: true, ratePerSecond: req.ratePerSecond }),
    stopTraffic: () => idleTraffic,
    getTimeline: () => initial.timeline ?? [],
    getTemplate: () => ({
      name: 'nginx.ctmpl',
      source: 'upstream app {\n{{range service "backend.web"}}  server {{.Address}}:{{.Port}};\n{{end}}}\n',
    }),
    setTemplate: () => status,
    startDemo: () => status,
    stopDemo: () => status,
    openExternal: () => null,
    getSettings: () => settings,
    updateSettings: (patch) => (settings = { ...settings, ...patch }),
    ...replies,
  };
  const calls = Object.fromEntries(
    operationsFor('ui', 'desktop').map((name) => {
      const reply = defaults[name] as ((request: unknown) => unknown) | undefined;
      return [
        name,
        vi.fn((request?: unknown) =>
          reply
            ? ok(reply(request))
            : Promise.resolve({ error: { code: 'not-available', message: `${name} is not stubbed` } }),
        ),
      ];
    }),
  );
  const push = <T extends TopicName>(topic: T, payload: TopicPayload<T>): void => {
    if (topic === 'status') status = payload as EngineStatus;
    emitters.get(topic)!.emit(payload);
  };
  return {
    ...calls,
    subscribe: vi.fn((topic: TopicName, listener: (payload: never) => void) =>
      emitters.get(topic)!.on(listener as (payload: unknown) => void),
    ),
    push,
    pushStatus: (next: EngineStatus) => push('status', next),
    pushHits: (hits: HitsSnapshot) => push('hits', hits),
    pushTimeline: (events: TimelineEvent[]) => push('timeline', events),
    pushTraffic: (traffic: TrafficStatus) => push('traffic', traffic),
    listenerCount: () => [...emitters.values()].reduce((n, emitter) => n + emitter.size, 0),
  } as unknown as ApiStub;
}
