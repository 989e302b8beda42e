/**
 * Folders that hold what only the user may read or change (the engine's token
 * now; settings and templates later). Whoever can write such a folder can swap
 * a file in it for their own, or for a symlink, so a folder that is not the
 * user's, or that its group or other users can write, is refused with the
 * command that fixes it.
 */
import { mkdir, stat } from 'node:fs/promises';
import { UserError } from '../engine/errors.js';

/** Creates the folder (0700) if it is missing, then checks it as `checkPrivateFolder` does. */
export async function ensurePrivateFolder(dir: string, what: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await checkPrivateFolder(dir, what);
}

/**
 * Throws a UserError (code `folder-insecure`) unless `dir` is a folder that
 * belongs to the current user and that neither its group nor others can write.
 * `what` names the folder in the message ("the state folder").
 */
export async function checkPrivateFolder(dir: string, what: string): Promise<void> {
  const info = await stat(dir);
  if (!info.isDirectory())
    throw new UserError(
      `${what} ${dir} is not a folder. Remove it or choose another place.`,
      'folder-insecure',
    );
  // Windows has neither owners by uid nor mode bits; its folders under the profile are private already.
  const uid = process.getuid?.();
  if (uid === undefined || process.platform === 'win32') return;
  if (info.uid !== uid)
    throw new UserError(
      `${what} ${dir} belongs to uid ${info.uid}, not to you (uid ${uid}): its owner could read or replace what is kept there. ` +
        `Use a folder of your own (sudo chown ${uid} ${dir} && chmod 700 ${dir}).`,
      'folder-insecure',
    );
  if ((info.mode & 0o022) !== 0) {
    const who = info.mode & 0o002 ? 'other users' : 'its group';
    throw new UserError(
      `${what} ${dir} is writable by ${who} (mode ${(info.mode & 0o777).toString(8)}): they could replace what is kept there. ` +
        `Run chmod 700 ${dir} and start again.`,
      'folder-insecure',
    );
  }
}
