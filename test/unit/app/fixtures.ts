/** Engine states for the app tests, built from one ready status by small changes. */
import { vi } from 'vitest';
import type {
  EngineStatus,
  HitsSnapshot,
  ScaleResponse,
  TimelineEvent,
  TrafficRequest,
  TrafficStatus,
} from '../../../preload/api.js';
import type { AppEngine, AppView, EngineLike } from '../../../main/app/engine-port.js';

export function webInstances(count: number): EngineStatus['services'][number]['instances'] {
  return Array.from({ length: count }, (_, i) => ({
    id: `host:dt-web-${i + 1}:80`,
    service: 'web',
    containerId: `c${i + 1}`,
    containerName: `dt-web-${i + 1}`,
    address: `172.20.0.${i + 5}`,
    port: 80,
    tags: ['backend'],
    registeredAt: 1_700_000_000_000,
    state: 'serving' as const,
  }));
}

export function readyStatus(web = 1, changes: Partial<EngineStatus> = {}): EngineStatus {
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
    lb: { url: 'http://127.0.0.1:8080', generation: 3 },
    template: { name: 'nginx.ctmpl', dependencies: ['service backend.web'] },
    services: [{ name: 'web', desired: web, running: web, instances: webInstances(web) }],
    scaling: { service: 'web', desired: web, starting: [], draining: [], busy: false, max: 20 },
    warnings: [],
    ...changes,
  };
}

/** The status of an engine that has not started (or has stopped): no parts yet. */
export function idleStatus(state: EngineStatus['state'] = 'starting'): EngineStatus {
  return {
    ...readyStatus(0),
    state,
    docker: { connected: false, endpoint: '/var/run/docker.sock' },
    consul: { connected: false, url: '', uiUrl: '', managed: true },
    lb: { url: 'http://127.0.0.1:8080', generation: 0 },
    services: [],
    scaling: { service: 'web', starting: [], draining: [], busy: false, max: 20 },
  };
}

export function view(phase: AppView['phase'], status: EngineStatus, extra: Partial<AppView> = {}): AppView {
  return { phase, status, stopDemoOnQuit: false, ...extra };
}

/** An EngineLike whose start/stop/scale are spies; status() returns `current`. */
export class FakeEngine implements EngineLike {
  current: EngineStatus = idleStatus();
  readonly listeners = new Set<() => void>();
  readonly timeline = { list: vi.fn((_after?: number): TimelineEvent[] => []) };
  start = vi.fn(() => {
    this.current = readyStatus(1);
    return Promise.resolve();
  });
  stop = vi.fn((_options?: { down?: boolean }) => Promise.resolve());
  scale = vi.fn((service: unknown, count: unknown): Promise<ScaleResponse> =>
    Promise.resolve({
      service: String(service),
      desired: Number(count),
      running: 1,
      superseded: false,
      warnings: [],
    }),
  );
  setTemplate = vi.fn((_source: string) => undefined);
  templateSource = vi.fn(() => '{{range service "backend.web"}}{{end}}');
  status(): EngineStatus {
    return this.current;
  }
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  change(status: EngineStatus): void {
    this.current = status;
    for (const listener of this.listeners) listener();
  }
}

/** An AppEngine whose every method is a spy, for the IPC and batcher tests. */
export function fakeAppEngine(current: AppView = view('ready', readyStatus(1))) {
  const listeners = new Set<() => void>();
  const engine = {
    current,
    view: vi.fn(() => engine.current),
    onChange: vi.fn((listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    emit: () => {
      for (const listener of listeners) listener();
    },
    startDemo: vi.fn(() => Promise.resolve(engine.current.status)),
    stopDemo: vi.fn(() => Promise.resolve(engine.current.status)),
    scale: vi.fn((request: { service: string; count: number }) =>
      Promise.resolve({ ...request, desired: request.count, running: 1, superseded: false, warnings: [] }),
    ),
    timeline: vi.fn((_after: number): TimelineEvent[] => []),
    template: vi.fn(() => ({ name: 'nginx.ctmpl', source: 'x' })),
    setTemplate: vi.fn((_source: string) => engine.current.status),
    hits: vi.fn((): HitsSnapshot => {
      throw new Error('not stubbed');
    }),
    hitsAvailable: vi.fn(() => false),
    traffic: vi.fn((): TrafficStatus => {
      throw new Error('not stubbed');
    }),
    startTraffic: vi.fn<(request: TrafficRequest) => Promise<TrafficStatus>>(),
    stopTraffic: vi.fn<() => Promise<TrafficStatus>>(),
    shutdown: vi.fn(() => Promise.resolve()),
  };
  return engine satisfies AppEngine & { current: AppView; emit(): void };
}
