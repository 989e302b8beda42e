/**
 * A web container that takes a second to open its port, scaled in under load:
 * the engine registers it only once it listens, so nginx never meets a closed
 * port, never takes the new backend out (the classic template's max_fails=3
 * fail_timeout=60), and the new container serves within moments of its
 * registration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/engine/engine.js';
import type { DiscoveryService } from '../../main/service/discovery-service.js';
import { probe } from '../../main/engine/traffic/http-probe.js';
import { docker } from '../support/docker-fixtures.js';
import { removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { TEST_LABEL, testImages } from '../support/images.js';

describe('a web container that listens late', () => {
  const runId = `late-${process.pid}`;
  const image = `discovery-tray-test/late-web:${runId}`;
  let engine: Engine | undefined;
  let app: DiscoveryService | undefined;

  beforeAll(async () => {
    // simple-web behind one second of start-up, like an app that loads before it listens.
    const builder = await docker.createContainer({ Image: testImages.web, Labels: { [TEST_LABEL]: runId } });
    try {
      await builder.commit({
        repo: 'discovery-tray-test/late-web',
        tag: runId,
        changes: [
          `CMD ["sh", "-c", "sleep 1; exec python3 -S /simple-web/server.py"]`,
          `LABEL ${TEST_LABEL}=${runId}`,
        ],
      });
    } finally {
      await builder.remove({ force: true }).catch(() => undefined);
    }
    ({ engine, app } = await startTestEngine({
      webCount: 1,
      images: { consul: testImages.consul, lb: testImages.lb, web: image, webBase: testImages.python },
    }));
  });

  afterAll(async () => {
    await removeTestStack({ engine });
    await docker
      .getImage(image)
      .remove({ force: true })
      .catch(() => undefined);
  });

  it('is registered once it listens, and takes traffic right away', async () => {
    const url = app!.getStatus().lb.url;
    const before = new Set(app!.getStatus().services[0]?.instances.map((i) => i.containerId));
    // Two probe loops through the LB while the new container starts (bounded: 1,500 requests, 20 s).
    let probing = true;
    let budget = 1500;
    const deadline = Date.now() + 20_000;
    const answers: { ok: boolean; backend: string | undefined }[] = [];
    const prober = async (): Promise<void> => {
      while (probing && budget-- > 0 && Date.now() < deadline) {
        const result = await probe(url, 'get', { timeoutMs: 3000 });
        answers.push({ ok: result.ok, backend: result.backend });
      }
    };
    const probers = [prober(), prober()];
    await app!.call('scale', { service: 'web', count: 2 });
    const fresh = app!.getStatus().services[0]!.instances.find((i) => !before.has(i.containerId))!;
    const steps = engine!.timeline.list().filter((e) => e.containerId === fresh.containerId);
    const started = steps.find((e) => e.kind === 'container-started')!;
    const registered = steps.find((e) => e.kind === 'registered')!;
    expect(registered.at - started.at).toBeGreaterThanOrEqual(900);

    // Within a few seconds the new backend has answered through the LB: it was never taken out.
    const until = Date.now() + 5000;
    while (!answers.some((a) => a.backend === fresh.address) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    probing = false;
    await Promise.all(probers);
    expect(answers.some((a) => a.backend === fresh.address)).toBe(true);
    expect(answers.filter((a) => !a.ok)).toEqual([]);
    expect(engine!.timeline.list().some((e) => e.message.includes('did not listen'))).toBe(false);
  });
});
