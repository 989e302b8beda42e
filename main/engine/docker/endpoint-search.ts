/**
 * Finds the Docker engine to use: tries the places of endpoint-candidates.ts
 * one after another and takes the first that answers /version with an API
 * version this app speaks. When none does, the error lists every place tried,
 * why each failed, and what to do.
 */
import type Dockerode from 'dockerode';
import { stat } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { UserError, errorMessage } from '../errors.js';
import { timeoutSignal } from '../timeout-signal.js';
import { negotiateApiVersion } from './api-version.js';
import { formatDockerAddress, type DockerAddress } from './docker-address.js';
import { dockerClient } from './docker-client.js';
import {
  endpointCandidates,
  type EndpointCandidate,
  type ExplicitHost,
  type SearchPlaces,
} from './endpoint-candidates.js';

export interface EndpointAttempt {
  source: string;
  /** The address tried, as the docker CLI writes it (absent when the place could not be read). */
  address?: string;
  ok: boolean;
  /** Why it failed. */
  reason?: string;
}

export interface FoundEngine {
  docker: Dockerode;
  address: DockerAddress;
  source: string;
  apiVersion: string;
  info: Dockerode.DockerVersion;
  /** Every place tried up to and including the one that answered. */
  attempts: EndpointAttempt[];
}

export interface EndpointSearchOptions {
  explicit?: ExplicitHost;
  /** What the search reads (environment, platform, home, …); tests set these. */
  places?: Partial<SearchPlaces>;
  /** How long one place may take to answer; ssh:// gets three times as long for its handshake. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 3000;

/** Why a connection failed, in words a user acts on. */
function describeFailure(
  error: unknown,
  address: DockerAddress,
  timedOut: boolean,
  timeoutMs: number,
): string {
  if (timedOut) return `no answer within ${timeoutMs / 1000} s`;
  const code = (error as { code?: string } | null)?.code;
  const status = (error as { statusCode?: number } | null)?.statusCode;
  switch (code) {
    case 'ENOENT':
      return 'no socket there';
    case 'ECONNREFUSED':
      return 'nothing listens there (connection refused)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
      return 'host unreachable';
    case 'ECONNRESET':
    case 'EPIPE':
      return address.kind === 'tcp' && !address.tls
        ? 'the connection was closed without an answer (an engine that wants TLS does this: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH)'
        : 'the connection was closed without an answer';
  }
  if (status) return `answered HTTP ${status}: not a Docker engine API`;
  const message = errorMessage(error);
  if (/authentication methods failed/i.test(message))
    return `${message} (ssh:// signs in only through your ssh-agent: load the key with ssh-add, and keep SSH_AUTH_SOCK set)`;
  return message;
}

async function socketProblem(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    return info.isSocket() ? undefined : 'there is a file there, but not a socket';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'no socket there';
    if (code === 'EACCES') return 'permission denied';
    return errorMessage(error);
  }
}

interface Probe {
  attempt: EndpointAttempt;
  found?: Omit<FoundEngine, 'attempts' | 'source'>;
  /** Set when an engine answered but cannot be used (too old, too new). */
  unsupported?: UserError;
}

async function probe(candidate: EndpointCandidate, places: SearchPlaces, timeoutMs: number): Promise<Probe> {
  const { source, address } = candidate;
  if (!address) return { attempt: { source, ok: false, reason: candidate.problem ?? 'unreadable' } };
  const attempt: EndpointAttempt = { source, address: formatDockerAddress(address), ok: false };
  if (address.kind === 'unix') {
    const problem = await socketProblem(address.path);
    if (problem) return { attempt: { ...attempt, reason: problem } };
  }
  let docker: Dockerode;
  try {
    docker = dockerClient(address, { sshAuthSock: places.env.SSH_AUTH_SOCK });
  } catch (error) {
    return { attempt: { ...attempt, reason: errorMessage(error) } };
  }
  const limit = address.kind === 'ssh' ? timeoutMs * 3 : timeoutMs;
  const timeout = timeoutSignal(limit);
  let info: Dockerode.DockerVersion;
  try {
    // dockerode passes abortSignal through to the request; its types do not list the option.
    const version = docker.version.bind(docker) as unknown as (options: {
      abortSignal: AbortSignal;
    }) => Promise<Dockerode.DockerVersion>;
    info = await version({ abortSignal: timeout.signal });
  } catch (error) {
    return {
      attempt: { ...attempt, reason: describeFailure(error, address, timeout.signal.aborted, limit) },
    };
  } finally {
    timeout.clear();
  }
  try {
    const apiVersion = negotiateApiVersion(info);
    return { attempt: { ...attempt, ok: true }, found: { docker, address, apiVersion, info } };
  } catch (error) {
    const unsupported = error instanceof UserError ? error : undefined;
    return { attempt: { ...attempt, reason: errorMessage(error) }, ...(unsupported ? { unsupported } : {}) };
  }
}

