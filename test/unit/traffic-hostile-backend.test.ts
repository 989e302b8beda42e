/**
 * A hostile backend behind the LB cannot grow the traffic generator's memory:
 * a probe reads at most a small part of the body (real HTTP server on
 * 127.0.0.1 streaming an endless body), and per-backend counts, keyed by a
 * response header, have capped keys in a capped number.
 */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { probe } from '../../main/engine/traffic/http-probe.js';
import { MAX_BACKEND_KEY_CHARS, MAX_BACKEND_KEYS } from '../../main/engine/traffic/backend-counts.js';
import { TrafficGenerator } from '../../main/engine/traffic/traffic-generator.js';

describe('traffic against a hostile backend (a local HTTP server)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  }

  it('reads the page line of an endless body and hangs up, instead of buffering it all', async () => {
    let written = 0;
    let hungUp = false;
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('2025-01-01 00:00:00: 1 requests from <LOCAL: 10.0.0.9> to WebServer <10.0.0.7>\n');
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = (): void => {
        // Endless, at the pace the client reads (backpressure), until it hangs up.
        while (!hungUp) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      res.on('close', () => (hungUp = true));
      pump();
    });
    const result = await Promise.race([
      probe(url, 'get', { timeoutMs: 5000 }),
      new Promise<'still reading'>((resolve) => setTimeout(() => resolve('still reading'), 3000)),
    ]);
    expect(result).toMatchObject({ ok: true, status: 200, backend: '10.0.0.7' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hungUp).toBe(true);
    // What the server got out before the hang-up is the socket buffers, not the body.
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });

  it('counts at most 64 backends, each key at most 64 characters, and the rest as "other"', async () => {
    let n = 0;
    const url = await listen((_req, res) => {
      n++;
      // A new, long "backend" on every answer.
      res.writeHead(200, { 'x-served-by': `${n}-${'b'.repeat(1024)}` }).end('ok');
    });
    const generator = new TrafficGenerator(() => url);
    generator.start({ ratePerSecond: 100, durationSeconds: 2 });
    await generator.idle();
    const status = generator.status();
    const keys = Object.keys(status.byBackend);
    const counted = Object.values(status.byBackend).reduce((a, b) => a + b, 0);
    expect(status.succeeded).toBeGreaterThan(150);
    expect(counted).toBe(status.succeeded);
    expect(keys.length).toBeLessThanOrEqual(MAX_BACKEND_KEYS);
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThanOrEqual(MAX_BACKEND_KEY_CHARS);
    expect(status.byBackend.other).toBe(status.succeeded);
    // Bytes kept for the counts: at most MAX_BACKEND_KEYS short keys, whatever the backends send.
    expect(JSON.stringify(status.byBackend).length).toBeLessThan(MAX_BACKEND_KEYS * 80);
  });

  it('keeps real backends apart and sends the surplus to "other"', async () => {
    let n = 0;
    const url = await listen((_req, res) => {
      n++;
      res.writeHead(200, { 'x-served-by': `10.0.${Math.floor(n / 250)}.${n % 250}` }).end('ok');
    });
    const generator = new TrafficGenerator(() => url);
    // More answers than keys: the surplus must land in "other".
    generator.start({ ratePerSecond: 100, durationSeconds: 2 });
    await generator.idle();
    const status = generator.status();
    expect(status.succeeded).toBeGreaterThan(MAX_BACKEND_KEYS);
    expect(Object.keys(status.byBackend)).toHaveLength(MAX_BACKEND_KEYS);
    expect(status.byBackend['10.0.0.1']).toBe(1);
    expect(status.byBackend.other).toBe(status.succeeded - (MAX_BACKEND_KEYS - 1));
  });

  it('a backend named __proto__ is counted like any other', async () => {
    const url = await listen((_req, res) => res.writeHead(200, { 'x-served-by': '__proto__' }).end('ok'));
    const generator = new TrafficGenerator(() => url);
    generator.start({ ratePerSecond: 10, durationSeconds: 1 });
    await generator.idle();
    const status = generator.status();
    expect(Object.entries(status.byBackend)).toEqual([['__proto__', 10]]);
  });
});
