/**
 * A Compose service scaled from the CLI, the way `docker compose up --scale` scales it, with the
 * demo's draining order on the way down: 1 → 3 → 1 under a GET/POST/slow load, 0 failed requests.
 * No compose binary is needed: the test makes the "project" itself, with the labels, names,
 * networks and aliases Compose v2 gives a replica. A container that registers the same service but
 * is neither the demo's nor Compose's is never touched by any scale.
 */
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, type EngineStatus, type ScaleTargetView } from '../../contract/index.js';
import { runLoad } from '../../main/engine/traffic/load-loop.js';
import { TestResources, docker } from '../support/docker-fixtures.js';
import { CliSession } from '../support/cli-session.js';
import { testImages } from '../support/images.js';
import { freePort } from '../support/ports.js';
import { waitFor } from '../support/wait.js';

const session = new CliSession('compose');
/** The Compose project: Compose's own rule for names (lowercase letters, digits, _ and -). */
const compose = `dtc${process.pid}`;
const target = `${compose}/web`;
const cli = session.run.bind(session);
const status = session.status.bind(session);

function targetOf(s: EngineStatus, name: string): ScaleTargetView | undefined {
  return s.scaleTargets?.find((t) => t.target === name);
}

/** A replica as Compose v2 makes one: its labels, its name, the first network at create, the others before start. */
async function composeReplica(
  resources: TestResources,
  service: string,
  networks: { name: string; aliases: string[] }[],
  options: { env?: string[]; publish?: number } = {},
): Promise<Dockerode.Container> {
  const name = `${compose}-${service}-1`;
  const [first, ...others] = networks;
  const container = await docker.createContainer({
    name,
    Image: testImages.web,
    Env: options.env ?? ['SERVICE_NAME=web', 'SERVICE_TAGS=backend'],
    ExposedPorts: { '80/tcp': {} },
    Labels: resources.labels({
      'com.docker.compose.project': compose,
      'com.docker.compose.service': service,
      'com.docker.compose.container-number': '1',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.config-hash': 'f00d',
      'com.docker.compose.version': '2.29.1',
    }),
    HostConfig: {
      NetworkMode: first!.name,
      RestartPolicy: { Name: 'unless-stopped' },
      PortBindings: {
        '80/tcp': [{ HostIp: '127.0.0.1', HostPort: options.publish ? String(options.publish) : '' }],
      },
    },
    NetworkingConfig: { EndpointsConfig: { [first!.name]: { Aliases: [name, ...first!.aliases] } } },
  });
  for (const network of others)
    await docker
      .getNetwork(network.name)
      .connect({ Container: container.id, EndpointConfig: { Aliases: [name, ...network.aliases] } });
  await container.start();
  return container;
}

async function replicasOf(service: string): Promise<Dockerode.ContainerInspectInfo[]> {
  const listed = await docker.listContainers({
    all: true,
    filters: {
      label: [`com.docker.compose.project=${compose}`, `com.docker.compose.service=${service}`],
    },
  });
  const infos = await Promise.all(listed.map((c) => docker.getContainer(c.Id).inspect()));
  return infos.sort((a, b) => a.Name.localeCompare(b.Name));
}

