/**
 * Several Docker engines, with a real second engine: the test makes a network namespace and a veth
 * pair with addresses of its own (10.213.x.y/30, unique per run), starts a second dockerd inside
 * it (its own data-root, exec-root and pidfile under a temp dir, listening on the veth address
 * only), loads the web image into it and starts the engine with both endpoints. Web containers on
 * both hosts answer through the LB on 127.0.0.1; killing the second dockerd takes its instances
 * out of Consul within the documented bound; restarting it brings them back, with no duplicate
 * IDs. Traffic goes only to 127.0.0.1 and the test's own veth addresses.
 *
 * Where the machine forbids a step (not root, no `ip netns`, no dockerd binary), the tests that
 * need the second engine are skipped with the reason; the rest (a followed host that never
 * answers is shown lost while the local demo serves) still runs.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/engine/engine.js';
import { LOST_AFTER_MS, PING_EVERY_MS } from '../../main/engine/multi/followed-host.js';
import type { FollowedHostSpec } from '../../main/engine/multi/docker-host-spec.js';
import { docker as localDocker } from '../support/docker-fixtures.js';
import { removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { testImages } from '../support/images.js';
import { freePort } from '../support/ports.js';
import { waitFor } from '../support/wait.js';

const run = promisify(execFile);

/** A second dockerd in a namespace of its own, reached over a veth pair. */
class SecondEngine {
  readonly id = randomBytes(3).toString('hex');
  readonly ns = `dtme-${this.id}`;
  readonly vethHere = `dtmeA${this.id}`;
  readonly vethThere = `dtmeB${this.id}`;
  readonly near: string;
  readonly far: string;
  /** The default bridge's subnet inside the namespace, so its containers' addresses differ from the local ones. */
  readonly bridge: string;
  dir = '';
  process: ChildProcess | undefined;
  private netnsMade = false;
  private vethMade = false;

  constructor() {
    const x = randomInt(0, 256);
    const y = randomInt(0, 64) * 4;
    this.near = `10.213.${x}.${y + 1}`;
    this.far = `10.213.${x}.${y + 2}`;
    this.bridge = `10.214.${x}.1/24`;
  }

  get socket(): string {
    return join(this.dir, 'sock');
  }

  client(): Dockerode {
    return new Dockerode({ socketPath: this.socket });
  }

  /** Resolves with why the second engine cannot run here, or undefined once it runs. */
  async setUp(): Promise<string | undefined> {
    if (process.getuid?.() !== 0) return 'not root: cannot make a network namespace or run a second dockerd';
    for (const tool of ['ip', 'nsenter', 'dockerd']) {
      try {
        await run('sh', ['-c', `command -v ${tool}`]);
      } catch {
        return `no ${tool} binary on this machine`;
      }
    }
    try {
      await run('ip', ['netns', 'add', this.ns]);
      this.netnsMade = true;
      await run('ip', [
        'link',
        'add',
        this.vethHere,
        'type',
        'veth',
        'peer',
        'name',
        this.vethThere,
        'netns',
        this.ns,
      ]);
      this.vethMade = true;
      await run('ip', ['addr', 'add', `${this.near}/30`, 'dev', this.vethHere]);
      await run('ip', ['link', 'set', this.vethHere, 'up']);
      await this.inNs('ip', 'addr', 'add', `${this.far}/30`, 'dev', this.vethThere);
      await this.inNs('ip', 'link', 'set', this.vethThere, 'up');
      await this.inNs('ip', 'link', 'set', 'lo', 'up');
    } catch (error) {
      return `cannot make a network namespace with a veth pair here (${(error as Error).message.split('\n')[0]})`;
    }
    this.dir = await mkdtemp(join(tmpdir(), 'dtme-'));
    this.startDockerd();
    try {
      await waitFor(
        'the second dockerd to answer',
        () =>
          this.client()
            .ping()
            .then(() => true),
        {
          timeoutMs: 30_000,
          intervalMs: 250,
        },
      );
    } catch (error) {
      return `the second dockerd did not start (${(error as Error).message}); see ${join(this.dir, 'dockerd.log')}`;
    }
    // The web image, as the local engine has it (docker save | docker load).
    const image = await localDocker.getImage(testImages.web).get();
    const load = await this.client().loadImage(image);
    await new Promise((resolve, reject) => {
      load.on('end', resolve);
      load.on('error', reject);
      load.resume();
    });
    return undefined;
  }

