/**
 * The engine's HTTP API on 127.0.0.1, for the CLI and the browser dashboard: the routes are the
 * contract's table (contract/operations.ts), every request goes through the same dispatch as the
 * window's IPC, and the pushes are the same hub's. Every request needs the token; the Host header
 * must name this server (no DNS rebinding) and a browser Origin must be our own; bodies are small;
 * no CORS headers are ever sent.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import {
  EVENTS_PATH,
  OPERATIONS,
  decodeQuery,
  httpStatusOf,
  operationsFor,
  type ApiResult,
  type Handlers,
  type OperationName,
} from '../../contract/index.js';
import { UserError } from '../engine/errors.js';
import { packageRoot } from '../engine/package-root.js';
import { dispatch, toApiError } from '../service/dispatch.js';
import type { PushHub } from '../service/push-hub.js';
import { EventStreams } from './event-stream.js';
import { createStaticFiles } from './static-files.js';

export const MAX_BODY_BYTES = 64 * 1024;

export interface ControlServerOptions {
  handlers: Partial<Handlers>;
  push: PushHub;
  token: string;
  port?: number;
  /** The built dashboard (default: renderer/dist of the app). */
  dashboardRoot?: string;
}

/** `GET /api/status` → getStatus, for every operation the control API answers. */
const ROUTES = new Map<string, OperationName>(
  operationsFor('ui', 'cli').map((name) => [`${OPERATIONS[name].method} ${OPERATIONS[name].path}`, name]),
);
const PATHS = new Set([...operationsFor('ui', 'cli').map((name) => OPERATIONS[name].path), EVENTS_PATH]);

export class ControlServer {
  private server: Server | undefined;
  private port = 0;
  private readonly events: EventStreams;
  private readonly dashboard: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

  constructor(private readonly options: ControlServerOptions) {
    this.events = new EventStreams(options.push);
    this.dashboard = createStaticFiles({
      root: options.dashboardRoot ?? join(packageRoot(), 'renderer', 'dist'),
    });
  }

  /** The dashboard for a browser; the token travels in the fragment, so it never reaches a log. */
  get dashboardUrl(): string {
    return `http://127.0.0.1:${this.port}/#token=${this.options.token}`;
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      this.checkHost(req);
      // The page itself carries no secret; everything it asks of /api/* needs the token.
      if (await this.dashboard(req, res)) return;
      this.checkOrigin(req);
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
      // EventSource cannot send headers: this one route may carry the token in the query instead.
      const isEvents = url.pathname === EVENTS_PATH;
      this.checkToken(req, isEvents ? (url.searchParams.get('token') ?? undefined) : undefined);
      const route = `${req.method} ${url.pathname}`;
      if (isEvents && req.method === 'GET') return this.openEvents(res, url);
      const name = ROUTES.get(route);
      if (!name) {
        throw PATHS.has(url.pathname)
          ? new UserError(`${req.method} is not allowed on ${url.pathname}.`, 'method-not-allowed')
          : new UserError(`Unknown API path ${url.pathname}.`, 'not-found');
      }
      const request = req.method === 'GET' ? decodeQuery(url.searchParams) : await readJsonBody(req);
      this.reply(res, await dispatch(this.options.handlers, name, request));
    } catch (error) {
      this.reply(res, { error: toApiError(error) });
    }
  }

  private openEvents(res: ServerResponse, url: URL): void {
    if (!this.events.hasRoom)
      throw new UserError(
        'Too many dashboards are open on this engine; close one and reload.',
        'too-many-clients',
      );
    const after = Number(url.searchParams.get('after'));
    this.events.add(
      res,
      url.searchParams.has('after') && Number.isInteger(after) && after >= 0 ? after : undefined,
    );
  }

  private allowedHosts(): Set<string> {
    return new Set([`127.0.0.1:${this.port}`, `localhost:${this.port}`, `[::1]:${this.port}`]);
  }

  private checkHost(req: IncomingMessage): void {
    if (!this.allowedHosts().has((req.headers.host ?? '').toLowerCase()))
      throw new UserError(
        'This API answers only to requests addressed to 127.0.0.1 or localhost.',
        'forbidden',
      );
  }

  private checkOrigin(req: IncomingMessage): void {
    const origin = req.headers.origin;
    if (origin === undefined) return;
    const allowed = [...this.allowedHosts()].map((host) => `http://${host}`);
    if (!allowed.includes(origin.toLowerCase()))
      throw new UserError('Cross-origin requests are refused.', 'forbidden');
  }

  private checkToken(req: IncomingMessage, fromQuery?: string): void {
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : (fromQuery ?? ''));
    const expected = Buffer.from(this.options.token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new UserError(
        'Missing or wrong token. The CLI reads it from the state folder; the dashboard URL carries it.',
        'unauthorized',
      );
  }

  private reply(res: ServerResponse, payload: ApiResult<unknown>): void {
    const text = JSON.stringify(payload);
    res.writeHead('error' in payload ? httpStatusOf(payload.error.code) : 200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(text);
  }
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const tooLarge = (): UserError => new UserError(`Request body over ${MAX_BODY_BYTES} bytes.`, 'too-large');
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new UserError('The request body is not JSON.', 'bad-request');
  }
}
