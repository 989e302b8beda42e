/**
 * Opens the Docker engine the user has: the address they gave, or the first
 * that answers of DOCKER_HOST, the Docker context, the default and rootless
 * Docker sockets and the Podman sockets (endpoint-candidates.ts has the
 * order). Negotiates the API version, and says clearly when there is none.
 */
import type Dockerode from 'dockerode';
import { formatDockerAddress } from './docker-address.js';
import type { SearchPlaces } from './endpoint-candidates.js';
import { searchDockerEndpoint, type EndpointAttempt } from './endpoint-search.js';

export interface DockerConnectionOptions {
  /**
   * The engine the user named (`--docker-host`, the app's setting): unix:///path, tcp://host:port,
   * ssh://user@host, npipe:////./pipe/name, or a socket path. Tried alone, never searched past.
   */
  host?: string;
  /** What to call `host` in messages; default "--docker-host". */
  hostSource?: string;
  /** Older name for `host` (a unix socket path); `host` wins when both are given. */
  socketPath?: string;
  /** What the search reads (environment, platform, home, …); tests set these. */
  places?: Partial<SearchPlaces>;
  /** How long one place may take to answer (ms). */
  timeoutMs?: number;
}

export interface DockerConnection {
  docker: Dockerode;
  /** The API version both sides speak; every request uses it. */
  apiVersion: string;
  engineVersion: string;
  /** "Docker 29.1.2", "Podman 5.4.0": what answered, for status lines. */
  product: string;
  /** The address that answered, as the docker CLI writes it (unix:///var/run/docker.sock, tcp://…). */
  endpoint: string;
  /** Where that address came from: "DOCKER_HOST", 'Docker context "colima"', "rootless Podman", … */
  source: string;
  /** Every place tried, in order, up to the one that answered. */
  attempts: EndpointAttempt[];
}

/** Podman answers the Docker API too, and names itself in /version's Components. */
export function engineProduct(
  info: Pick<Dockerode.DockerVersion, 'Version'> & {
    Components?: readonly { Name?: string; Version?: string }[] | null;
  },
): string {
  const podman = info.Components?.find((c) => c.Name === 'Podman Engine');
  return podman ? `Podman ${podman.Version ?? info.Version}` : `Docker ${info.Version}`;
}

export async function connectDocker(options: DockerConnectionOptions = {}): Promise<DockerConnection> {
  const host = options.host ?? options.socketPath;
  const found = await searchDockerEndpoint({
    ...(host ? { explicit: { host, source: options.hostSource ?? '--docker-host' } } : {}),
    ...(options.places ? { places: options.places } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  // docker-modem prefixes every path with this version from now on.
  (found.docker.modem as unknown as { version?: string }).version = `v${found.apiVersion}`;
  return {
    docker: found.docker,
    apiVersion: found.apiVersion,
    engineVersion: found.info.Version,
    product: engineProduct(found.info),
    endpoint: formatDockerAddress(found.address),
    source: found.source,
    attempts: found.attempts,
  };
}
