/**
 * The engine's HTTP API on 127.0.0.1, for the CLI and the browser dashboard.
 * Every request needs the token; the Host header must name this server (no
 * DNS rebinding) and a browser Origin must be our own; bodies are small;
 * no CORS headers are ever sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { ApiResult, EngineStatus } from '../../preload/api.js';
import type { Engine } from '../engine/engine.js';
import { UserError, errorMessage } from '../engine/errors.js';
import { join } from 'node:path';
import { packageRoot } from '../engine/package-root.js';
import { EventStreamHub } from './event-stream.js';
import { createStaticFiles } from './static-files.js';

export const MAX_BODY_BYTES = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export interface ControlServerOptions {
  engine: Engine;
  token: string;
  port?: number;
  /** Called after the API was asked to stop the engine (e.g. `discovery-tray down`). */
  onShutdown?: (reason: 'down' | 'stop') => void;
  /** The built dashboard (default: renderer/dist of the app). */
  dashboardRoot?: string;
}

type Handler = (body: unknown, url: URL) => unknown;

export class ControlServer {
  private server: Server | undefined;
  private port = 0;
  private readonly events: EventStreamHub;
  private readonly dashboard: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

  constructor(private readonly options: ControlServerOptions) {
    this.events = new EventStreamHub(options.engine);
    this.dashboard = createStaticFiles({
      root: options.dashboardRoot ?? join(packageRoot(), 'renderer', 'dist'),
    });
  }

  /** The dashboard for a browser; the token travels in the fragment, so it never reaches a log. */
  get dashboardUrl(): string {
    return `http://127.0.0.1:${this.port}/#token=${this.options.token}`;
  }

  /** EngineStatus as the dashboard reads it, with where a browser finds the dashboard. */
  private statusView(): EngineStatus & { dashboard: { url: string } } {
    return { ...this.options.engine.status(), dashboard: { url: this.dashboardUrl } };
  }

  /** Open Server-Sent Events streams (GET /api/events). */
  get eventClients(): number {
    return this.events.clientCount;
  }

  get address(): { port: number; url: string } {
    return { port: this.port, url: `http://127.0.0.1:${this.port}` };
  }

  async listen(): Promise<number> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new UserError(
                `Port ${this.options.port} on 127.0.0.1 is in use; choose another with --api-port <port>.`,
                'port-in-use',
              )
            : error,
        ),
      );
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.events.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private routes(): Record<string, Handler> {
    const { engine } = this.options;
    return {
      'GET /api/status': () => this.statusView(),
      'GET /api/timeline': (_body, url) =>
        engine.timeline.list(Number(url.searchParams.get('after') ?? 0) || 0),
      'POST /api/scale': (body) => {
        const request = (body ?? {}) as { service?: unknown; count?: unknown };
        return engine.scale(request.service, request.count);
      },
      'GET /api/hits': () => engine.hits(),
      'GET /api/traffic': () => engine.traffic(),
      'POST /api/traffic': (body) => engine.startTraffic(body),
      'POST /api/traffic/stop': () => engine.stopTraffic(),
      'POST /api/demo/start': () => engine.startDemo(),
      'POST /api/demo/stop': () => engine.stopDemo(),
      'GET /api/template': () => ({ source: engine.templateSource() }),
      'POST /api/template': (body) => {
        const source = (body as { source?: unknown } | undefined)?.source;
        if (typeof source !== 'string')
          throw new HttpError(400, 'Send {"source": "<template text>"}.', 'bad-request');
        engine.setTemplate(source);
        // The render and reload happen in the background; their outcome shows in the next status.
        return this.statusView();
      },
      'POST /api/down': async () => {
        const removed = await engine.removeStack();
        setImmediate(() => this.options.onShutdown?.('down'));
        return { removed };
      },
      'POST /api/stop': () => {
        setImmediate(() => this.options.onShutdown?.('stop'));
        return { stopping: true };
      },
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      this.checkHost(req);
      // The page itself carries no secret; everything it asks of /api/* needs the token.
      if (await this.dashboard(req, res)) return;
      this.checkOrigin(req);
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
      // EventSource cannot send headers: this one route may carry the token in the query instead.
      const isEvents = url.pathname === '/api/events';
      this.checkToken(req, isEvents ? (url.searchParams.get('token') ?? undefined) : undefined);
      if (isEvents) {
        if (req.method !== 'GET')
          throw new HttpError(405, `${req.method} is not allowed on ${url.pathname}.`, 'method-not-allowed');
        const after = Number(url.searchParams.get('after'));
        this.events.add(
          res,
          Number.isInteger(after) && after >= 0 && url.searchParams.has('after') ? after : undefined,
        );
        return;
      }
      const routes = this.routes();
      const handler = routes[`${req.method} ${url.pathname}`];
      if (!handler) {
        const known = Object.keys(routes).some((key) => key.endsWith(` ${url.pathname}`));
        throw known
          ? new HttpError(405, `${req.method} is not allowed on ${url.pathname}.`, 'method-not-allowed')
          : new HttpError(404, `Unknown API path ${url.pathname}.`, 'not-found');
      }
      const body = req.method === 'POST' ? await readJsonBody(req) : undefined;
      this.reply(res, 200, { result: await handler(body, url) });
    } catch (error) {
      if (error instanceof HttpError)
        this.reply(res, error.status, { error: { message: error.message, code: error.code } });
      else if (error instanceof UserError)
        this.reply(res, 400, { error: { message: error.message, code: error.code } });
      else this.reply(res, 500, { error: { message: errorMessage(error), code: 'internal' } });
    }
  }

  private allowedHosts(): Set<string> {
    return new Set([`127.0.0.1:${this.port}`, `localhost:${this.port}`, `[::1]:${this.port}`]);
  }

  private checkHost(req: IncomingMessage): void {
    if (!this.allowedHosts().has((req.headers.host ?? '').toLowerCase())) {
      throw new HttpError(
        403,
        'This API answers only to requests addressed to 127.0.0.1 or localhost.',
        'bad-host',
      );
    }
  }

  private checkOrigin(req: IncomingMessage): void {
    const origin = req.headers.origin;
    if (origin === undefined) return;
    const allowed = [...this.allowedHosts()].map((host) => `http://${host}`);
    if (!allowed.includes(origin.toLowerCase()))
      throw new HttpError(403, 'Cross-origin requests are refused.', 'bad-origin');
  }

  private checkToken(req: IncomingMessage, fromQuery?: string): void {
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : (fromQuery ?? ''));
    const expected = Buffer.from(this.options.token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new HttpError(
        401,
        'Missing or wrong token. The CLI reads it from the state folder; the dashboard URL carries it.',
        'unauthorized',
      );
    }
  }

  private reply(res: ServerResponse, status: number, payload: ApiResult<unknown>): void {
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(text);
  }
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES)
    throw new HttpError(413, `Request body over ${MAX_BODY_BYTES} bytes.`, 'too-large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new HttpError(413, `Request body over ${MAX_BODY_BYTES} bytes.`, 'too-large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'The request body is not JSON.', 'bad-request');
  }
}