function searchPlaces(given: Partial<SearchPlaces> = {}): SearchPlaces {
  return {
    env: given.env ?? process.env,
    platform: given.platform ?? process.platform,
    homeDir: given.homeDir ?? homedir(),
    uid: given.uid ?? (process.platform === 'win32' ? 0 : userInfo().uid),
    systemRoot: given.systemRoot ?? '/',
  };
}

function listAttempts(attempts: readonly EndpointAttempt[]): string {
  return attempts
    .map((a, i) => `  ${i + 1}. ${a.source}${a.address ? ` (${a.address})` : ''}: ${a.reason ?? 'answered'}`)
    .join('\n');
}

function permissionHint(attempts: readonly EndpointAttempt[]): string {
  const denied = attempts.find((a) => a.reason === 'permission denied');
  if (!denied) return '';
  return (
    `\nYour user may not open ${denied.address ?? denied.source}: add yourself to the group that owns it ` +
    `(for Docker: sudo usermod -aG docker $USER, then log in again), or use rootless Docker or Podman.`
  );
}

function failure(options: EndpointSearchOptions, attempts: EndpointAttempt[], probes: Probe[]): UserError {
  const unsupported = probes.find((p) => p.unsupported)?.unsupported;
  const code = unsupported ? unsupported.code : 'docker-unavailable';
  if (options.explicit) {
    const [attempt] = attempts;
    return new UserError(
      `No usable Docker engine at ${attempt?.address ?? options.explicit.host} (${options.explicit.source}): ` +
        `${attempt?.reason ?? 'no answer'}. Check the address, or unset ${options.explicit.source} to look in ` +
        `the usual places (DOCKER_HOST, the Docker context, the default sockets).${permissionHint(attempts)}`,
      code,
    );
  }
  return new UserError(
    `No usable Docker engine answered. Tried, in this order:\n${listAttempts(attempts)}\n` +
      `Start your engine (Docker Desktop, Colima, Rancher Desktop, OrbStack, Podman, or the docker service) ` +
      `and try again, or say where it is with --docker-host or DOCKER_HOST ` +
      `(unix:///path/to/docker.sock, tcp://HOST:2376 with DOCKER_TLS_VERIFY=1, ssh://USER@HOST).` +
      permissionHint(attempts),
    code,
  );
}

/** The first engine that answers, in the documented order; a UserError listing every place otherwise. */
export async function searchDockerEndpoint(options: EndpointSearchOptions = {}): Promise<FoundEngine> {
  const places = searchPlaces(options.places);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const attempts: EndpointAttempt[] = [];
  const probes: Probe[] = [];
  // One after another, not all at once: the first places (DOCKER_HOST, the context) are the ones the
  // user chose, and a local socket answers in a millisecond, so racing them gains nothing but
  // connections to engines (ssh hosts) the user did not ask for this time.
  for (const candidate of endpointCandidates(options.explicit, places)) {
    const result = await probe(candidate, places, timeoutMs);
    probes.push(result);
    attempts.push(result.attempt);
    if (result.found) return { ...result.found, source: candidate.source, attempts };
  }
  throw failure(options, attempts, probes);
}
