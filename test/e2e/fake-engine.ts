/**
 * A stand-in engine for the dashboard's browser path: the real control server (routes, token,
 * Host/Origin checks, static files, Server-Sent Events through the real push hub), in front of
 * handlers that make up their data instead of asking Docker. The HTTP shape therefore cannot
 * drift from what the real engine answers: only the data is fake. No Docker needed.
 */
import {
  BUILTIN_TEMPLATE_NAMES,
  Emitter,
  type EngineStatus,
  type Handlers,
  type HitsSnapshot,
  type InstanceView,
  type TimelineEvent,
  type TopicName,
  type TrafficStatus,
} from '../../contract/index.js';
import { ControlServer } from '../../main/server/control-server.js';
import { PushHub } from '../../main/service/push-hub.js';
import { SettingsStore } from '../../main/service/settings-store.js';

export interface FakeEngine {
  url: string;
  token: string;
  scaleCalls: number[];
  /** Scales as the dashboard's scale card would (the load tool's scale step under the page). */
  scale(count: number): void;
  close(): Promise<void>;
}

/** Registration times stay put across status pushes, as the real engine's do. */
const REGISTERED_AT = Date.now();

function web(n: number, state: InstanceView['state'] = 'serving'): InstanceView {
  return {
    id: `fake:web-${n}:80`,
    service: 'web',
    containerId: `container-${n}`,
    containerName: `web-${n}`,
    address: `10.0.0.${n + 1}`,
    port: 80,
    tags: ['backend'],
    registeredAt: REGISTERED_AT + n,
    state,
  };
}

export interface FakeEngineOptions {
  /** Web backends running from the start (1: the browser path test scales up itself). */
  backends?: number;
  /** Requests a second spread round robin over the backends, as the LB would. */
  requestsPerSecond?: number;
  /** Push a fresh status every second too, as a busy engine does (health, scaling). */
  statusEverySecond?: boolean;
}

