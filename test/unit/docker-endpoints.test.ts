/**
 * Where the endpoint search looks, in which order, and how it reads
 * DOCKER_HOST and the docker CLI's contexts (real files in a temporary
 * DOCKER_CONFIG, laid out as the docker CLI lays them out).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDockerAddress, parseDockerAddress } from '../../main/engine/docker/docker-address.js';
import { engineProduct } from '../../main/engine/docker/docker-connection.js';
import {
  endpointCandidates,
  type EndpointCandidate,
  type SearchPlaces,
} from '../../main/engine/docker/endpoint-candidates.js';
import { PODMAN_VERSION_ANSWER } from '../support/podman-replay.js';

const folders: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dt-endpoints-'));
  folders.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function places(overrides: Partial<SearchPlaces> = {}): SearchPlaces {
  return { env: {}, platform: 'linux', homeDir: '/home/ann', uid: 1000, systemRoot: '/', ...overrides };
}

function described(list: EndpointCandidate[]): string[] {
  return list.map((c) => `${c.source}: ${c.address ? formatDockerAddress(c.address) : `! ${c.problem}`}`);
}

/** A docker CLI context, as `docker context create NAME --docker host=HOST` writes it. */
function writeContext(
  configDir: string,
  name: string,
  host: string,
  extra: { skipTls?: boolean } = {},
): string {
  const id = createHash('sha256').update(name).digest('hex');
  const meta = join(configDir, 'contexts', 'meta', id);
  mkdirSync(meta, { recursive: true });
  writeFileSync(
    join(meta, 'meta.json'),
    JSON.stringify({
      Name: name,
      Metadata: { Description: `${name} test context` },
      Endpoints: { docker: { Host: host, SkipTLSVerify: extra.skipTls ?? false } },
    }),
  );
  return id;
}

