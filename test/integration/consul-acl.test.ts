/**
 * A user's own Consul with ACLs (default deny): the engine works with the
 * token it is given, and the token shows up nowhere (status, timeline,
 * anything printed).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../main/engine/engine.js';
import { probe } from '../../main/engine/traffic/http-probe.js';
import { TestResources, waitForConsulLeader } from '../support/docker-fixtures.js';
import { removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { testImages } from '../support/images.js';
import { freePort } from '../support/ports.js';
import { waitFor } from '../support/wait.js';

const token = randomUUID();

async function catalogCount(url: string, withToken: boolean): Promise<number> {
  const response = await fetch(`${url}/v1/catalog/service/web`, {
    headers: withToken ? { 'x-consul-token': token } : {},
    signal: AbortSignal.timeout(2000),
  });
  return ((await response.json()) as unknown[]).length;
}

describe("a user's Consul with ACLs (real Docker, Consul, nginx)", () => {
  const resources = new TestResources();
  let engine: Engine | undefined;
  let consulUrl: string;
  const printed: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    await resources.run({
      image: testImages.consul,
      cmd: [
        'agent',
        '-dev',
        '-client',
        '0.0.0.0',
        '-hcl',
        `acl { enabled = true default_policy = "deny" tokens { master = "${token}" } }`,
      ],
      labels: { SERVICE_IGNORE: 'true' },
      exposedPorts: ['8500/tcp'],
      publish: { '8500/tcp': port },
    });
    consulUrl = `http://127.0.0.1:${port}`;
    await waitForConsulLeader(consulUrl);
    for (const method of ['log', 'info', 'warn', 'error'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        printed.push(args.map(String).join(' '));
      });
    }
    ({ engine } = await startTestEngine({
      webCount: 1,
      consulAddress: `127.0.0.1:${port}`,
      consulToken: token,
    }));
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await removeTestStack({ engine });
    await resources.cleanup();
  });

  it('registers and routes with the token, and never shows the token', async () => {
    // Registered with the token; invisible without it (the ACL is really enforced).
    await waitFor('web in the ACL Consul', async () => (await catalogCount(consulUrl, true)) === 1, {
      timeoutMs: 20_000,
      intervalMs: 50,
    });
    expect(await catalogCount(consulUrl, false)).toBe(0);
    const result = await probe(engine!.status().lb.url, 'get');
    expect(result.ok, result.error).toBe(true);

    const status = JSON.stringify(engine!.status());
    expect(status).toContain(consulUrl);
    expect(status).not.toContain(token);
    expect(JSON.stringify(engine!.timeline.list())).not.toContain(token);
    expect(printed.join('\n')).not.toContain(token);
  });
});
