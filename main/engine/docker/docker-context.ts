/**
 * The docker CLI's current context, read the way the CLI reads it: the name from
 * DOCKER_CONTEXT or `currentContext` in config.json (in DOCKER_CONFIG, default
 * ~/.docker), its endpoint from contexts/meta/<sha256 of the name>/meta.json,
 * its certificates from contexts/tls/<same>/docker/. Docker Desktop, Colima,
 * Rancher Desktop and OrbStack each make a context and switch to it, which is
 * how their sockets (all in different places) are found.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TlsSettings } from './docker-address.js';

export interface CurrentContext {
  name: string;
  /** Where the name came from, for messages. */
  from: 'DOCKER_CONTEXT' | 'config.json';
}

export interface ContextEndpoint {
  host: string;
  tls?: TlsSettings;
}

export function dockerConfigDir(env: NodeJS.ProcessEnv, homeDir: string): string {
  return env.DOCKER_CONFIG || join(homeDir, '.docker');
}

function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${path} is not valid JSON`);
  }
}

/**
 * The context in use, or undefined for none (no config, or the "default"
 * context, which means DOCKER_HOST or the default socket). Throws when
 * config.json cannot be read.
 */
export function currentContext(env: NodeJS.ProcessEnv, configDir: string): CurrentContext | undefined {
  const fromEnv = env.DOCKER_CONTEXT;
  if (fromEnv) return fromEnv === 'default' ? undefined : { name: fromEnv, from: 'DOCKER_CONTEXT' };
  const configFile = join(configDir, 'config.json');
  if (!existsSync(configFile)) return undefined;
  const config = readJson(configFile) as { currentContext?: unknown } | null;
  const name = config?.currentContext;
  if (typeof name !== 'string' || name === '' || name === 'default') return undefined;
  return { name, from: 'config.json' };
}

/** The docker endpoint of context `name`; throws with a message that says what is missing. */
export function contextEndpoint(configDir: string, name: string): ContextEndpoint {
  const id = createHash('sha256').update(name).digest('hex');
  const metaFile = join(configDir, 'contexts', 'meta', id, 'meta.json');
  if (!existsSync(metaFile)) throw new Error(`the context does not exist (no ${metaFile})`);
  const meta = readJson(metaFile) as {
    Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } };
  } | null;
  const docker = meta?.Endpoints?.docker;
  if (typeof docker?.Host !== 'string' || docker.Host === '')
    throw new Error(`the context has no Docker endpoint (${metaFile})`);
  const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
  const hasTls = ['ca.pem', 'cert.pem', 'key.pem'].some((file) => existsSync(join(tlsDir, file)));
  return {
    host: docker.Host,
    ...(hasTls ? { tls: { dir: tlsDir, verify: docker.SkipTLSVerify !== true } } : {}),
  };
}
