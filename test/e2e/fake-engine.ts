/**
 * A stand-in engine that speaks the HTTP mapping of preload/api.ts (JSON with a bearer
 * token, ApiResult envelopes, Server-Sent Events at /api/events?token=) and serves the built
 * dashboard through createStaticFiles. It lets the browser path of the dashboard (token
 * handling, EventSource, chart.js under the CSP) be checked in Chromium without Docker.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  EngineStatus,
  HitsSnapshot,
  InstanceView,
  TimelineEvent,
  TrafficStatus,
} from '../../preload/api.js';
import { createStaticFiles } from '../../main/server/static-files.js';

export interface FakeEngine {
  url: string;
  token: string;
  scaleCalls: number[];
  close(): Promise<void>;
}

function web(n: number, state: InstanceView['state'] = 'serving'): InstanceView {
  return {
    id: `fake:web-${n}:80`,
    service: 'web',
    containerId: `container-${n}`,
    containerName: `web-${n}`,
    address: `10.0.0.${n + 1}`,
    port: 80,
    tags: ['backend'],
    registeredAt: Date.now(),
    state,
  };
}

export async function startFakeEngine(distRoot: string, token: string): Promise<FakeEngine> {
  const serveStatic = createStaticFiles({ root: distRoot });
  const scaleCalls: number[] = [];
  let count = 1;
  let seq = 0;
  const timeline: TimelineEvent[] = [];
  const series = new Map<string, number[]>();
  const recent: string[] = [];
  let sent = 0;
  const streams = new Set<ServerResponse>();

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

  const send = (event: string, data: unknown): void => {
    for (const res of streams) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  // One tick a second: round-robin 6 requests over the backends, as nginx would.
  const tick = setInterval(() => {
    const addresses = Array.from({ length: count }, (_, i) => `10.0.0.${i + 2}:80`);
    for (const address of addresses) {
      const values = series.get(address) ?? Array<number>(60).fill(0);
      values.push(0);
      values.splice(0, values.length - 60);
      series.set(address, values);
    }
    for (let i = 0; i < 6; i++) {
      const address = addresses[(sent + i) % addresses.length]!;
      const values = series.get(address)!;
      values[59] = (values[59] ?? 0) + 1;
      recent.push(address);
    }
    sent += 6;
    recent.splice(0, Math.max(0, recent.length - 30));
    send('hits', hits());
    send('traffic', traffic());
  }, 1000);

  const reply = (res: ServerResponse, code: number, body: unknown): void => {
    res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (await serveStatic(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/api/events') {
      if (url.searchParams.get('token') !== token)
        return reply(res, 401, { error: { message: 'token', code: 'unauthorized' } });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(`event: status\ndata: ${JSON.stringify(status())}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (req.headers.authorization !== `Bearer ${token}`)
      return reply(res, 401, { error: { message: 'Missing or wrong token.', code: 'unauthorized' } });
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /api/status') return reply(res, 200, { result: status() });
    if (route === 'GET /api/hits') return reply(res, 200, { result: hits() });
    if (route === 'GET /api/traffic') return reply(res, 200, { result: traffic() });
    if (route === 'GET /api/timeline') return reply(res, 200, { result: timeline });
    if (route === 'GET /api/template')
      return reply(res, 200, { result: { name: 'nginx.ctmpl', source: 'x' } });
    if (route === 'POST /api/scale') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { count: number };
      scaleCalls.push(body.count);
      const before = count;
      count = body.count;
      for (let n = before + 1; n <= count; n++) {
        const at = Date.now();
        timeline.push({
          seq: ++seq,
          at,
          kind: 'container-started',
          message: 'started',
          containerId: `container-${n}`,
        });
        timeline.push({
          seq: ++seq,
          at: at + 12,
          kind: 'registered',
          message: 'registered',
          containerId: `container-${n}`,
          sincePreviousMs: 12,
        });
      }
      send('timeline', timeline.slice(-2 * Math.max(0, count - before)));
      send('status', status());
      return reply(res, 200, {
        result: { service: 'web', desired: count, running: count, superseded: false, warnings: [] },
      });
    }
    return reply(res, 404, { error: { message: `Unknown API path ${url.pathname}.`, code: 'not-found' } });
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    scaleCalls,
    close: async () => {
      clearInterval(tick);
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