describe('scaling a Compose service from the CLI (real Docker, Consul, nginx)', () => {
  const resources = new TestResources();
  let lbUrl: string;
  let front: string;
  let back: string;
  let first: Dockerode.ContainerInspectInfo;
  let foreign: Dockerode.ContainerInspectInfo;

  beforeAll(async () => {
    const lbPort = await freePort();
    await session.up(['--web', '1', '--lb-port', String(lbPort), '--consul-port', String(await freePort())]);
    lbUrl = `http://127.0.0.1:${lbPort}/`;

    front = await resources.network(`${compose}_front`);
    back = await resources.network(`${compose}_back`);

    const replica = await composeReplica(resources, 'web', [
      { name: back, aliases: ['web'] },
      { name: front, aliases: ['web', 'webalias'] },
    ]);
    first = await replica.inspect();
    // Registers the same service, routed by the same template, but is neither ours nor Compose's.
    const stranger = await resources.run({
      name: `${compose}-stranger`,
      network: back,
      env: { SERVICE_NAME: 'web', SERVICE_TAGS: 'backend' },
    });
    foreign = await stranger.inspect();
  });

  afterAll(async () => {
    await session.cleanup();
    // The replicas the engine made are copies: they carry the test's label too.
    const made = await docker.listContainers({
      all: true,
      filters: { label: [`com.docker.compose.project=${compose}`] },
    });
    await Promise.all(
      made.map((c) =>
        docker
          .getContainer(c.Id)
          .remove({ force: true, v: true })
          .catch(() => undefined),
      ),
    );
    await resources.cleanup();
  });

  it('lists the Compose service as scalable and the stranger as only also registered', async () => {
    const s = await waitFor(
      'the replica and the stranger to be registered',
      async () => {
        const s = await status();
        const web = s.services.find((x) => x.name === 'web');
        return targetOf(s, target)?.running === 1 && web?.alsoRegistered === 1 ? s : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(targetOf(s, target)).toMatchObject({
      managedBy: 'compose',
      composeProject: compose,
      composeService: 'web',
      services: ['web'],
      min: 1,
      max: LIMITS.maxWebInstances,
      scalable: true,
      busy: false,
    });
    const instances = s.services.find((x) => x.name === 'web')!.instances;
    expect(instances.find((i) => i.containerId === first.Id)).toMatchObject({
      managedBy: 'compose',
      scaleTarget: target,
      composeNumber: 1,
    });
    expect(instances.find((i) => i.containerId === foreign.Id)).toMatchObject({ managedBy: 'none' });
    expect(instances.find((i) => i.containerId === foreign.Id)).not.toHaveProperty('scaleTarget');
    // running counts what the engine manages: the demo's web-1 and the replica, not the stranger.
    expect(s.services.find((x) => x.name === 'web')?.running).toBe(2);
    expect((await cli(['status'])).stdout).toMatch(new RegExp(`${compose}-stranger .*also registered`));
  });

  it('scales 1 → 3 → 1 under GET, POST and slow load with 0 failed requests, as Compose would', async () => {
    let scaled!: () => void;
    const scalingDone = new Promise<void>((resolve) => (scaled = resolve));
    const load = runLoad({
      url: lbUrl,
      total: 4000,
      concurrency: 8,
      deadlineMs: 120_000,
      // POSTs are never retried by nginx: a slow one in flight to a replica stopped too early fails.
      mix: ['get', 'post', 'slow', 'slow-post'],
      slowDelayMs: 300,
      until: scalingDone,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));

    const upTo3 = await cli(['scale', `${target}=3`]);
    expect(upTo3.code, upTo3.stderr).toBe(0);
    expect(upTo3.stdout).toContain(`${target}: 3 running (desired 3)`);

    const three = await replicasOf('web');
    expect(three.map((r) => r.Name)).toEqual([`/${compose}-web-1`, `/${compose}-web-2`, `/${compose}-web-3`]);
    expect(three[0]!.Id).toBe(first.Id);
    for (const [index, replica] of three.slice(1).entries()) {
      const number = String(index + 2);
      const name = `${compose}-web-${number}`;
      expect(replica.State.Running).toBe(true);
      expect(replica.Config.Labels).toEqual({
        ...first.Config.Labels,
        'com.docker.compose.container-number': number,
      });
      expect(replica.Config.Image).toBe(first.Config.Image);
      expect(replica.Image).toBe(first.Image);
      expect(replica.Config.Env).toEqual(first.Config.Env);
      expect(replica.Config.Cmd).toEqual(first.Config.Cmd);
      expect(replica.HostConfig.RestartPolicy).toEqual(first.HostConfig.RestartPolicy);
      expect(replica.HostConfig.NetworkMode).toBe(back);
      // The same networks, with the service's aliases and its own name (and not the first replica's).
      const networks = replica.NetworkSettings.Networks;
      expect(Object.keys(networks).sort()).toEqual([back, front].sort());
      expect(networks[back]!.Aliases).toEqual(expect.arrayContaining([name, 'web']));
      expect(networks[front]!.Aliases).toEqual(expect.arrayContaining([name, 'web', 'webalias']));
      for (const network of [back, front]) {
        expect(networks[network]!.Aliases).not.toContain(`${compose}-web-1`);
        expect(networks[network]!.Aliases).not.toContain(first.Id.slice(0, 12));
      }
      // Its published port is its own (an ephemeral one), on 127.0.0.1 as the first one's.
      expect(replica.HostConfig.PortBindings).toEqual(first.HostConfig.PortBindings);
    }
    const at3 = await status();
    expect(targetOf(at3, target)).toMatchObject({ running: 3, busy: false });
    expect(
      at3.services
        .find((x) => x.name === 'web')!
        .instances.filter((i) => i.scaleTarget === target)
        .map((i) => [i.containerName, i.composeNumber, i.state]),
    ).toEqual([
      [`${compose}-web-1`, 1, 'serving'],
      [`${compose}-web-2`, 2, 'serving'],
      [`${compose}-web-3`, 3, 'serving'],
    ]);
    const newAddresses = three.slice(1).map((r) => r.NetworkSettings.Networks[back]!.IPAddress);

    // Let the new replicas serve a little before they go.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const downTo1 = await cli(['scale', `${target}=1`]);
    expect(downTo1.code, downTo1.stderr).toBe(0);
    expect(downTo1.stdout).toContain(`${target}: 1 running (desired 1)`);
    scaled();
    const report = await load;

    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.sent).toBeGreaterThan(100);
    expect(report.byKind.post).toBeGreaterThan(20);
    expect(report.byKind.slow).toBeGreaterThan(10);
    expect(report.byKind['slow-post']).toBeGreaterThan(10);
    // The copies took traffic while they ran (the served-by header is the backend's own address).
    const served = Object.keys(report.byBackend);
    expect(newAddresses.some((address) => served.some((backend) => backend.includes(address)))).toBe(true);

    // Down from the highest numbers: the replica Compose made is the one that stays.
    const one = await replicasOf('web');
    expect(one.map((r) => r.Id)).toEqual([first.Id]);
    const timeline = (await status()).timeline ?? [];
    for (const n of [2, 3])
      expect(timeline.map((e) => e.message)).toContain(`${compose}-web-${n} drained and removed`);
  }, 240_000);

  it('refuses what it cannot do, and changes nothing', async () => {
    // Never right: exit 2 before an engine is asked.
    const zero = await cli(['scale', `${target}=0`]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain(`"${target}" cannot be scaled to 0`);
    const badName = await cli(['scale', `${compose.toUpperCase()}/web=2`]);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/A Compose service is named <project>\/<service>/);

    // Nothing runs to copy from.
    const missing = await cli(['scale', `${compose}/nothing=2`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`No container of the Compose service ${compose}/nothing runs`);

    // A fixed host port cannot be scaled: said in the status before anyone asks, and refused when asked.
    const hostPort = await freePort();
    await composeReplica(resources, 'fixed', [{ name: back, aliases: ['fixed'] }], {
      env: ['SERVICE_NAME=fixed'],
      publish: hostPort,
    });
    const blocked = await waitFor(
      'the fixed service to be registered',
      async () => targetOf(await status(), `${compose}/fixed`),
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(blocked).toMatchObject({ scalable: false, running: 1 });
    expect(blocked.blockedBy).toContain(`host port ${hostPort}`);
    const refused = await cli(['scale', `${compose}/fixed=2`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`publishes 80/tcp on host port ${hostPort}`);
    expect(refused.stderr).toContain('Nothing was changed.');
    expect(await replicasOf('fixed')).toHaveLength(1);
  });

  it('never touches the stranger, whatever is scaled', async () => {
    for (const count of [2, 1]) {
      const demo = await cli(['scale', `web=${count}`]);
      expect(demo.code, demo.stderr).toBe(0);
    }
    const now = await docker.getContainer(foreign.Id).inspect();
    expect(now.State.Running).toBe(true);
    expect(now.State.StartedAt).toBe(foreign.State.StartedAt);
    expect(now.RestartCount).toBe(0);
    expect((await replicasOf('web')).map((r) => r.Id)).toEqual([first.Id]);
    const s = await status();
    expect(s.services.find((x) => x.name === 'web')).toMatchObject({ alsoRegistered: 1 });
  });
});
