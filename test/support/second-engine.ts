/**
 * A second Docker engine for the several-engines tests: a network namespace and a veth pair with
 * addresses of its own (10.213.x.y/30, unique per run), a second dockerd inside it (its own
 * data-root, exec-root and pidfile under a temp dir, listening on the veth address only), with the
 * web image loaded. setUp() resolves with why it cannot run here (not root, no `ip netns`, no
 * dockerd binary) instead of failing, so that a test can skip the steps that need it and say so.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { docker as localDocker } from './docker-fixtures.js';
import { testImages } from './images.js';
import { waitFor } from './wait.js';

const run = promisify(execFile);

/** A second dockerd in a namespace of its own, reached over a veth pair. */
export class SecondEngine {
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

  /**
   * Resolves with why the second engine cannot run here, or undefined once it runs. `loadWeb`
   * false leaves the web image out (a test that checks the engine copies it there).
   */
  async setUp({ loadWeb = true }: { loadWeb?: boolean } = {}): Promise<string | undefined> {
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
    if (!loadWeb) return undefined;
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

  /**
   * Takes the veth pair down (or up again): the host vanishes off the network while its dockerd and
   * containers keep running, as a host behind a cut cable does.
   */
  async setLink(up: boolean): Promise<void> {
    await run('ip', ['link', 'set', this.vethHere, up ? 'up' : 'down']);
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
