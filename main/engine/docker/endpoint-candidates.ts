/**
 * Where to look for a Docker-compatible engine, in order:
 *
 *   1. the explicit address (`--docker-host`, the app's setting): then nothing else;
 *   2. DOCKER_HOST (with DOCKER_TLS_VERIFY / DOCKER_TLS and DOCKER_CERT_PATH for tcp://);
 *   3. the docker CLI's current context (DOCKER_CONTEXT, or currentContext in
 *      $DOCKER_CONFIG/config.json): Docker Desktop, Colima, Rancher Desktop, OrbStack;
 *   4. the default socket: /var/run/docker.sock, or the named pipe
 *      //./pipe/docker_engine on Windows;
 *   5. Docker Desktop's per-user socket, ~/.docker/run/docker.sock (macOS, Linux);
 *   6. rootless Docker, $XDG_RUNTIME_DIR/docker.sock (Linux);
 *   7. rootful Podman, /run/podman/podman.sock (Linux);
 *   8. rootless Podman, $XDG_RUNTIME_DIR/podman/podman.sock (Linux), or Podman
 *      machine's pipe //./pipe/podman-machine-default on Windows.
 *
 * An explicit address is tried alone: a user who named an engine never wants
 * the demo created on another one. The same address reached twice (DOCKER_HOST
 * set to the default socket, say) is tried once, under its first name.
 */
import { join } from 'node:path';
import {
  formatDockerAddress,
  parseDockerAddress,
  type DockerAddress,
  type TlsSettings,
} from './docker-address.js';
import { contextEndpoint, currentContext, dockerConfigDir } from './docker-context.js';

export interface EndpointCandidate {
  /** Where this place comes from, for messages: "DOCKER_HOST", 'Docker context "colima"', … */
  source: string;
  /** Undefined when the place could not even be read (a malformed DOCKER_HOST, a missing context). */
  address?: DockerAddress;
  /** Why it could not be read. */
  problem?: string;
}

export interface SearchPlaces {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  homeDir: string;
  /** The user id, for the default XDG_RUNTIME_DIR (/run/user/<uid>). */
  uid: number;
  /** Prefix for the system-wide sockets (/var/run/…, /run/podman/…): '/' except in tests. */
  systemRoot: string;
}

function candidate(source: string, read: () => DockerAddress): EndpointCandidate {
  try {
    return { source, address: read() };
  } catch (error) {
    return { source, problem: error instanceof Error ? error.message : String(error) };
  }
}

function dockerHostTls(env: NodeJS.ProcessEnv, homeDir: string): TlsSettings | undefined {
  // As the docker CLI: any non-empty DOCKER_TLS_VERIFY verifies; DOCKER_TLS alone encrypts only.
  const verify = Boolean(env.DOCKER_TLS_VERIFY);
  if (!verify && !env.DOCKER_TLS) return undefined;
  return { dir: env.DOCKER_CERT_PATH || join(homeDir, '.docker'), verify };
}

function contextCandidate(places: SearchPlaces): EndpointCandidate | undefined {
  const configDir = dockerConfigDir(places.env, places.homeDir);
  let context: ReturnType<typeof currentContext>;
  try {
    context = currentContext(places.env, configDir);
  } catch (error) {
    return { source: 'Docker context', problem: error instanceof Error ? error.message : String(error) };
  }
  if (!context) return undefined;
  const source = `Docker context "${context.name}"${context.from === 'DOCKER_CONTEXT' ? ' (DOCKER_CONTEXT)' : ''}`;
  return candidate(source, () => {
    const endpoint = contextEndpoint(configDir, context.name);
    return parseDockerAddress(endpoint.host, endpoint.tls);
  });
}

function wellKnownPlaces(places: SearchPlaces): EndpointCandidate[] {
  const { platform, env, homeDir, systemRoot } = places;
  const unix = (source: string, path: string): EndpointCandidate => ({
    source,
    address: { kind: 'unix', path },
  });
  if (platform === 'win32') {
    return [
      { source: 'the default Docker pipe', address: { kind: 'npipe', path: '//./pipe/docker_engine' } },
      { source: 'Podman machine', address: { kind: 'npipe', path: '//./pipe/podman-machine-default' } },
    ];
  }
  const list = [
    unix('the default Docker socket', join(systemRoot, 'var/run/docker.sock')),
    unix("Docker Desktop's user socket", join(homeDir, '.docker/run/docker.sock')),
  ];
  if (platform === 'linux') {
    const runtimeDir = env.XDG_RUNTIME_DIR || `/run/user/${places.uid}`;
    list.push(
      unix('rootless Docker', join(runtimeDir, 'docker.sock')),
      unix('rootful Podman', join(systemRoot, 'run/podman/podman.sock')),
      unix('rootless Podman', join(runtimeDir, 'podman/podman.sock')),
    );
  }
  return list;
}

function key(entry: EndpointCandidate): string | undefined {
  return entry.address ? formatDockerAddress(entry.address) : undefined;
}

/** An address the user gave, and what to call it in messages ("--docker-host", "the Docker setting"). */
export interface ExplicitHost {
  host: string;
  source: string;
}

export function endpointCandidates(
  explicit: ExplicitHost | undefined,
  places: SearchPlaces,
): EndpointCandidate[] {
  if (explicit) return [candidate(explicit.source, () => parseDockerAddress(explicit.host))];
  const list: EndpointCandidate[] = [];
  const dockerHost = places.env.DOCKER_HOST;
  if (dockerHost) {
    const tls = dockerHostTls(places.env, places.homeDir);
    list.push(candidate('DOCKER_HOST', () => parseDockerAddress(dockerHost, tls)));
  }
  const context = contextCandidate(places);
  if (context) list.push(context);
  list.push(...wellKnownPlaces(places));
  const seen = new Set<string>();
  return list.filter((entry) => {
    const id = key(entry);
    if (id === undefined) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
