import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticFiles, DASHBOARD_CSP } from '../../main/server/static-files.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends the raw path as given (no client-side normalisation of `..` or `%2e`). */
function get(port: number, path: string, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static files of the dashboard', () => {
  let dir: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dt-static-'));
    const dist = join(dir, 'dist');
    await mkdir(join(dist, 'assets'), { recursive: true });
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>Dashboard</title>');
    await writeFile(join(dist, 'assets', 'index-Ab12_c.js'), 'console.log(1)');
    await writeFile(join(dist, 'assets', 'index-Zz9.css'), 'body{}');
    await writeFile(join(dist, 'assets', 'notes.unknownext'), 'x');
    await writeFile(join(dir, 'secret.txt'), 'top secret');
    await writeFile(join(dist, 'secret-inside.txt'), 'not an asset');
    await symlink(join(dir, 'secret.txt'), join(dist, 'assets', 'link.txt'));
    const serve = createStaticFiles({ root: dist });
    server = createServer((req, res) => {
      void serve(req, res).then((handled) => {
        if (!handled) {
          res.writeHead(418, { 'content-type': 'text/plain' });
          res.end('not mine');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html at / with the CSP and hardening headers, no CORS', async () => {
    const reply = await get(port, '/?token=abc');
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<title>Dashboard</title>');
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(Object.keys(reply.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('uses the same policy as the meta tag in renderer/index.html', async () => {
    const { readFile } = await import('node:fs/promises');
    const html = await readFile(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    // The header adds frame-ancestors, which a meta tag cannot carry.
    expect(DASHBOARD_CSP).toBe(`${meta}; frame-ancestors 'none'`);
    expect(meta).not.toContain('unsafe');
  });

  it('serves hashed assets with their content types', async () => {
    const js = await get(port, '/assets/index-Ab12_c.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    const css = await get(port, '/assets/index-Zz9.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const head = await get(port, '/assets/index-Zz9.css', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it.each([
    '/assets/../secret-inside.txt',
    '/assets/..%2fsecret-inside.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/assets/..%5c..%5csecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/assets/link.txt',
    '/assets/notes.unknownext',
    '/assets/missing.js',
    '/assets/',
    '/assets/%E0%A4%A',
  ])('refuses %s', async (path) => {
    const reply = await get(port, path);
    expect([404, 418]).toContain(reply.status);
    expect(reply.body).not.toContain('secret');
    expect(reply.body).not.toContain('not an asset');
  });

  it('leaves every other path to the caller (e.g. /api/*)', async () => {
    expect((await get(port, '/api/status')).status).toBe(418);
    expect((await get(port, '/secret-inside.txt')).status).toBe(418);
    expect((await get(port, '/../secret.txt')).status).toBe(418);
  });

  it('answers 405 to other methods on its paths', async () => {
    const reply = await get(port, '/', 'POST');
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET, HEAD');
  });

  it('says how to build the dashboard when it is missing', async () => {
    const serve = createStaticFiles({ root: join(dir, 'nowhere') });
    const empty = createServer((req, res) => void serve(req, res));
    await new Promise<void>((resolve) => empty.listen(0, '127.0.0.1', resolve));
    try {
      const reply = await get((empty.address() as AddressInfo).port, '/');
      expect(reply.status).toBe(404);
      expect(reply.body).toContain('build:renderer');
    } finally {
      await new Promise<void>((resolve) => empty.close(() => resolve()));
    }
  });
});
