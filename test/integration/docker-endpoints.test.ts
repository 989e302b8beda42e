/**
 * The endpoint search against the real Docker engine, reached the ways users
 * reach theirs: through a Docker context (a config.json and meta.json made
 * here, in a temporary DOCKER_CONFIG), a rootless socket, a tcp:// and a TLS
 * DOCKER_HOST. Each path leads to the sandbox's own engine through a proxy the
 * test owns; the system-wide places are moved into an empty folder
 * (`systemRoot`), so that the search can never reach another engine. Podman's
 * sockets answer with Podman's recorded API answers.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectDocker } from '../../main/engine/docker/docker-connection.js';
import { UserError } from '../../main/engine/errors.js';
import { DockerSocketProxy } from '../support/docker-socket-proxy.js';
import { PodmanReplay } from '../support/podman-replay.js';
import { freePort } from '../support/ports.js';
import { TcpDockerProxy, TestCertificates } from '../support/tcp-docker-proxy.js';

describe('finding the Docker engine (real engine, through test-made paths)', () => {
  let scratch: string;
  let home: string;
  let systemRoot: string;
  let runtimeDir: string;
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'dt-search-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** Fresh, empty places for one test: nothing answers unless the test puts it there. */
  function freshPlaces(name: string): void {
    const base = join(scratch, name);
    home = join(base, 'home');
    systemRoot = join(base, 'root');
    runtimeDir = join(base, 'run-user');
    for (const dir of [home, systemRoot, runtimeDir]) mkdirSync(dir, { recursive: true });
  }

  function places(env: NodeJS.ProcessEnv): Parameters<typeof connectDocker>[0] {
    return {
      places: {
        env: { XDG_RUNTIME_DIR: runtimeDir, ...env },
        platform: 'linux',
        homeDir: home,
        systemRoot,
        uid: 1000,
      },
      timeoutMs: 2000,
    };
  }

  async function proxyAt(socketPath?: string): Promise<DockerSocketProxy> {
    const proxy = new DockerSocketProxy(undefined, socketPath);
    await proxy.listen();
    cleanups.push(() => proxy.close());
    return proxy;
  }

  function writeContext(configDir: string, name: string, host: string): void {
    const meta = join(configDir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
    mkdirSync(meta, { recursive: true });
    writeFileSync(
      join(meta, 'meta.json'),
      JSON.stringify({
        Name: name,
        Metadata: {},
        Endpoints: { docker: { Host: host, SkipTLSVerify: false } },
      }),
    );
  }

  it("finds the engine of the current Docker context (DOCKER_CONFIG's config.json → meta.json)", async () => {
    freshPlaces('context');
    const proxy = await proxyAt();
    const config = join(home, 'docker-config');
    mkdirSync(config);
    writeFileSync(join(config, 'config.json'), JSON.stringify({ currentContext: 'test-desktop' }));
    writeContext(config, 'test-desktop', `unix://${proxy.socketPath}`);

    const connection = await connectDocker(places({ DOCKER_CONFIG: config }));
    expect(connection.source).toBe('Docker context "test-desktop"');
    expect(connection.endpoint).toBe(`unix://${proxy.socketPath}`);
    // A versioned call goes through the negotiated API version, over the context's socket (the only way
    // to an engine this search had).
    const containers = await connection.docker.listContainers({ limit: 1 });
    expect(Array.isArray(containers)).toBe(true);
    expect(proxy.connections).toBeGreaterThan(0);
    expect(connection.apiVersion).toMatch(/^1\.\d+$/);
    expect(connection.product).toMatch(/^Docker /);
  });

  it('goes past a DOCKER_HOST that points nowhere to the context, and says what it tried', async () => {
    freshPlaces('past-docker-host');
    const proxy = await proxyAt();
    const config = join(home, 'docker-config');
    mkdirSync(config);
    writeContext(config, 'colima', `unix://${proxy.socketPath}`);
    const nowhere = await freePort();

    const connection = await connectDocker(
      places({ DOCKER_HOST: `tcp://127.0.0.1:${nowhere}`, DOCKER_CONFIG: config, DOCKER_CONTEXT: 'colima' }),
    );
    expect(connection.source).toBe('Docker context "colima" (DOCKER_CONTEXT)');
    expect(connection.attempts).toEqual([
      {
        source: 'DOCKER_HOST',
        address: `tcp://127.0.0.1:${nowhere}`,
        ok: false,
        reason: 'nothing listens there (connection refused)',
      },
      { source: 'Docker context "colima" (DOCKER_CONTEXT)', address: `unix://${proxy.socketPath}`, ok: true },
    ]);
  });

  it('finds rootless Docker at $XDG_RUNTIME_DIR/docker.sock after the default socket', async () => {
    freshPlaces('rootless');
    await proxyAt(join(runtimeDir, 'docker.sock'));
    const connection = await connectDocker(places({ XDG_RUNTIME_DIR: runtimeDir }));
    expect(connection.source).toBe('rootless Docker');
    expect(connection.attempts.map((a) => `${a.source}: ${a.reason ?? 'ok'}`)).toEqual([
      'the default Docker socket: no socket there',
      "Docker Desktop's user socket: no socket there",
      'rootless Docker: ok',
    ]);
  });

  it('prefers the default socket to every other well-known place', async () => {
    freshPlaces('default-first');
    mkdirSync(join(systemRoot, 'var/run'), { recursive: true });
    const system = await proxyAt(join(systemRoot, 'var/run/docker.sock'));
    await proxyAt(join(runtimeDir, 'docker.sock'));
    const connection = await connectDocker(places({ XDG_RUNTIME_DIR: runtimeDir }));
    expect(connection.source).toBe('the default Docker socket');
    expect(connection.endpoint).toBe(`unix://${system.socketPath}`);
  });

  it("keeps the process's own DOCKER_HOST and TLS settings out of the other places' clients", async () => {
    // docker-modem reads these itself for every client it makes, and would send the default socket's
    // requests to the dead tcp:// host, or fail on the missing certificates.
    freshPlaces('own-env');
    mkdirSync(join(systemRoot, 'var/run'), { recursive: true });
    const system = await proxyAt(join(systemRoot, 'var/run/docker.sock'));
    const saved = { ...process.env };
    cleanups.push(() => {
      for (const name of ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    });
    process.env.DOCKER_HOST = `tcp://127.0.0.1:${await freePort()}`;
    process.env.DOCKER_TLS_VERIFY = '1';
    process.env.DOCKER_CERT_PATH = join(home, 'no-certificates');
    const connection = await connectDocker(places(process.env));
    expect(connection.source).toBe('the default Docker socket');
    expect(connection.attempts[0]).toMatchObject({
      source: 'DOCKER_HOST',
      reason: expect.stringMatching(/^cannot read .*no-certificates\/ca\.pem \(ENOENT\)$/) as unknown,
    });
    await connection.docker.listContainers({ limit: 1 });
    expect(system.connections).toBeGreaterThan(0);
  });

  it('reaches a tcp:// DOCKER_HOST', async () => {
    freshPlaces('tcp');
    const proxy = new TcpDockerProxy();
    await proxy.listen();
    cleanups.push(() => proxy.close());
    const connection = await connectDocker(places({ DOCKER_HOST: `tcp://127.0.0.1:${proxy.port}` }));
    expect(connection.source).toBe('DOCKER_HOST');
    expect(connection.endpoint).toBe(`tcp://127.0.0.1:${proxy.port}`);
    await connection.docker.listContainers({ limit: 1 });
    expect(proxy.connections).toBeGreaterThan(0);
  });

  it('reaches a TLS DOCKER_HOST with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, and not without them', async () => {
    freshPlaces('tls');
    const certificates = new TestCertificates();
    cleanups.push(() => certificates.remove());
    const proxy = new TcpDockerProxy(certificates);
    await proxy.listen();
    cleanups.push(() => proxy.close());
    const host = `tcp://127.0.0.1:${proxy.port}`;

    const connection = await connectDocker(
      places({ DOCKER_HOST: host, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certificates.clientDir }),
    );
    expect(connection.endpoint).toBe(`${host} (TLS)`);
    await connection.docker.listContainers({ limit: 1 });

    const plain = await connectDocker(places({ DOCKER_HOST: host })).catch((error: unknown) => error);
    expect(plain).toBeInstanceOf(UserError);
    expect((plain as UserError).message).toContain(
      `1. DOCKER_HOST (${host}): the connection was closed without an answer (an engine that wants TLS does ` +
        'this: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH)',
    );
  });

  it('finds rootful and rootless Podman by their sockets, and speaks the API version Podman offers', async () => {
    freshPlaces('podman');
    mkdirSync(join(systemRoot, 'run/podman'), { recursive: true });
    const rootful = new PodmanReplay(join(systemRoot, 'run/podman/podman.sock'));
    await rootful.listen();
    cleanups.push(() => rootful.close());

    const found = await connectDocker(places({ XDG_RUNTIME_DIR: runtimeDir }));
    expect(found).toMatchObject({
      source: 'rootful Podman',
      product: 'Podman 4.3.1',
      apiVersion: '1.41',
      endpoint: `unix://${rootful.socketPath}`,
    });
    expect(rootful.requests).toEqual(['GET /version']);
    await rootful.close();
    cleanups.pop();

    mkdirSync(join(runtimeDir, 'podman'));
    const rootless = new PodmanReplay(join(runtimeDir, 'podman/podman.sock'));
    await rootless.listen();
    cleanups.push(() => rootless.close());
    const user = await connectDocker(places({ XDG_RUNTIME_DIR: runtimeDir }));
    expect(user).toMatchObject({ source: 'rootless Podman', product: 'Podman 4.3.1', apiVersion: '1.41' });
    expect(user.attempts.at(-2)).toMatchObject({ source: 'rootful Podman', reason: 'no socket there' });
  });

  it('when nothing answers, lists every place tried with the reason, and says what to do', async () => {
    freshPlaces('nothing');
    const nowhere = await freePort();
    mkdirSync(join(systemRoot, 'var/run'), { recursive: true });
    writeFileSync(join(systemRoot, 'var/run/docker.sock'), 'not a socket');
    const error = await connectDocker(
      places({ DOCKER_HOST: `tcp://127.0.0.1:${nowhere}`, XDG_RUNTIME_DIR: runtimeDir }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('docker-unavailable');
    const message = (error as UserError).message;
    expect(message.split('\n')).toEqual([
      'No usable Docker engine answered. Tried, in this order:',
      `  1. DOCKER_HOST (tcp://127.0.0.1:${nowhere}): nothing listens there (connection refused)`,
      `  2. the default Docker socket (unix://${systemRoot}/var/run/docker.sock): there is a file there, but not a socket`,
      `  3. Docker Desktop's user socket (unix://${home}/.docker/run/docker.sock): no socket there`,
      `  4. rootless Docker (unix://${runtimeDir}/docker.sock): no socket there`,
      `  5. rootful Podman (unix://${systemRoot}/run/podman/podman.sock): no socket there`,
      `  6. rootless Podman (unix://${runtimeDir}/podman/podman.sock): no socket there`,
      expect.stringMatching(/^Start your engine \(Docker Desktop, Colima, .*--docker-host or DOCKER_HOST/),
    ]);
  });

  it('tries an explicit host alone: a dead one is an error even where DOCKER_HOST works', async () => {
    freshPlaces('explicit');
    const proxy = await proxyAt();
    const missing = join(runtimeDir, 'nothing.sock');
    const error = await connectDocker({
      ...places({ DOCKER_HOST: `unix://${proxy.socketPath}` }),
      host: `unix://${missing}`,
      hostSource: '--docker-host',
    }).catch((e: unknown) => e);
    expect((error as UserError).message).toBe(
      `No usable Docker engine at unix://${missing} (--docker-host): no socket there. Check the address, or ` +
        'unset --docker-host to look in the usual places (DOCKER_HOST, the Docker context, the default sockets).',
    );
    expect(proxy.connections).toBe(0);

    const explicit = await connectDocker({ ...places({}), host: proxy.socketPath });
    expect(explicit).toMatchObject({ source: '--docker-host', endpoint: `unix://${proxy.socketPath}` });
  });
});
