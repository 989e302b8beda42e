/**
 * The control API refuses what it must, with the right status and no effect:
 * no token, a wrong token, a foreign Host (DNS rebinding) or Origin, an
 * oversized body, unknown paths and methods. Real engine, real HTTP.
 */
import type { ServiceView } from '../../contract/index.js';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/engine/engine.js';
import type { DiscoveryService } from '../../main/service/discovery-service.js';
import type { ControlServer } from '../../main/server/control-server.js';
import { controlServerFor, removeTestStack, startTestEngine } from '../support/engine-fixture.js';

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function call(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers ?? {},
        agent: false,
        timeout: 10_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

describe('control API security (real engine)', () => {
  let engine: Engine;
  let app: DiscoveryService;
  let server: ControlServer;
  let port: number;
  const token = 'test-token-0123456789abcdefghijklmnop';

  beforeAll(async () => {
    ({ engine, app } = await startTestEngine({ webCount: 1 }));
    server = controlServerFor(app, token);
    port = await server.listen();
  });

  afterAll(async () => {
    await server.close();
    await removeTestStack({ engine });
  });

  const host = (): Record<string, string> => ({ host: `127.0.0.1:${port}` });
  const auth = (): Record<string, string> => ({ ...host(), authorization: `Bearer ${token}` });
  const webCount = (): number | undefined => app.getStatus().services.find((s) => s.name === 'web')?.running;
  const scaleBody = JSON.stringify({ service: 'web', count: 3 });

  it('answers a correct request', async () => {
    const reply = await call(port, { path: '/api/status', headers: auth() });
    expect(reply.status).toBe(200);
    expect((JSON.parse(reply.body) as { result: { state: string } }).result.state).toBe('ready');
    // No permissive CORS: a browser on another origin may not read it.
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers GET /api/services with every service and its instances (an operation added by one table entry)', async () => {
    const reply = await call(port, { path: '/api/services', headers: auth() });
    expect(reply.status).toBe(200);
    const services = (JSON.parse(reply.body) as { result: ServiceView[] }).result;
    expect(services).toEqual(app.getStatus().services);
    const web = services.find((s) => s.name === 'web');
    expect(web?.instances).toHaveLength(1);
    expect(web?.instances[0]).toMatchObject({ service: 'web', port: 80, state: 'serving' });
  });

  it('answers a template change with the status, as the contract says', async () => {
    const source = app.getTemplate().source;
    const reply = await call(port, {
      method: 'POST',
      path: '/api/template',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ source }),
    });
    expect(reply.status).toBe(200);
    const status = (JSON.parse(reply.body) as { result: { state: string; template: { name: string } } })
      .result;
    expect(status.state).toBe('ready');
    expect(status.template.name).toBe(app.getStatus().template.name);
    expect(app.getTemplate().source).toBe(source);
  });

  it('refuses requests without the token or with a wrong one, and changes nothing', async () => {
    const before = webCount();
    for (const headers of [
      host(),
      { ...host(), authorization: 'Bearer wrong' },
      { ...host(), authorization: `Bearer ${token}x` },
      { ...host(), authorization: token },
    ]) {
      const reply = await call(port, {
        method: 'POST',
        path: '/api/scale',
        headers: { ...headers, 'content-type': 'application/json' },
        body: scaleBody,
      });
      expect(reply.status).toBe(401);
      expect(reply.body).toMatch(/token/);
    }
    expect(webCount()).toBe(before);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin, even with the token', async () => {
    const before = webCount();
    const rebinding = await call(port, {
      method: 'POST',
      path: '/api/scale',
      headers: { ...auth(), host: `evil.example:${port}`, 'content-type': 'application/json' },
      body: scaleBody,
    });
    expect(rebinding.status).toBe(403);
    const crossOrigin = await call(port, {
      method: 'POST',
      path: '/api/scale',
      headers: { ...auth(), origin: 'http://evil.example', 'content-type': 'application/json' },
      body: scaleBody,
    });
    expect(crossOrigin.status).toBe(403);
    expect(webCount()).toBe(before);
  });

  it('refuses oversized bodies, unknown paths and wrong methods', async () => {
    const before = webCount();
    const big = await call(port, {
      method: 'POST',
      path: '/api/template',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'x'.repeat(200 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(app.getStatus().template.lastError).toBeUndefined();
    expect((await call(port, { path: '/api/frobnicate', headers: auth() })).status).toBe(404);
    expect((await call(port, { method: 'DELETE', path: '/api/scale', headers: auth() })).status).toBe(405);
    const notJson = await call(port, {
      method: 'POST',
      path: '/api/scale',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{scale: 3',
    });
    expect(notJson.status).toBe(400);
    const badValue = await call(port, {
      method: 'POST',
      path: '/api/scale',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'web', count: -1 }),
    });
    expect(badValue.status).toBe(400);
    expect(badValue.body).toMatch(/Nothing was changed/);
    expect(webCount()).toBe(before);
  });
});
