/**
 * The kept templates' file in the state folder (templates.json, next to settings.json): read only
 * from a folder that is the user's own and private (a planted file is never believed), written
 * atomically with mode 0600 and never through a symlink. The TemplateStore (main/service) parses
 * and validates what this reads.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TemplateStorage } from '../service/template-store.js';
import { checkPrivateFolder, ensurePrivateFolder } from './private-folder.js';
import { stateDir, writeFileAtomic } from './state-file.js';

const WHAT = 'The state folder';

export function templateFileStorage(dir: string = stateDir()): TemplateStorage {
  const path = join(dir, 'templates.json');
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