  startDockerd(): void {
    // nsenter (not `ip netns exec`, which remounts /sys and hides the cgroups dockerd needs)
    // execs dockerd in the namespace: this pid is dockerd's own.
    this.process = spawn(
      'sh',
      [
        '-c',
        `exec nsenter --net=/run/netns/${this.ns} dockerd --tls=false --data-root ${this.dir}/data --exec-root ${this.dir}/exec ` +
          `--pidfile ${this.dir}/pid -H unix://${this.socket} -H tcp://${this.far}:2375 --bip ${this.bridge} ` +
          `>>${this.dir}/dockerd.log 2>&1`,
      ],
      { stdio: 'ignore' },
    );
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
  }

  async runWeb(name: string): Promise<void> {
    const container = await this.client().createContainer({
      name,
      Image: testImages.web,
      Env: ['SERVICE_NAME=web', 'SERVICE_TAGS=backend'],
      HostConfig: {
        PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '' }] },
        // Back after the engine restarts, as a service on a real host would be.
        RestartPolicy: { Name: 'always' },
      },
    });
    await container.start();
    // Listening before the engine sees it: nginx would hold a backend refused early out for its fail_timeout.
    const info = await container.inspect();
    const port = info.NetworkSettings.Ports['80/tcp']?.[0]?.HostPort;
    await waitFor(
      `${name} answering on ${this.far}:${port}`,
      async () => (await fetch(`http://${this.far}:${port}/`, { signal: AbortSignal.timeout(1000) })).ok,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  }

  async tearDown(): Promise<void> {
    if (this.process) {
      const client = this.client();
      const containers = await client.listContainers({ all: true }).catch(() => []);
      await Promise.all(
        containers.map((c) =>
          client
            .getContainer(c.Id)
            .remove({ force: true })
            .catch(() => undefined),
        ),
      );
      await this.kill('SIGTERM');
    }
    if (this.netnsMade) {
      // Whatever still runs in the test's own namespace was started by it (a containerd left by the SIGKILL).
      const { stdout } = await run('ip', ['netns', 'pids', this.ns]).catch(() => ({ stdout: '' }));
      for (const pid of stdout.split(/\s+/).filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // gone already
        }
      }
    }
    if (this.vethMade) await run('ip', ['link', 'del', this.vethHere]).catch(() => undefined);
    if (this.netnsMade) await run('ip', ['netns', 'del', this.ns]).catch(() => undefined);
    if (this.dir) {
      // dockerd leaves mounts under its data-root until it has stopped; best effort.
      await run('sh', [
        '-c',
        `grep -o ' ${this.dir}[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l`,
      ]).catch(() => undefined);
      await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  private inNs(...args: string[]): Promise<unknown> {
    return run('ip', ['netns', 'exec', this.ns, ...args]);
  }
}

interface AgentService {
  ID: string;
  Service: string;
  Address: string;
  Port: number;
  Meta?: Record<string, string>;
}

