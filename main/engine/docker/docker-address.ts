/**
 * A Docker engine's address as the docker CLI writes it (DOCKER_HOST, a
 * context's endpoint, `--docker-host`): unix:///path, npipe:////./pipe/name,
 * tcp://host:port, ssh://user@host:port, or a bare socket path.
 */

/** Certificates for a tcp:// engine: ca.pem, cert.pem and key.pem in `dir`. */
export interface TlsSettings {
  dir: string;
  /** Check the engine's certificate against ca.pem (DOCKER_TLS_VERIFY, or a context without SkipTLSVerify). */
  verify: boolean;
}

export type DockerAddress =
  | { kind: 'unix'; path: string }
  | { kind: 'npipe'; path: string }
  | { kind: 'tcp'; host: string; port: number; tls?: TlsSettings }
  | { kind: 'ssh'; host: string; port: number; username?: string };

/** The docker CLI's default ports: 2375 in the clear, 2376 with TLS. */
const TCP_PORT = 2375;
const TLS_PORT = 2376;

/** Throws an Error whose message says what is wrong with `value` (for the list of places tried). */
export function parseDockerAddress(value: string, tls?: TlsSettings): DockerAddress {
  const text = value.trim();
  if (text.startsWith('/') || /^\/\/\.\/pipe\//.test(text)) {
    return text.startsWith('//') ? { kind: 'npipe', path: text } : { kind: 'unix', path: text };
  }
  const scheme = /^([a-z]+):\/\//.exec(text)?.[1];
  const rest = scheme ? text.slice(scheme.length + 3) : '';
  switch (scheme) {
    case 'unix':
      if (!rest) throw new Error(`${value} names no socket path (write unix:///path/to/docker.sock)`);
      return { kind: 'unix', path: rest };
    case 'npipe':
      if (!rest) throw new Error(`${value} names no pipe (write npipe:////./pipe/docker_engine)`);
      return { kind: 'npipe', path: rest };
    case 'tcp':
    case 'ssh': {
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        throw new Error(`${value} is not a valid address (write ${scheme}://HOST:PORT)`);
      }
      if (!url.hostname) throw new Error(`${value} names no host`);
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      if (scheme === 'ssh') {
        return {
          kind: 'ssh',
          host,
          port: url.port ? Number(url.port) : 22,
          ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
        };
      }
      const port = url.port ? Number(url.port) : tls ? TLS_PORT : TCP_PORT;
      return { kind: 'tcp', host, port, ...(tls ? { tls } : {}) };
    }
    default:
      throw new Error(
        `${value} is not an address Discovery Tray can use (unix://, tcp://, ssh:// or npipe://)`,
      );
  }
}

/** The address as the docker CLI would write it, for messages. */
export function formatDockerAddress(address: DockerAddress): string {
  switch (address.kind) {
    case 'unix':
      return `unix://${address.path}`;
    case 'npipe':
      return `npipe://${address.path}`;
    case 'tcp': {
      const host = address.host.includes(':') ? `[${address.host}]` : address.host;
      return `tcp://${host}:${address.port}${address.tls ? ' (TLS)' : ''}`;
    }
    case 'ssh':
      return `ssh://${address.username ? `${address.username}@` : ''}${address.host}${address.port === 22 ? '' : `:${address.port}`}`;
  }
}
