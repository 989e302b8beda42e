/**
 * A dockerode client for one address, and nothing else. docker-modem reads
 * DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH itself on every client it
 * makes and lets them win over the options given (a tcp:// DOCKER_HOST beats a
 * socketPath; a missing cert file throws), so the client is made while those
 * variables are out of the way: the search decides what they mean.
 */
import Dockerode from 'dockerode';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import type { DockerAddress, TlsSettings } from './docker-address.js';

const MODEM_ENV = [
  'DOCKER_HOST',
  'DOCKER_TLS_VERIFY',
  'DOCKER_CERT_PATH',
  'DOCKER_CLIENT_TIMEOUT',
  'DOCKER_PATH_PREFIX',
] as const;

function withoutModemEnv<T>(make: () => T): T {
  const saved = MODEM_ENV.map((name) => [name, process.env[name]] as const);
  for (const name of MODEM_ENV) delete process.env[name];
  try {
    return make();
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}

function tlsFiles(tls: TlsSettings): { ca: Buffer; cert: Buffer; key: Buffer } {
  const read = (name: string): Buffer => {
    try {
      return readFileSync(join(tls.dir, name));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(`cannot read ${join(tls.dir, name)} (${code ?? String(error)})`);
    }
  };
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}

export interface ClientSettings {
  /** The ssh agent for ssh:// addresses (docker-modem's ssh transport authenticates only through it). */
  sshAuthSock?: string | undefined;
}

/** Throws when the address's TLS files cannot be read. */
export function dockerClient(address: DockerAddress, settings: ClientSettings = {}): Dockerode {
  // docker-modem hands `agent` to every request; @types/dockerode does not list it.
  let options: Dockerode.DockerOptions & { agent?: Agent };
  switch (address.kind) {
    case 'unix':
    case 'npipe':
      options = { socketPath: address.path };
      break;
    case 'tcp':
      options = address.tls
        ? {
            host: address.host,
            port: address.port,
            protocol: 'https',
            ...tlsFiles(address.tls),
            // Without verification the engine's certificate is taken as it is, as `docker --tls` does.
            ...(address.tls.verify ? {} : { agent: new Agent({ rejectUnauthorized: false }) }),
          }
        : { host: address.host, port: address.port, protocol: 'http' };
      break;
    case 'ssh':
      options = {
        host: address.host,
        port: address.port,
        protocol: 'ssh',
        ...(address.username ? { username: address.username } : {}),
        sshOptions: { agent: settings.sshAuthSock },
      };
      break;
  }
  return withoutModemEnv(() => new Dockerode(options));
}
