/**
 * A controllable DiscoveryTrayApi for component tests: every call is a vi.fn with a sensible
 * default reply, and `push*` feeds the subscribers as the engine would.
 */
import { vi, type Mock } from 'vitest';
import type {
  ApiResult,
  BackendHits,
  DiscoveryTrayApi,
  EngineStatus,
  HitsSnapshot,
  InstanceView,
  TimelineEvent,
  TrafficStatus,
} from '../../../preload/api';

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
  pushStatus(status: EngineStatus): void;
  pushHits(hits: HitsSnapshot): void;
  pushTimeline(events: TimelineEvent[]): void;
  pushTraffic(traffic: TrafficStatus): void;
  listenerCount(): number;
}

/** Every contract method is a vi.fn (a property, so `expect(api.scale)` is fine unbound). */
export type ApiStub = { [K in keyof DiscoveryTrayApi]: Mock<DiscoveryTrayApi[K]> } & StubControls;

const ok = <T>(result: T): Promise<ApiResult<T>> => Promise.resolve({ result });

export function createApiStub(
  initial: { status?: EngineStatus; hits?: HitsSnapshot; timeline?: TimelineEvent[] } = {},
): ApiStub {
  let status = initial.status ?? engineStatus();
  const listeners = {
    status: new Set<(s: EngineStatus) => void>(),
    hits: new Set<(h: HitsSnapshot) => void>(),
    timeline: new Set<(t: TimelineEvent[]) => void>(),
    traffic: new Set<(t: TrafficStatus) => void>(),
  };
  function on<T>(set: Set<(v: T) => void>, listener: (v: T) => void): () => void {
    set.add(listener);
    return () => set.delete(listener);
  }
  const stub: ApiStub = {
    getStatus: vi.fn(() => ok(status)),
    scale: vi.fn((req: { service: string; count: number }) =>
      ok({ service: req.service, desired: req.count, running: req.count, superseded: false, warnings: [] }),
    ),
    getHits: vi.fn(() => ok(initial.hits ?? hitsSnapshot(Date.now(), []))),
    getTraffic: vi.fn(() => ok(idleTraffic)),
    startTraffic: vi.fn((req: { ratePerSecond: number; durationSeconds: number }) =>
      ok({ ...idleTraffic, running: true, ratePerSecond: req.ratePerSecond }),
    ),
    stopTraffic: vi.fn(() => ok(idleTraffic)),
    getTimeline: vi.fn(() => ok(initial.timeline ?? [])),
    getTemplate: vi.fn(() =>
      ok({
        name: 'nginx.ctmpl',
        source: 'upstream app {\n{{range service "backend.web"}}  server {{.Address}}:{{.Port}};\n{{end}}}\n',
      }),
    ),
    setTemplate: vi.fn(() => ok(status)),
    startDemo: vi.fn(() => ok(status)),
    stopDemo: vi.fn(() => ok(status)),
    openExternal: vi.fn(() => ok(null)),
    onStatus: vi.fn((l: (s: EngineStatus) => void) => on(listeners.status, l)),
    onHits: vi.fn((l: (h: HitsSnapshot) => void) => on(listeners.hits, l)),
    onTimeline: vi.fn((l: (t: TimelineEvent[]) => void) => on(listeners.timeline, l)),
    onTraffic: vi.fn((l: (t: TrafficStatus) => void) => on(listeners.traffic, l)),
    pushStatus(next: EngineStatus) {
      status = next;
      for (const l of listeners.status) l(next);
    },
    pushHits(hits: HitsSnapshot) {
      for (const l of listeners.hits) l(hits);
    },
    pushTimeline(events: TimelineEvent[]) {
      for (const l of listeners.timeline) l(events);
    },
    pushTraffic(traffic: TrafficStatus) {
      for (const l of listeners.traffic) l(traffic);
    },
    listenerCount() {
      return Object.values(listeners).reduce((n, s) => n + s.size, 0);
    },
  };
  return stub;
}
