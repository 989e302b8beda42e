/**
 * The readiness wait where the engine cannot read the containers' /proc (Docker
 * Desktop, a remote or rootless engine, podman machine), forced here through
 * `procRoot`: a web container that takes a second to open its port is still
 * registered only once it listens, told from inside the container by one
 * `docker exec`, and without the 3 s stall the /proc wait had when the pid on
 * the host is another process.
 */
import { hostname } from 'node:os';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsulClient, parseConsulAddress } from '../../main/engine/consul/consul-connection.js';
import { Registrator, type RegisteredService } from '../../main/engine/registrator/registrator.js';
import { ROLE_LABEL, STACK_LABEL } from '../../main/engine/stack/stack-config.js';
import { holdWebUntilListening } from '../../main/engine/stack/web-readiness.js';
import { Timeline } from '../../main/engine/timeline.js';
import { TestResources, docker, uniqueName } from '../support/docker-fixtures.js';
import { TEST_LABEL, testImages } from '../support/images.js';
import { waitFor } from '../support/wait.js';

describe('the readiness wait without the host /proc (real Docker, real Consul)', () => {
  const resources = new TestResources();
  const project = `fallback-${process.pid}`;
  const lateImage = `discovery-tray-test/late-web:fallback-${process.pid}`;
  let network: string;
  let consulUrl: string;
  let scratch: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'dt-proc-'));
    network = await resources.network();
    consulUrl = (await resources.consul(network)).url;
    // simple-web behind one second of start-up, like an app that loads before it listens.
    const builder = await docker.createContainer({ Image: testImages.web, Labels: resources.labels() });
    try {
      const [repo, tag] = lateImage.split(':') as [string, string];
      await builder.commit({
        repo,
        tag,
        changes: [
          `CMD ["sh", "-c", "sleep 1; exec python3 -S /simple-web/server.py"]`,
          `LABEL ${TEST_LABEL}=${resources.runId}`,
        ],
      });
    } finally {
      await builder.remove({ force: true }).catch(() => undefined);
    }
  });

  afterAll(async () => {
    await resources.cleanup();
    await docker
      .getImage(lateImage)
      .remove({ force: true })
      .catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  });

  function webContainer(image: string): Promise<Dockerode.Container> {
    return resources.run({
      image,
      network,
      labels: { [STACK_LABEL]: project, [ROLE_LABEL]: 'web', SERVICE_NAME: uniqueName('web') },
    });
  }

  async function execsIn(containerId: string, since: number): Promise<number> {
    const stream = await docker.getEvents({
      since: Math.floor(since / 1000) - 1,
      until: Math.ceil(Date.now() / 1000) + 1,
      filters: { container: [containerId], event: ['exec_create'] },
    });
    const text = await new Promise<string>((resolve) => {
      let all = '';
      stream.on('data', (chunk: Buffer) => (all += chunk.toString('utf8')));
      stream.on('end', () => resolve(all));
    });
    return text.split('\n').filter((line) => line.includes('listen-check')).length;
  }

  it('registers a late web container once it listens, asking inside the container (no /proc at all)', async () => {
    const timeline = new Timeline();
    const registrator = new Registrator(docker, createConsulClient(parseConsulAddress(consulUrl)), timeline, {
      hostname: `it-${hostname()}`,
      mode: 'internal',
      preferredNetworks: [network],
      beforeRegister: holdWebUntilListening(project, timeline, { procRoot: join(scratch, 'empty') }),
    });
    await registrator.start();
    try {
      const since = Date.now();
      for (const [image, slowest] of [
        [lateImage, 2500],
        [testImages.web, 1500],
      ] as const) {
        const container = await webContainer(image);
        const steps = await waitFor(
          'registration',
          () => {
            const mine = timeline.list().filter((e) => e.containerId === container.id);
            const started = mine.find((e) => e.kind === 'container-started');
            const registered = mine.find((e) => e.kind === 'registered');
            return started && registered ? { started, registered } : undefined;
          },
          { timeoutMs: 10_000 },
        );
        const waited = steps.registered.at - steps.started.at;
        if (image === lateImage) expect(waited).toBeGreaterThanOrEqual(900);
        expect(waited).toBeLessThan(slowest);
        expect(await execsIn(container.id, since)).toBe(1);
      }
      expect(timeline.list().filter((e) => e.kind === 'warning')).toEqual([]);
    } finally {
      await registrator.stop();
    }
  });

  it('does not wait 3 s where the pid on the host is another process (Docker Desktop, a remote engine)', async () => {
    const container = await webContainer(lateImage);
    const facts = await container.inspect();
    const startedAt = Date.now();
    // What the engine would see at that pid: a process of its own, in its own network namespace.
    const pidDir = join(scratch, 'other', String(facts.State.Pid));
    mkdirSync(join(pidDir, 'net'), { recursive: true });
    copyFileSync('/proc/self/cgroup', join(pidDir, 'cgroup'));
    for (const file of ['tcp', 'tcp6']) copyFileSync(`/proc/self/net/${file}`, join(pidDir, 'net', file));

    const timeline = new Timeline();
    const hold = holdWebUntilListening(project, timeline, { procRoot: join(scratch, 'other') });
    // As a followed host registers it (published mode): the port is the host's, the wait is for the container's.
    const service = {
      port: 49153,
      containerPort: 80,
      containerName: facts.Name.slice(1),
    } as RegisteredService;
    await hold(facts, [service], docker);
    const held = Date.now() - startedAt;
    expect(held).toBeGreaterThanOrEqual(700);
    expect(held).toBeLessThan(2500);
    expect(timeline.list()).toEqual([]);
    expect(await execsIn(container.id, startedAt)).toBe(1);
  });
});
