/**
 * A text file in the state folder that the user's settings or kept templates live in: read only
 * from a folder that is the user's own and private (a planted file is never believed), written
 * atomically with mode 0600 and never through a symlink. The stores in main/service parse and
 * validate what this reads; this only moves text.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkPrivateFolder, ensurePrivateFolder } from './private-folder.js';
import { writeFileAtomic } from './state-file.js';

export interface StateTextFile {
  /** The file's path, for messages. */
  readonly location: string;
  /** The saved text; undefined when nothing was saved yet. */
  read(): Promise<string | undefined>;
  write(text: string): Promise<void>;
}

const WHAT = 'The state folder';

export function stateTextFile(dir: string, fileName: string): StateTextFile {
  const path = join(dir, fileName);
  return {
    location: path,
    async read() {
      try {
        await checkPrivateFolder(dir, WHAT);
        return await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(text) {
      await ensurePrivateFolder(dir, WHAT);
      await writeFileAtomic(path, text);
    },
  };
}
