/**
 * One plain HTTP(S) request to one Consul agent, outside the consul client (probes of a server
 * not in use, sweeps of an agent left behind). node:http rather than fetch, because fetch cannot
 * be given a CA without a dependency: an https agent here trusts the user's CA like the client does.
 */
import http from 'node:http';
import https from 'node:https';
import { consulUrl, type ConsulEndpoint } from './consul-connection.js';

export interface ConsulAnswer {
  status: number;
  body: string;
}

/** A request that failed before an answer: `code` is Node's (ECONNREFUSED, a certificate code) or TIMEOUT. */
export class ConsulRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export interface ConsulRequestOptions {
  method?: 'GET' | 'PUT';
  timeoutMs: number;
  /** A JSON body (sent as application/json). */
  body?: string;
}

export function consulRequest(
  endpoint: ConsulEndpoint,
  path: string,
  options: ConsulRequestOptions,
): Promise<ConsulAnswer> {
  const transport = endpoint.secure ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      `${consulUrl(endpoint)}${path}`,
      {
        method: options.method ?? 'GET',
        headers: {
          ...(endpoint.token ? { 'x-consul-token': endpoint.token } : {}),
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(endpoint.secure && endpoint.trust ? { ca: endpoint.trust.ca } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', fail);
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new ConsulRequestError(`no answer in ${options.timeoutMs / 1000} s`, 'TIMEOUT'));
    }, options.timeoutMs);
    function fail(error: Error): void {
      clearTimeout(timer);
      if (error instanceof ConsulRequestError) reject(error);
      else {
        const code = (error as NodeJS.ErrnoException).code ?? 'ERROR';
        reject(new ConsulRequestError(error.message, code));
      }
    }
    request.on('error', fail);
    request.end(options.body);
  });
}

/** The JSON of a 2xx answer, or undefined for anything else (the callers only want "usable or not"). */
export async function consulJson<T>(
  endpoint: ConsulEndpoint,
  path: string,
  options: ConsulRequestOptions,
): Promise<T | undefined> {
  try {
    const answer = await consulRequest(endpoint, path, options);
    if (answer.status < 200 || answer.status > 299) return undefined;
    return (answer.body ? JSON.parse(answer.body) : {}) as T;
  } catch {
    return undefined;
  }
}
