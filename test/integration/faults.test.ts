/**
 * Faults survived, against the real components: Consul restarted under
 * traffic, the LB or a web container removed by hand. (The Docker event
 * stream cut is in registrator.test.ts; the engine killed with SIGKILL is in
 * cli.test.ts, where the engine is a process of its own.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/engine/engine.js';
import type { DiscoveryService } from '../../main/service/discovery-service.js';
import { probe, type RequestKind } from '../../main/engine/traffic/http-probe.js';
import { runLoad } from '../../main/engine/traffic/load-loop.js';
import { docker } from '../support/docker-fixtures.js';
import { removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { waitFor } from '../support/wait.js';

async function catalogIds(consulUrl: string): Promise<string[]> {
  const response = await fetch(`${consulUrl}/v1/health/service/web`, { signal: AbortSignal.timeout(2000) });
  const entries = (await response.json()) as { Service: { ID: string } }[];
  return entries.map((e) => e.Service.ID).sort();
}

/**
 * Load through the LB (bounded: 3000 requests, 60 s, two at a time) until `finish()`, which lets it
 * run one second more, then checks that it sent enough and that nothing failed.
 */
function loadUntilFinished(url: string, mix: readonly RequestKind[]): { finish: () => Promise<void> } {
  let end: () => void = () => undefined;
  const until = new Promise<void>((resolve) => (end = resolve));
  const load = runLoad({ url, total: 3000, concurrency: 2, deadlineMs: 60_000, mix, until });
  return {
    finish: async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      end();
      const report = await load;
      expect(report.sent).toBeGreaterThan(50);
      expect(report.failures).toEqual([]);
    },
  };
}

