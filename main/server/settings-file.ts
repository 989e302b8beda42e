/**
 * The settings file in the state folder (next to engine.json): read only from a folder that is
 * the user's own and private (a planted file is never believed), written atomically with mode
 * 0600. The SettingsStore (main/service) parses and validates what this reads.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SettingsStorage } from '../service/settings-store.js';
import { checkPrivateFolder, ensurePrivateFolder } from './private-folder.js';
import { stateDir, writeFileAtomic } from './state-file.js';

const WHAT = 'The state folder';

function missing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

export function settingsFileStorage(dir: string = stateDir()): SettingsStorage {
  const path = join(dir, 'settings.json');
  return {
    location: path,
    async read() {
      try {
        await checkPrivateFolder(dir, WHAT);
        return await readFile(path, 'utf8');
      } catch (error) {
        if (missing(error)) return undefined;
        throw error;
      }
    },
    async write(text) {
      await ensurePrivateFolder(dir, WHAT);
      await writeFileAtomic(path, text);
    },
  };
}
