/** The kept templates' file in the state folder (templates.json, next to settings.json). */
import type { TemplateStorage } from '../service/template-store.js';
import { stateDir } from './state-file.js';
import { stateTextFile } from './state-text-file.js';

export function templateFileStorage(dir: string = stateDir()): TemplateStorage {
  return stateTextFile(dir, 'templates.json');
}
