/**
 * One Consul client for the engine: the demo's dev server, or the user's own
 * Consul with an ACL token. The token travels only as a header; it is never
 * part of a message, a log line or the status. An https Consul is verified
 * against the system's CAs, or against the user's CA when one is given.
 */
import http from 'node:http';
import https from 'node:https';
import Consul from 'consul';
import { UserError } from '../errors.js';
import type { ConsulTrust } from './consul-tls.js';

export interface ConsulEndpoint {
  host: string;
  port: number;
  secure: boolean;
  /** ACL token for a user-provided Consul; never logged. */
  token?: string;
  /** The CA to verify an https server with (consul-tls.ts); none: the system's CAs. */
  trust?: ConsulTrust;
}

const ADDRESS_PATTERN = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?\/?$/i;

export function parseConsulAddress(text: string, token?: string, trust?: ConsulTrust): ConsulEndpoint {
  // Parsed by hand: URL() drops a port that equals the scheme's default (":80").
  const match = ADDRESS_PATTERN.exec(text.trim());
  if (!match) {
    throw new UserError(
      `"${text}" is not a Consul address; use HOST:PORT or http(s)://HOST:PORT, e.g. 127.0.0.1:8500`,
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
  if (trust && secure) endpoint.trust = trust;
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
    agent: connectionAgent(endpoint),
    ...(endpoint.token ? { defaults: { token: endpoint.token } } : {}),
  });
}

/** Kept-alive connections, over TLS with the user's CA for an https endpoint. */
function connectionAgent(endpoint: ConsulEndpoint): http.Agent | https.Agent {
  return endpoint.secure
    ? new https.Agent({ keepAlive: true, ...(endpoint.trust ? { ca: endpoint.trust.ca } : {}) })
    : new http.Agent({ keepAlive: true });
}

interface PapiOptions {
  baseUrl: { protocol: string; hostname: string; port: string; path: string };
  agent?: http.Agent | https.Agent;
}

/**
 * Points a client at another server of the same cluster (consul-servers.ts). The consul client
 * builds every request from these options (papi's Client); nothing else holds the address. A move
 * between http and https takes a new agent: an https agent cannot carry an http request.
 */
export function pointConsulClient(client: Consul, from: ConsulEndpoint, to: ConsulEndpoint): void {
  const options = (client as unknown as { _opts: PapiOptions })._opts;
  options.baseUrl.protocol = to.secure ? 'https:' : 'http:';
  options.baseUrl.hostname = to.host;
  options.baseUrl.port = String(to.port);
  if (from.secure !== to.secure || from.trust !== to.trust) {
    options.agent?.destroy();
    options.agent = connectionAgent(to);
  }
}

/**
 * Options for one client call that gives up after `ms`. Every call of the consul
 * client honours a `timeout`; only its type definitions leave it out.
 */
export function callTimeout(ms: number): { token?: string; timeout: number } {
  return { timeout: ms };
}