describe('Docker addresses', () => {
  it('reads the forms the docker CLI accepts', () => {
    expect(parseDockerAddress('unix:///var/run/docker.sock')).toEqual({
      kind: 'unix',
      path: '/var/run/docker.sock',
    });
    expect(parseDockerAddress('/run/user/1000/docker.sock')).toEqual({
      kind: 'unix',
      path: '/run/user/1000/docker.sock',
    });
    expect(parseDockerAddress('npipe:////./pipe/docker_engine')).toEqual({
      kind: 'npipe',
      path: '//./pipe/docker_engine',
    });
    expect(parseDockerAddress('tcp://10.0.0.5:2375')).toEqual({ kind: 'tcp', host: '10.0.0.5', port: 2375 });
    expect(parseDockerAddress('tcp://[::1]:2375')).toEqual({ kind: 'tcp', host: '::1', port: 2375 });
    expect(parseDockerAddress('ssh://ann@build.example:2222')).toEqual({
      kind: 'ssh',
      host: 'build.example',
      port: 2222,
      username: 'ann',
    });
    expect(parseDockerAddress('ssh://build.example')).toEqual({
      kind: 'ssh',
      host: 'build.example',
      port: 22,
    });
  });

  it('takes the TLS port by default when TLS is on, and says so when written out', () => {
    const tls = { dir: '/certs', verify: true };
    const address = parseDockerAddress('tcp://docker.example', tls);
    expect(address).toEqual({ kind: 'tcp', host: 'docker.example', port: 2376, tls });
    expect(formatDockerAddress(address)).toBe('tcp://docker.example:2376 (TLS)');
    expect(parseDockerAddress('tcp://docker.example')).toMatchObject({ port: 2375 });
  });

  it('refuses what it cannot use, saying what to write instead', () => {
    expect(() => parseDockerAddress('localhost:2375')).toThrow(/unix:\/\/, tcp:\/\/, ssh:\/\/ or npipe:\/\//);
    expect(() => parseDockerAddress('fd://')).toThrow(/not an address/);
    expect(() => parseDockerAddress('unix://')).toThrow(/unix:\/\/\/path\/to\/docker.sock/);
    expect(() => parseDockerAddress('tcp://')).toThrow(/tcp:\/\/HOST:PORT|names no host/);
  });
});

describe('the places searched', () => {
  it('on Linux: DOCKER_HOST, the context, then the default, Desktop, rootless Docker and Podman sockets', () => {
    const config = tempDir();
    writeFileSync(join(config, 'config.json'), JSON.stringify({ currentContext: 'colima' }));
    writeContext(config, 'colima', 'unix:///home/ann/.colima/default/docker.sock');
    const list = endpointCandidates(
      undefined,
      places({
        env: { DOCKER_HOST: 'tcp://10.0.0.5:2375', DOCKER_CONFIG: config, XDG_RUNTIME_DIR: '/run/user/1000' },
      }),
    );
    expect(described(list)).toEqual([
      'DOCKER_HOST: tcp://10.0.0.5:2375',
      'Docker context "colima": unix:///home/ann/.colima/default/docker.sock',
      'the default Docker socket: unix:///var/run/docker.sock',
      "Docker Desktop's user socket: unix:///home/ann/.docker/run/docker.sock",
      'rootless Docker: unix:///run/user/1000/docker.sock',
      'rootful Podman: unix:///run/podman/podman.sock',
      'rootless Podman: unix:///run/user/1000/podman/podman.sock',
    ]);
  });

  it('without XDG_RUNTIME_DIR, looks in /run/user/<uid>', () => {
    const list = described(endpointCandidates(undefined, places({ uid: 4242 })));
    expect(list).toContain('rootless Docker: unix:///run/user/4242/docker.sock');
    expect(list).toContain('rootless Podman: unix:///run/user/4242/podman/podman.sock');
  });

  it('on macOS: the context, then the default and Docker Desktop sockets (no Linux-only places)', () => {
    expect(
      described(endpointCandidates(undefined, places({ platform: 'darwin', homeDir: '/Users/ann' }))),
    ).toEqual([
      'the default Docker socket: unix:///var/run/docker.sock',
      "Docker Desktop's user socket: unix:///Users/ann/.docker/run/docker.sock",
    ]);
  });

  it("on Windows: Docker's named pipe, then Podman machine's", () => {
    expect(described(endpointCandidates(undefined, places({ platform: 'win32' })))).toEqual([
      'the default Docker pipe: npipe:////./pipe/docker_engine',
      'Podman machine: npipe:////./pipe/podman-machine-default',
    ]);
  });

  it('tries an explicit address alone', () => {
    const list = endpointCandidates(
      { host: 'ssh://ann@build.example', source: '--docker-host' },
      places({ env: { DOCKER_HOST: 'unix:///var/run/docker.sock' } }),
    );
    expect(described(list)).toEqual(['--docker-host: ssh://ann@build.example']);
  });

  it('tries the same address once, under the name it was first found by', () => {
    const list = described(
      endpointCandidates(undefined, places({ env: { DOCKER_HOST: 'unix:///var/run/docker.sock' } })),
    );
    expect(list[0]).toBe('DOCKER_HOST: unix:///var/run/docker.sock');
    expect(list.filter((line) => line.endsWith('unix:///var/run/docker.sock'))).toHaveLength(1);
  });

  it('lists a malformed DOCKER_HOST with the reason, and goes on', () => {
    const list = described(endpointCandidates(undefined, places({ env: { DOCKER_HOST: 'localhost:2375' } })));
    expect(list[0]).toMatch(/^DOCKER_HOST: ! localhost:2375 is not an address/);
    expect(list[1]).toBe('the default Docker socket: unix:///var/run/docker.sock');
  });

  it('reads DOCKER_TLS_VERIFY and DOCKER_CERT_PATH for a tcp:// DOCKER_HOST (cert folder default ~/.docker)', () => {
    const [verified] = endpointCandidates(
      undefined,
      places({
        env: { DOCKER_HOST: 'tcp://docker.example', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' },
      }),
    );
    expect(verified?.address).toEqual({
      kind: 'tcp',
      host: 'docker.example',
      port: 2376,
      tls: { dir: '/certs', verify: true },
    });
    const [encryptedOnly] = endpointCandidates(
      undefined,
      places({ env: { DOCKER_HOST: 'tcp://docker.example:2376', DOCKER_TLS: '1' } }),
    );
    expect(encryptedOnly?.address).toMatchObject({ tls: { dir: '/home/ann/.docker', verify: false } });
  });
});

describe('the Docker context', () => {
  it('DOCKER_CONTEXT wins over currentContext, and DOCKER_CONFIG moves the folder', () => {
    const config = tempDir();
    writeFileSync(join(config, 'config.json'), JSON.stringify({ currentContext: 'desktop-linux' }));
    writeContext(config, 'desktop-linux', 'unix:///home/ann/.docker/desktop/docker.sock');
    writeContext(config, 'orbstack', 'unix:///Users/ann/.orbstack/run/docker.sock');
    const fromConfig = endpointCandidates(undefined, places({ env: { DOCKER_CONFIG: config } }));
    expect(described(fromConfig)[0]).toBe(
      'Docker context "desktop-linux": unix:///home/ann/.docker/desktop/docker.sock',
    );
    const fromEnv = endpointCandidates(
      undefined,
      places({ env: { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'orbstack' } }),
    );
    expect(described(fromEnv)[0]).toBe(
      'Docker context "orbstack" (DOCKER_CONTEXT): unix:///Users/ann/.orbstack/run/docker.sock',
    );
  });

  it('reads ~/.docker when DOCKER_CONFIG is not set', () => {
    const home = tempDir();
    mkdirSync(join(home, '.docker'));
    writeFileSync(
      join(home, '.docker', 'config.json'),
      JSON.stringify({ currentContext: 'rancher-desktop' }),
    );
    writeContext(join(home, '.docker'), 'rancher-desktop', `unix://${home}/.rd/docker.sock`);
    expect(described(endpointCandidates(undefined, places({ homeDir: home })))[0]).toBe(
      `Docker context "rancher-desktop": unix://${home}/.rd/docker.sock`,
    );
  });

  it('"default" means no context: DOCKER_HOST and the default socket', () => {
    const config = tempDir();
    writeFileSync(join(config, 'config.json'), JSON.stringify({ currentContext: 'default' }));
    const list = described(endpointCandidates(undefined, places({ env: { DOCKER_CONFIG: config } })));
    expect(list[0]).toBe('the default Docker socket: unix:///var/run/docker.sock');
  });

  it('a context that does not exist, or a config.json that is not JSON, is listed with the reason', () => {
    const config = tempDir();
    writeFileSync(join(config, 'config.json'), JSON.stringify({ currentContext: 'gone' }));
    expect(described(endpointCandidates(undefined, places({ env: { DOCKER_CONFIG: config } })))[0]).toMatch(
      /^Docker context "gone": ! the context does not exist \(no .*meta\.json\)$/,
    );
    writeFileSync(join(config, 'config.json'), '{ not json');
    expect(described(endpointCandidates(undefined, places({ env: { DOCKER_CONFIG: config } })))[0]).toMatch(
      /^Docker context: ! .*config\.json is not valid JSON$/,
    );
  });

  it("uses the context's certificates for a tcp:// endpoint, verified unless SkipTLSVerify", () => {
    const config = tempDir();
    const id = writeContext(config, 'remote', 'tcp://docker.example:2376', { skipTls: true });
    const tlsDir = join(config, 'contexts', 'tls', id, 'docker');
    mkdirSync(tlsDir, { recursive: true });
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(tlsDir, file), 'PEM');
    const [remote] = endpointCandidates(
      undefined,
      places({ env: { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'remote' } }),
    );
    expect(remote?.address).toEqual({
      kind: 'tcp',
      host: 'docker.example',
      port: 2376,
      tls: { dir: tlsDir, verify: false },
    });
  });
});

describe('what answered', () => {
  it('names Podman from its /version answer (recorded from Podman 4.3.1), Docker otherwise', () => {
    expect(engineProduct(PODMAN_VERSION_ANSWER)).toBe('Podman 4.3.1');
    expect(engineProduct({ Version: '29.1.2', Components: [{ Name: 'Engine', Version: '29.1.2' }] })).toBe(
      'Docker 29.1.2',
    );
  });
});
