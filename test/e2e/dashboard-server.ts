/**
 * The dashboard's page and the engine's API on one 127.0.0.1 origin, for the browser tests.
 *
 * Until ControlServer serves the built dashboard itself (see main/server/static-files.ts), this
 * puts createStaticFiles in front of it and forwards every other request to the control
 * server, rewriting Host and Origin to the control server's own so that its DNS-rebinding
 * and cross-origin checks see what they would see if the page came from it. Once the
 * control server serves `/`, the tests use it directly and this front is not started.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStaticFiles } from '../../main/server/static-files.js';

export interface DashboardOrigin {
  url: string;
  close(): Promise<void>;
}

/** True when the control server already answers `/` with the dashboard page. */
export async function controlServerServesDashboard(apiPort: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${apiPort}/`);
    return response.ok && (response.headers.get('content-type') ?? '').startsWith('text/html');
  } catch {
    return false;
  }
}

export async function startDashboardOrigin(apiPort: number, distRoot: string): Promise<DashboardOrigin> {
  if (await controlServerServesDashboard(apiPort)) {
    return { url: `http://127.0.0.1:${apiPort}`, close: () => Promise.resolve() };
  }
  const serveStatic = createStaticFiles({ root: distRoot });
  let ownPort = 0;
  const server: Server = createServer((req, res) => {
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${ownPort}` && host !== `localhost:${ownPort}`) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Bad Host.\n');
      return;
    }
    void serveStatic(req, res).then((handled) => {
      if (!handled) forward(req, res, apiPort, ownPort);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ownPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${ownPort}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function forward(req: IncomingMessage, res: ServerResponse, apiPort: number, ownPort: number): void {
  const headers = { ...req.headers, host: `127.0.0.1:${apiPort}` };
  if (headers.origin === `http://127.0.0.1:${ownPort}`) headers.origin = `http://127.0.0.1:${apiPort}`;
  const upstream = request(
    { host: '127.0.0.1', port: apiPort, method: req.method, path: req.url, headers },
    (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `Control server: ${error.message}`, code: 'bad-gateway' } }));
  });
  req.pipe(upstream);
}