async function consulAnswers(consulUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${consulUrl}/v1/status/leader`, { signal: AbortSignal.timeout(500) });
    return response.ok && (await response.text()).length > 2;
  } catch {
    return false;
  }
}

describe('faults (real Docker, Consul, nginx)', () => {
  let engine: Engine;
  let app: DiscoveryService;

  beforeAll(async () => {
    ({ engine, app } = await startTestEngine({ webCount: 3 }));
  });

  afterAll(async () => {
    await removeTestStack({ engine });
  });

  it('keeps the LB serving while Consul restarts and loses its data, then restores every registration within 2 s', async () => {
    const consulUrl = app.getStatus().consul.url;
    const before = await catalogIds(consulUrl);
    expect(before).toHaveLength(3);
    const generation = app.getStatus().lb.generation;

    // Through the outage and a second past the restore.
    const load = loadUntilFinished(app.getStatus().lb.url, ['get', 'post']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // A dev-mode Consul keeps nothing across a restart.
    await docker.getContainer(`${engine.config.project}-consul`).restart({ t: 0 });
    const answering = await waitFor('Consul to answer again', () => consulAnswers(consulUrl), {
      timeoutMs: 30_000,
      intervalMs: 20,
    });
    expect(answering).toBe(true);
    const answeredAt = Date.now();
    const restored = await waitFor(
      'the registrations to be back',
      async () => ((await catalogIds(consulUrl).catch(() => [])).length === 3 ? Date.now() : undefined),
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    expect(restored - answeredAt).toBeLessThanOrEqual(2000);
    expect(await catalogIds(consulUrl)).toEqual(before);

    await load.finish();
    // Never an empty upstream: every config nginx got in the meantime routed to the three backends.
    const status = app.getStatus();
    expect(status.lb.config).not.toContain('65535');
    if (status.lb.generation > generation) expect(status.lb.previousConfig).not.toContain('65535');
    const kinds = engine.timeline.list().map((e) => e.kind);
    expect(kinds).toContain('consul-down');
    expect(kinds.lastIndexOf('consul-up')).toBeGreaterThan(kinds.lastIndexOf('consul-down'));
  });

  it('recreates the LB container removed by hand, serving the current config', async () => {
    const project = engine.config.project;
    const lbName = `${project}-lb`;
    const before = await docker.getContainer(lbName).inspect();
    const { config, generation } = app.getStatus().lb;
    expect(config).toContain('server ');
    await docker.getContainer(lbName).remove({ force: true });
    const after = await waitFor(
      'a new LB container',
      async () => {
        const info = await docker.getContainer(lbName).inspect();
        return info.Id !== before.Id && info.State.Running ? info : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const bindings = after.HostConfig.PortBindings as Record<string, { HostIp: string }[]>;
    expect(bindings['80/tcp']?.[0]).toMatchObject({ HostIp: '127.0.0.1' });
    // A newer generation: the config was applied to the new container, not just kept from the old one.
    await waitFor(
      'the current config applied to the new LB',
      () => app.getStatus().lb.generation > generation && app.getStatus().lb.config === config,
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    const backends = new Set<string>();
    for (let i = 0; i < 9; i++) {
      const result = await probe(app.getStatus().lb.url, 'get');
      expect(result.ok, result.error).toBe(true);
      backends.add(result.backend ?? '');
    }
    expect(backends.size).toBe(3);
    expect(engine.timeline.list().some((e) => e.message.includes('LB container was removed'))).toBe(true);
  });

  it('puts back registrations that left Consul without the engine (removed by hand, as a leaving agent does), the LB serving all along', async () => {
    const consulUrl = app.getStatus().consul.url;
    const before = await catalogIds(consulUrl);
    expect(before).toHaveLength(3);
    const load = loadUntilFinished(app.getStatus().lb.url, ['get']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Every web registration gone at once, behind the engine's back: an empty upstream if rendered.
    for (const id of before) {
      const response = await fetch(`${consulUrl}/v1/agent/service/deregister/${encodeURIComponent(id)}`, {
        method: 'PUT',
        signal: AbortSignal.timeout(2000),
      });
      expect(response.ok).toBe(true);
    }
    await waitFor(
      'the registrations to be back',
      async () => ((await catalogIds(consulUrl).catch(() => [])).length === 3 ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 20 },
    ).catch((e: unknown) => {
      console.info(
        engine.timeline
          .recent(30)
          .map((x) => `${x.kind} ${x.message}`)
          .join('\n'),
      );
      throw e;
    });
    expect(await catalogIds(consulUrl)).toEqual(before);
    await load.finish();
    expect(app.getStatus().lb.config?.match(/server \d+\.\d+\.\d+\.\d+:\d+ max_fails/g)).toHaveLength(3);
    expect(engine.timeline.list().some((e) => e.message.includes('without the engine deregistering'))).toBe(
      true,
    );
  });

  it('deregisters a web container killed by hand, and replaces it to keep the desired count', async () => {
    const consulUrl = app.getStatus().consul.url;
    const web = app.getStatus().services.find((s) => s.name === 'web');
    expect(web?.desired).toBe(3);
    const victim = web!.instances[0]!;
    await docker.getContainer(victim.containerId).kill();
    await waitFor(
      'the victim to leave the catalog',
      async () => !(await catalogIds(consulUrl)).includes(victim.id),
      {
        timeoutMs: 10_000,
        intervalMs: 20,
      },
    );
    await waitFor(
      'a replacement to serve',
      () => {
        const now = app.getStatus().services.find((s) => s.name === 'web');
        return (
          now?.instances.filter((i) => i.state === 'serving' && i.containerId !== victim.containerId)
            .length === 3
        );
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    ).catch((e: unknown) => {
      console.info(
        JSON.stringify(
          app.getStatus().services.find((s) => s.name === 'web'),
          null,
          1,
        ),
      );
      console.info(
        engine.timeline
          .recent(60)
          .map((ev) => `${new Date(ev.at).toISOString()} ${ev.kind} ${ev.message}`)
          .join('\n'),
      );
      throw e;
    });
    expect(await catalogIds(consulUrl)).toHaveLength(3);
  });
});
