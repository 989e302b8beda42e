/**
 * Where a running engine tells its clients how to reach it: port and token in
 * the user's state folder, readable by the user only (0600), written
 * atomically so that a crash never leaves half a file. The folder must be the
 * user's own and writable by nobody else (see private-folder.ts).
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError, errorMessage } from '../engine/errors.js';
import { ensurePrivateFolder } from './private-folder.js';

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

/** Creates the state folder if needed and checks that it is private; a UserError says what to do if not. */
export async function ensureStateFolder(): Promise<string> {
  const dir = stateDir();
  await ensurePrivateFolder(dir, 'The state folder');
  return dir;
}

/**
 * Creates the temporary file only if nothing is at its path (O_EXCL) and never
 * through a symlink (O_NOFOLLOW): a file or link planted there is left alone
 * and another, unguessable name is used instead.
 */
async function createTemporary(path: string, mode: number): Promise<{ file: FileHandle; temporary: string }> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  for (let attempt = 0; ; attempt++) {
    const temporary =
      attempt === 0
        ? `${path}.${process.pid}.tmp`
        : `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      return { file: await open(temporary, flags, mode), temporary };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
    }
  }
}

/** Writes a file via a temporary sibling and a rename: readers see the old or the new file, never half. */
export async function writeFileAtomic(path: string, content: string, mode = 0o600): Promise<void> {
  const { file, temporary } = await createTemporary(path, mode);
  try {
    await file.writeFile(content);
    await file.close();
    await rename(temporary, path);
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

export async function saveEndpoint(endpoint: EngineEndpoint): Promise<void> {
  const dir = stateDir();
  try {
    await ensureStateFolder();
    await writeFileAtomic(endpointFile(), `${JSON.stringify(endpoint, null, 2)}\n`);
  } catch (error) {
    // A folder others can write is refused with its own advice; anything else is "cannot write".
    if (error instanceof UserError) throw error;
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