export async function startFakeEngine(
  distRoot: string,
  token: string,
  options: FakeEngineOptions = {},
): Promise<FakeEngine> {
  const scaleCalls: number[] = [];
  const changed = new Emitter<TopicName>();
  let count = options.backends ?? 1;
  const perSecond = options.requestsPerSecond ?? 6;
  let seq = 0;
  const timeline: TimelineEvent[] = [];
  const series = new Map<string, number[]>();
  const recent: string[] = [];
  let sent = 0;
  // The real settings rules (validation, pushes), kept in memory.
  const settings = new SettingsStore();
  settings.changed.on(() => changed.emit('settings'));

  /** A container's start and registration, as the timeline shows them. */
  const started = (n: number): void => {
    const at = Date.now();
    const containerId = `container-${n}`;
    timeline.push({ seq: ++seq, at, kind: 'container-started', message: 'started', containerId });
    timeline.push({
      seq: ++seq,
      at: at + 12,
      kind: 'registered',
      message: 'registered',
      containerId,
      sincePreviousMs: 12,
    });
  };
  /** A container's deregistration and stop (a scale down). */
  const stopped = (n: number): void => {
    const at = Date.now();
    const containerId = `container-${n}`;
    timeline.push({ seq: ++seq, at, kind: 'deregistered', message: 'deregistered', containerId });
    timeline.push({ seq: ++seq, at: at + 5, kind: 'container-stopped', message: 'stopped', containerId });
  };
  // The backends running from the start have their chains too (the first one's is older than the page).
  for (let n = 2; n <= count; n++) started(n);

  const status = (): EngineStatus => {
    const instances = Array.from({ length: count }, (_, i) => web(i + 1));
    return {
      state: 'ready',
      adopted: false,
      docker: { connected: true, endpoint: '/var/run/docker.sock', version: 'fake' },
      consul: { connected: true, url: 'http://127.0.0.1:1', uiUrl: 'http://127.0.0.1:1/ui/', managed: true },
      lb: {
        url: 'http://127.0.0.1:2',
        generation: count,
        config: instances.map((i) => `server ${i.address}:80;`).join('\n'),
        previousConfig: instances
          .slice(0, -1)
          .map((i) => `server ${i.address}:80;`)
          .join('\n'),
      },
      template: { name: 'nginx.ctmpl', dependencies: ['service backend.web'] },
      services: [{ name: 'web', desired: count, running: count, instances }],
      scaling: { service: 'web', desired: count, starting: [], draining: [], busy: false, max: 20 },
      warnings: [],
    };
  };
  const traffic = (): TrafficStatus => ({ running: true, sent, succeeded: sent, failed: 0, byBackend: {} });
  const hits = (): HitsSnapshot => ({
    at: Date.now(),
    source: 'web-logs',
    backends: [...series.entries()].map(([address, values]) => ({
      address,
      total: values.reduce((a, b) => a + b, 0),
      perSecond: values[values.length - 1] ?? 0,
      share: 1 / series.size,
      series: values,
    })),
    recent: [...recent],
  });

  const handlers: Partial<Handlers> = {
    getStatus: status,
    getSettings: () => settings.load(),
    updateSettings: (patch) => settings.update(patch),
    getHits: hits,
    getTraffic: traffic,
    getProgress: () => [],
    getTimeline: (request) => timeline.filter((e) => e.seq > (request?.after ?? 0)),
    getTemplate: () => ({ name: 'nginx.ctmpl', source: 'x' }),
    // The Config tab asks for this on load: a page must not log a 501 for it.
    getTemplateHistory: () => ({
      builtins: [...BUILTIN_TEMPLATE_NAMES],
      versions: [{ id: 1, savedAt: Date.now(), kind: 'builtin', label: 'classic', builtin: 'classic' }],
      live: { origin: 'default', kind: 'builtin', builtin: 'classic', label: 'classic' },
    }),
    getTemplateVersion: ({ id }) => ({ id, label: 'classic', source: 'upstream app {}\n' }),
    scale: ({ count: wanted }) => {
      scaleCalls.push(wanted);
      const before = count;
      count = wanted;
      for (let n = before + 1; n <= count; n++) started(n);
      for (let n = before; n > count; n--) stopped(n);
      // Each step renders and reloads once, as the real engine's render loop does.
      const at = Date.now();
      timeline.push({ seq: ++seq, at, kind: 'template-rendered', message: 'rendered' });
      timeline.push({ seq: ++seq, at: at + 20, kind: 'lb-reloaded', message: 'reloaded' });
      changed.emit('timeline');
      changed.emit('status');
      return { service: 'web', desired: count, running: count, superseded: false, warnings: [] };
    },
  };

  // One tick a second: round-robin the requests over the backends, as nginx would.
  const tick = setInterval(() => {
    const addresses = Array.from({ length: count }, (_, i) => `10.0.0.${i + 2}:80`);
    for (const address of addresses) {
      const values = series.get(address) ?? Array<number>(60).fill(0);
      values.push(0);
      values.splice(0, values.length - 60);
      series.set(address, values);
    }
    for (let i = 0; i < perSecond; i++) {
      const address = addresses[(sent + i) % addresses.length]!;
      const values = series.get(address)!;
      values[59] = (values[59] ?? 0) + 1;
      recent.push(address);
    }
    sent += perSecond;
    recent.splice(0, Math.max(0, recent.length - 30));
    changed.emit('hits');
    if (options.statusEverySecond) changed.emit('status');
  }, 1000);

  const push = new PushHub(
    {
      status,
      hits,
      traffic,
      settings: () => settings.get(),
      progress: () => [],
      timelineAfter: (after) => timeline.filter((e) => e.seq > after),
      latestSeq: () => seq,
      onChange: (listener) => changed.on(listener),
    },
    // Pushes as soon as they happen, so the test does not wait on the one-second cadence.
    100,
  );
  const server = new ControlServer({ handlers, push, token, dashboardRoot: distRoot });
  const port = await server.listen();
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    scaleCalls,
    scale: (wanted) => void handlers.scale?.({ service: 'web', count: wanted }),
    close: async () => {
      clearInterval(tick);
      push.close();
      await server.close();
    },
  };
}
