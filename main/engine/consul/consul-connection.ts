/**
 * One Consul client for the engine: the demo's dev server, or the user's own
 * Consul with an ACL token. The token travels only as a header; it is never
 * part of a message, a log line or the status.
 */
import Consul from 'consul';
import { UserError } from '../errors.js';

export interface ConsulEndpoint {
  host: string;
  port: number;
  secure: boolean;
  /** ACL token for a user-provided Consul; never logged. */
  token?: string;
}

const ADDRESS_PATTERN = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?\/?$/i;

export function parseConsulAddress(text: string, token?: string): ConsulEndpoint {
  // Parsed by hand: URL() drops a port that equals the scheme's default (":80").
  const match = ADDRESS_PATTERN.exec(text.trim());
  if (!match) {
    throw new UserError(
      `"${text}" is not a Consul address; use HOST:PORT, e.g. 127.0.0.1:8500`,
      'bad-consul-address',
    );
  }
  const scheme = (match[1] ?? 'http').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    throw new UserError(`Consul address "${text}" must use http or https`, 'bad-consul-address');
  }
  const secure = scheme === 'https';
  const port = match[3] ? Number(match[3]) : secure ? 443 : 8500;
  if (port < 1 || port > 65535) {
    throw new UserError(`Consul address "${text}" has no valid port (1-65535)`, 'bad-consul-address');
  }
  const endpoint: ConsulEndpoint = { host: match[2]!.replace(/^\[|\]$/g, '').toLowerCase(), port, secure };
  if (token) endpoint.token = token;
  return endpoint;
}

export function consulUrl(endpoint: ConsulEndpoint): string {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return `${endpoint.secure ? 'https' : 'http'}://${host}:${endpoint.port}`;
}

export function createConsulClient(endpoint: ConsulEndpoint): Consul {
  return new Consul({
    host: endpoint.host,
    port: endpoint.port,
    secure: endpoint.secure,
    ...(endpoint.token ? { defaults: { token: endpoint.token } } : {}),
  });
}

/**
 * Options for one client call that gives up after `ms`. Every call of the consul
 * client honours a `timeout`; only its type definitions leave it out.
 */
export function callTimeout(ms: number): { token?: string; timeout: number } {
  return { timeout: ms };
}
