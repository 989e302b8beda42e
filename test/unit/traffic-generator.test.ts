import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { LatencyWindow } from '../../main/engine/traffic/latency-stats.js';
import { SendSchedule } from '../../main/engine/traffic/send-schedule.js';
import { TrafficGenerator } from '../../main/engine/traffic/traffic-generator.js';

describe('SendSchedule', () => {
  it('hands out requests on an absolute schedule: a late timer does not shift the ones after it', () => {
    const s = new SendSchedule(0, 50, 1000); // one every 20 ms
    expect(s.take(0)).toEqual({ send: 1, skip: 0, nextDueAt: 20 });
    // The timer fires 15 ms late: one request is due, the next stays at 40.
    expect(s.take(35)).toEqual({ send: 1, skip: 0, nextDueAt: 40 });
    expect(s.take(40)).toEqual({ send: 1, skip: 0, nextDueAt: 60 });
  });

  it('skips requests that are badly overdue instead of sending them in a burst', () => {
    const s = new SendSchedule(0, 100, 10_000, 250);
    s.take(0);
    // Stalled for a second: 100 are due; those more than 250 ms late are skipped.
    const due = s.take(1000);
    expect(due.send + due.skip).toBe(100);
    expect(due.send).toBe(26);
    expect(due.skip).toBe(74);
  });

  it('ends at its deadline with exactly rate × duration requests handed out', () => {
    const s = new SendSchedule(0, 10, 2000);
    let total = 0;
    for (let t = 0; t <= 2500; t += 10) total += s.take(t).send;
    expect(total).toBe(20);
    expect(s.finished(2000)).toBe(true);
  });
});

describe('LatencyWindow', () => {
  it('gives nearest-rank percentiles over the latest values only', () => {
    const w = new LatencyWindow(100);
    expect(w.percentiles()).toBeUndefined();
    for (let i = 1; i <= 100; i++) w.add(i);
    expect(w.percentiles()).toEqual({ p50: 50, p95: 95, p99: 99 });
    for (let i = 0; i < 100; i++) w.add(1000);
    expect(w.size).toBe(100);
    expect(w.percentiles()).toEqual({ p50: 1000, p95: 1000, p99: 1000 });
  });
});

describe('TrafficGenerator (against a local HTTP server)', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  }

  it('sends at the rate until its deadline, and counts backends, failures and latency', async () => {
    let n = 0;
    const url = await listen((_req, res) => {
      n++;
      if (n % 10 === 0) res.writeHead(500).end();
      else res.writeHead(200, { 'x-served-by': n % 2 ? '10.0.0.1' : '10.0.0.2' }).end('ok');
    });
    const generator = new TrafficGenerator(() => url);
    const changes: boolean[] = [];
    generator.onChange(() => changes.push(generator.status().running));
    const started = generator.start({ ratePerSecond: 20, durationSeconds: 1 });
    expect(started.running).toBe(true);
    await generator.idle();
    const status = generator.status();
    expect(status.running).toBe(false);
    expect(status.sent).toBe(20);
    expect(status.succeeded + status.failed).toBe(20);
    expect(status.failed).toBe(2);
    expect(status.lastError).toBe('HTTP 500');
    expect(Object.values(status.byBackend).reduce((a, b) => a + b, 0)).toBe(18);
    expect(Object.keys(status.byBackend).sort()).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(status.latencyMs?.p50).toBeGreaterThan(0);
    expect(changes).toEqual([true, false]);
  });

  it('stops when asked', async () => {
    const url = await listen((_req, res) => res.end('ok'));
    const generator = new TrafficGenerator(() => url);
    generator.start({ ratePerSecond: 50, durationSeconds: 60 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stopped = generator.stop();
    expect(stopped.running).toBe(false);
    await generator.idle();
    const sent = generator.status().sent;
    expect(sent).toBeGreaterThan(3);
    expect(sent).toBeLessThan(20);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(generator.status().sent).toBe(sent);
  });
});