describe('several Docker engines (a real second dockerd in its own namespace)', () => {
  const second = new SecondEngine();
  let skipReason: string | undefined;
  let engine: Engine | undefined;
  let consulPort = 0;

  const agentServices = async (): Promise<AgentService[]> => {
    const response = await fetch(`http://127.0.0.1:${consulPort}/v1/agent/services`, {
      signal: AbortSignal.timeout(2000),
    });
    return Object.values((await response.json()) as Record<string, AgentService>);
  };
  /** Who answers through the LB, over a bounded number of requests. */
  const servedBy = async (requests: number): Promise<Set<string>> => {
    const seen = new Set<string>();
    for (let i = 0; i < requests; i++) {
      const response = await fetch(engine!.status().lb.url, { signal: AbortSignal.timeout(2000) });
      await response.text();
      if (response.status === 200) seen.add(response.headers.get('x-served-by') ?? '');
    }
    return seen;
  };
  const secondAddresses = async (): Promise<Set<string>> => {
    const client = second.client();
    const list = await client.listContainers();
    const ips = await Promise.all(
      list.map(
        async (c) =>
          (await client.getContainer(c.Id).inspect()).NetworkSettings.Networks.bridge?.IPAddress ?? '',
      ),
    );
    return new Set(ips);
  };

  beforeAll(async () => {
    skipReason = await second.setUp();
    if (skipReason) console.warn(`multi-engine: the second-engine tests are skipped: ${skipReason}`);
    const ghostPort = await freePort();
    const followedHosts: FollowedHostSpec[] = [
      // Nothing listens there: a followed host that never answers.
      { address: `tcp://127.0.0.1:${ghostPort}`, name: 'ghost', ip: '127.0.0.1' },
      ...(skipReason ? [] : [{ address: `tcp://${second.far}:2375`, name: 'second', ip: second.far }]),
    ];
    if (!skipReason) {
      await second.runWeb(`dtme-web-a-${second.id}`);
      await second.runWeb(`dtme-web-b-${second.id}`);
    }
    consulPort = await freePort();
    ({ engine } = await startTestEngine({ webCount: 2, consulPort, followedHosts }));
  }, 150_000);

  afterAll(async () => {
    await removeTestStack({ engine });
    await second.tearDown();
  }, 90_000);

  it('shows a followed host that never answers as lost, while the local demo serves', async () => {
    const ghost = await waitFor(
      'the ghost host to be reported lost',
      () => engine!.status().dockerHosts?.find((h) => h.name === 'ghost' && h.state === 'lost'),
      { timeoutMs: LOST_AFTER_MS + 3 * PING_EVERY_MS + 5000, intervalMs: 250 },
    );
    expect(ghost.error).toBeTruthy();
    const local = engine!.status().dockerHosts?.find((h) => h.local);
    expect(local).toMatchObject({ name: 'local', state: 'connected' });
    await waitFor('the local demo to answer through the LB', async () => (await servedBy(4)).size > 0, {
      timeoutMs: 20_000,
      intervalMs: 250,
    });
  }, 40_000);

  it('round-robins the LB over web instances on both hosts, each carrying its host', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const remote = await secondAddresses();
    const seen = await waitFor(
      'answers from both hosts through the LB',
      async () => {
        const answers = await servedBy(12);
        const fromSecond = [...answers].filter((a) => remote.has(a));
        return fromSecond.length === 2 && answers.size === 4 ? answers : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(seen.size).toBe(4);
    const web = (await agentServices()).filter((s) => s.Service === 'web');
    expect(web.filter((s) => s.Meta?.['dt-host'] === 'second').map((s) => s.Address)).toEqual([
      second.far,
      second.far,
    ]);
    expect(web.filter((s) => s.Meta?.['dt-host'] === 'local')).toHaveLength(2);
    const instances = engine!.status().services.find((s) => s.name === 'web')!.instances;
    expect(instances.filter((i) => i.host === 'second')).toHaveLength(2);
  }, 60_000);

  it('takes a killed host out within the bound and puts it back, no duplicate IDs, when it returns', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const onSecond = (list: AgentService[]): AgentService[] =>
      list.filter((s) => s.Meta?.['dt-host'] === 'second');
    const before = onSecond(await agentServices())
      .map((s) => s.ID)
      .sort();
    expect(before).toHaveLength(2);

    const killedAt = Date.now();
    await second.kill('SIGKILL');
    await waitFor(
      'the second host to leave Consul',
      async () => onSecond(await agentServices()).length === 0 || undefined,
      {
        timeoutMs: LOST_AFTER_MS + 2 * PING_EVERY_MS + 5000,
        intervalMs: 250,
      },
    );
    const leftAfterMs = Date.now() - killedAt;
    console.log(`multi-engine: the killed host's instances left Consul after ${leftAfterMs} ms`);
    expect(engine!.status().dockerHosts?.find((h) => h.name === 'second')?.state).toBe('lost');
    const remote = await waitFor('the LB to stop sending to the lost host', async () => {
      const answers = await servedBy(6);
      return answers.size === 2 ? answers : undefined;
    });
    expect(remote.size).toBe(2);

    second.startDockerd();
    const after = await waitFor(
      'the second host back in Consul',
      async () => {
        const ids = onSecond(await agentServices()).map((s) => s.ID);
        return ids.length >= 2 ? ids.sort() : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(after).toEqual(before);
    const all = (await agentServices()).map((s) => s.ID);
    expect(new Set(all).size).toBe(all.length);
    // The registrator's own reconnect may resync first; the host's state follows at its next ping.
    await waitFor(
      'the second host to be shown connected again',
      () => engine!.status().dockerHosts?.find((h) => h.name === 'second' && h.state === 'connected'),
      { timeoutMs: 2 * PING_EVERY_MS + 3000, intervalMs: 100 },
    );
    const back = engine!.status().services.find((s) => s.name === 'web')!.instances;
    expect(back.filter((i) => i.host === 'second')).toHaveLength(2);
  }, 120_000);
});
