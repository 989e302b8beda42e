/** Engine states and a stand-in engine for the app and service tests, built from one ready status by small changes. */
import { vi } from 'vitest';
import {
  DEFAULT_SETTINGS,
  Emitter,
  type EngineStatus,
  type HitsSnapshot,
  type ScaleResponse,
} from '../../../contract/index.js';
import type { TrayState } from '../../../main/app/tray-menu.js';
import type { EngineParts } from '../../../main/engine/engine.js';
import { ProgressBoard } from '../../../main/engine/stack/progress-board.js';
import { Timeline } from '../../../main/engine/timeline.js';
import { TrafficGenerator } from '../../../main/engine/traffic/traffic-generator.js';
import type { EngineRuntime } from '../../../main/service/discovery-service.js';

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

const IDLE_TRAFFIC = { running: false, sent: 0, succeeded: 0, failed: 0, byBackend: {} };

export function trayState(
  phase: TrayState['phase'],
  status: EngineStatus,
  extra: Partial<TrayState> = {},
): TrayState {
  return {
    phase,
    status,
    traffic: IDLE_TRAFFIC,
    settings: { ...DEFAULT_SETTINGS },
    stopDemoOnQuit: false,
    locale: 'en',
    systemLocale: 'en',
    ...extra,
  };
}

/**
 * The engine as the application service sees it (EngineRuntime: the Engine class's own shape),
 * with spies for start/stop and the parts the service reaches into (scaler, template loop).
 * Its timeline and traffic generator are the real ones; the generator is never started here.
 */
export class FakeRuntime implements EngineRuntime {
  readonly timeline = new Timeline();
  readonly changed = new Emitter<void>();
  readonly hitsChanged = new Emitter<HitsSnapshot>();
  readonly traffic = new TrafficGenerator(() => 'http://127.0.0.1:9/');
  readonly images = new ProgressBoard();
  current: EngineStatus = idleStatus();
  private started = false;
  readonly scaler = {
    scale: vi.fn((service: string, count: number): Promise<ScaleResponse> =>
      Promise.resolve({ service, desired: count, running: count, superseded: false, warnings: [] }),
    ),
  };
  readonly loop = {
    templateSource: '{{range service "backend.web"}}{{end}}',
    status: () => ({ templateName: 'nginx.ctmpl' }),
    setTemplate: vi.fn((_source: string) => undefined),
  };
  start = vi.fn(() => {
    this.started = true;
    this.current = readyStatus(1);
    return Promise.resolve();
  });
  stop = vi.fn((_options?: { down?: boolean }) => {
    this.started = false;
    return Promise.resolve();
  });
  removeStack = vi.fn(() => Promise.resolve(3));

  get parts(): EngineParts | undefined {
    return this.started ? ({ scaler: this.scaler, loop: this.loop } as unknown as EngineParts) : undefined;
  }

  status(): EngineStatus {
    return this.current;
  }

  /** The engine's status changed (as a registration or a reload would). */
  change(status: EngineStatus): void {
    this.current = status;
    this.changed.emit();
  }
}
