/**
 * The CLI as a user runs it: `up` in the foreground, then `status`, `scale`
 * and `down` from another terminal, with the exit codes scripts rely on.
 */
import type { ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineStatus, HitsSnapshot, TrafficStatus } from '../../contract/index.js';
import { CliSession, type CliResult } from '../support/cli-session.js';
import { freePort } from '../support/ports.js';
import { waitFor } from '../support/wait.js';
import { docker } from '../support/docker-fixtures.js';

const session = new CliSession('cli');
const { project, stateDir } = session;
const cli = (args: string[]): Promise<CliResult> => session.run(args);

async function stackContainers(): Promise<number> {
  return (
    await docker.listContainers({ all: true, filters: { label: [`org.discovery-tray.stack=${project}`] } })
  ).length;
}

describe('discovery-tray CLI', () => {
  let up: ChildProcess | undefined;
  let lbPort: number;

  beforeAll(async () => {
    lbPort = await freePort();
  });

  afterAll(async () => {
    await session.cleanup();
  });

  it('says clearly when no engine runs (exit 3), and prints usage on bad arguments (exit 2)', async () => {
    const status = await cli(['status']);
    expect(status.code).toBe(3);
    expect(status.stderr).toMatch(/No Discovery Tray engine is running.*discovery-tray up/);
    for (const args of [
      ['scale'],
      ['scale', 'web'],
      ['scale', 'web=x'],
      ['scale', 'db=2'],
      ['down', '--bogus'],
      ['status', '--bogus'],
      ['up', '--web', 'many'],
      ['up', '--lb-port', '99999'],
      ['frobnicate'],
      ['hits', '--bogus'],
      ['traffic'],
      ['traffic', 'jump'],
      ['traffic', 'start'],
      ['traffic', 'start', '--rate', '500'],
      ['traffic', 'start', '--rate', '10', '--duration', '0'],
    ]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(/Usage: discovery-tray/);
    }
    expect((await cli(['hits'])).code).toBe(3);
    expect((await cli(['traffic', 'status'])).code).toBe(3);
    const hitsHelp = await cli(['hits', '--help']);
    expect(hitsHelp.code).toBe(0);
    expect(hitsHelp.stdout).toMatch(/Usage: discovery-tray hits \[--follow\] \[--json\]/);
    const trafficHelp = await cli(['traffic', '--help']);
    expect(trafficHelp.code).toBe(0);
    expect(trafficHelp.stdout).toMatch(/traffic start --rate N/);
    const help = await cli(['scale', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: discovery-tray scale web=N/);
  });

  it('refuses a port in use, naming the port and the flag, and creates nothing', async () => {
    const blocker: Server = createServer();
    const busy = await freePort();
    await new Promise<void>((resolve) => blocker.listen(busy, '127.0.0.1', resolve));
    try {
      const result = await cli(['up', '--lb-port', String(busy), '--consul-port', String(await freePort())]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${busy}`);
      expect(result.stderr).toContain('--lb-port');
      expect(await stackContainers()).toBe(0);
    } finally {
      blocker.close();
    }
  });

  it('runs the demo: up, status --json, scale, refuses a bad scale, down', async () => {
    const consulPort = await freePort();
    const running = await session.up([
      ...['--web', '1', '--lb-port', String(lbPort), '--consul-port', String(consulPort)],
    ]);
    up = running.child;
    const upOutput = running.output;
    expect(upOutput()).toContain(`http://127.0.0.1:${lbPort}`);
    expect(upOutput()).toContain(`http://127.0.0.1:${consulPort}/ui/`);
    expect(statSync(join(stateDir, 'engine.json')).mode & 0o777).toBe(0o600);

    const again = await cli(['up']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already running/);

    const json = await cli(['status', '--json']);
    expect(json.code).toBe(0);
    const status = JSON.parse(json.stdout) as EngineStatus;
    expect(status.lb.url).toBe(`http://127.0.0.1:${lbPort}`);
    expect(status.consul.url).toBe(`http://127.0.0.1:${consulPort}`);
    // The dashboard: its URL carries the token in the fragment; the page itself is served without it.
    expect(status.dashboard?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{20,}$/);
    expect(upOutput()).toContain(status.dashboard!.url);
    const page = await fetch(status.dashboard!.url.split('#')[0]!, { signal: AbortSignal.timeout(5000) });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<div id="app"');
    const web = status.services.find((s) => s.name === 'web');
    expect(web).toMatchObject({ desired: 1, running: 1 });
    expect(web?.instances[0]?.address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    const scaled = await cli(['scale', 'web=3']);
    expect(scaled.code, scaled.stderr).toBe(0);
    expect(scaled.stdout).toMatch(/web: 3 running/);

    const bad = await cli(['scale', 'web=-2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/whole number from 0 to 100/);
    const after = JSON.parse((await cli(['status', '--json'])).stdout) as EngineStatus;
    expect(after.services.find((s) => s.name === 'web')?.running).toBe(3);

    const human = await cli(['status']);
    expect(human.stdout).toMatch(/service web: 3 running/);

    // Traffic from the CLI, bounded: 20/s for 2 s, then it stops by itself.
    const started = await cli(['traffic', 'start', '--rate', '20', '--duration', '2']);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toMatch(/sending 20 requests\/s/);
    const traffic = await waitFor(
      'the traffic to end',
      async () => {
        const t = JSON.parse((await cli(['traffic', 'status', '--json'])).stdout) as TrafficStatus;
        return t.running ? undefined : t;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(traffic.sent).toBeGreaterThanOrEqual(36);
    expect(traffic.sent).toBeLessThanOrEqual(44);
    const hitsJson = await waitFor(
      'the hits of that traffic',
      async () => {
        const h = JSON.parse((await cli(['hits', '--json'])).stdout) as HitsSnapshot;
        return h.backends.reduce((a, b) => a + b.total, 0) >= traffic.succeeded ? h : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 250 },
    );
    expect(hitsJson.source).toBe('web-logs');
    // Every running web instance is a row (with or without hits yet).
    const webInstances = after.services.find((s) => s.name === 'web')?.instances ?? [];
    for (const i of webInstances)
      expect(hitsJson.backends.map((b) => b.address)).toContain(`${i.address}:${i.port}`);
    for (const b of hitsJson.backends) {
      expect(b.address).toMatch(/^\d+\.\d+\.\d+\.\d+:\d+$/);
      expect(typeof b.total).toBe('number');
      expect(typeof b.perSecond).toBe('number');
      expect(typeof b.share).toBe('number');
    }
    const hitsTable = await cli(['hits']);
    expect(hitsTable.code).toBe(0);
    expect(hitsTable.stdout).toMatch(/hits from the web containers' own logs/);
    expect(hitsTable.stdout).toContain(hitsJson.backends[0]!.address);
    const withTimeline = JSON.parse((await cli(['status', '--json'])).stdout) as EngineStatus;
    expect(withTimeline.timeline?.some((e) => e.kind === 'first-request')).toBe(true);
    expect((await cli(['traffic', 'stop'])).code).toBe(0);

    const down = await cli(['down']);
    expect(down.code).toBe(0);
    await waitFor('the engine to exit', () => up?.exitCode !== null, { timeoutMs: 30_000, intervalMs: 100 });
    expect(up.exitCode).toBe(0);
    expect(await stackContainers()).toBe(0);
    expect((await cli(['status'])).code).toBe(3);
  });
});
