/**
 * The engine killed with SIGKILL (no cleanup at all) and started again: the
 * stack is adopted, not recreated, and Consul ends with exactly the running
 * web containers: nothing stale, nothing twice. Real processes, real Docker.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CliSession } from '../support/cli-session.js';
import { docker } from '../support/docker-fixtures.js';
import { freePort } from '../support/ports.js';
import { waitFor } from '../support/wait.js';

const session = new CliSession('restart');
const { project } = session;

async function stackIds(role: string): Promise<string[]> {
  const list = await docker.listContainers({
    filters: { label: [`org.discovery-tray.stack=${project}`, `org.discovery-tray.role=${role}`] },
  });
  return list.map((c) => c.Id).sort();
}

async function webCatalog(consulUrl: string): Promise<string[]> {
  const response = await fetch(`${consulUrl}/v1/catalog/service/web`, { signal: AbortSignal.timeout(2000) });
  return ((await response.json()) as { ServiceID: string }[]).map((e) => e.ServiceID).sort();
}

describe('engine killed with SIGKILL and started again', () => {
  afterAll(() => session.cleanup());

  it('adopts the stack and leaves no stale and no duplicate registration', async () => {
    const consulPort = await freePort();
    const consulUrl = `http://127.0.0.1:${consulPort}`;
    const ports = ['--lb-port', String(await freePort()), '--consul-port', String(consulPort)];
    const first = await session.up(['--web', '3', ...ports]);
    const consul = await stackIds('consul');
    const lb = await stackIds('lb');
    const web = await stackIds('web');
    expect(web).toHaveLength(3);
    await waitFor('three registrations', async () => (await webCatalog(consulUrl)).length === 3);

    first.child.kill('SIGKILL');
    await waitFor(
      'the engine to die',
      () => first.child.exitCode !== null || first.child.signalCode !== null,
    );
    // While no engine runs, a web container goes away: its registration is now stale.
    await docker.getContainer(web[2]!).remove({ force: true });
    expect(await webCatalog(consulUrl)).toHaveLength(3);

    // The state file of the killed engine is still there; a new `up` must see that it is dead.
    const second = await session.up(ports);
    expect(second.output()).toMatch(/adopted/);
    expect(await stackIds('consul')).toEqual(consul);
    expect(await stackIds('lb')).toEqual(lb);

    const running = await stackIds('web');
    expect(running).toHaveLength(2);
    await waitFor('the stale registration to go', async () => (await webCatalog(consulUrl)).length === 2, {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    const catalog = await webCatalog(consulUrl);
    expect(new Set(catalog).size).toBe(catalog.length);
    const names = await Promise.all(
      running.map(async (id) => (await docker.getContainer(id).inspect()).Name),
    );
    for (const name of names) expect(catalog.some((id) => id.includes(`${name.slice(1)}:`))).toBe(true);

    second.child.kill('SIGTERM');
    await waitFor('the engine to stop', () => second.child.exitCode !== null, { timeoutMs: 30_000 });
  });
});
