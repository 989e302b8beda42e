/**
 * Where a running engine tells its clients how to reach it: port and token in
 * the user's state folder, readable by the user only (0600), written
 * atomically so that a crash never leaves half a file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError, errorMessage } from '../engine/errors.js';

export interface EngineEndpoint {
  pid: number;
  port: number;
  token: string;
  startedAt: number;
}

export function stateDir(): string {
  const env = process.env;
  if (env.DISCOVERY_TRAY_STATE_DIR) return env.DISCOVERY_TRAY_STATE_DIR;
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'discovery-tray');
}

export function endpointFile(): string {
  return join(stateDir(), 'engine.json');
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Writes a file via a temporary sibling and a rename: readers see the old or the new file, never half. */
export async function writeFileAtomic(path: string, content: string, mode = 0o600): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, content, { mode });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

export async function saveEndpoint(endpoint: EngineEndpoint): Promise<void> {
  const dir = stateDir();
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(endpointFile(), `${JSON.stringify(endpoint, null, 2)}\n`);
  } catch (error) {
    throw new UserError(
      `Cannot write the engine's state to ${dir} (${errorMessage(error)}). Make the folder writable or set DISCOVERY_TRAY_STATE_DIR.`,
      'state-unwritable',
    );
  }
}

export async function loadEndpoint(): Promise<EngineEndpoint | undefined> {
  try {
    const parsed = JSON.parse(await readFile(endpointFile(), 'utf8')) as Partial<EngineEndpoint>;
    if (typeof parsed.port !== 'number' || typeof parsed.token !== 'string' || typeof parsed.pid !== 'number')
      return undefined;
    return parsed as EngineEndpoint;
  } catch {
    return undefined;
  }
}

/** Removes the endpoint file if it is still ours (a newer engine may have replaced it). */
export async function clearEndpoint(pid: number): Promise<void> {
  const current = await loadEndpoint();
  if (current?.pid === pid) await rm(endpointFile(), { force: true });
}
