/**
 * Opens the Docker engine the user points at (DOCKER_HOST, or the default
 * socket), negotiates the API version, and says clearly when there is none.
 */
import Dockerode from 'dockerode';
import { UserError, errorMessage } from '../errors.js';
import { negotiateApiVersion } from './api-version.js';

export interface DockerConnectionOptions {
  /** A unix socket path; defaults to DOCKER_HOST or /var/run/docker.sock. */
  socketPath?: string;
}

export interface DockerConnection {
  docker: Dockerode;
  apiVersion: string;
  engineVersion: string;
  /** How the engine was reached, for messages. */
  endpoint: string;
}

export function describeEndpoint(options: DockerConnectionOptions): string {
  return options.socketPath ?? process.env.DOCKER_HOST ?? '/var/run/docker.sock';
}

export function createDockerClient(options: DockerConnectionOptions = {}): Dockerode {
  return new Dockerode(options.socketPath ? { socketPath: options.socketPath } : undefined);
}

export async function connectDocker(options: DockerConnectionOptions = {}): Promise<DockerConnection> {
  const docker = createDockerClient(options);
  const endpoint = describeEndpoint(options);
  let info: Awaited<ReturnType<Dockerode['version']>>;
  try {
    info = await docker.version();
  } catch (error) {
    throw new UserError(
      `No Docker engine answers at ${endpoint} (${errorMessage(error)}). Start Docker, or set DOCKER_HOST to your engine.`,
      'docker-unavailable',
    );
  }
  const apiVersion = negotiateApiVersion(info);
  // docker-modem prefixes every path with this version from now on.
  (docker.modem as unknown as { version?: string }).version = `v${apiVersion}`;
  return { docker, apiVersion, engineVersion: info.Version, endpoint };
}
