/** The settings file in the state folder (settings.json, next to engine.json). */
import type { SettingsStorage } from '../service/settings-store.js';
import { stateDir } from './state-file.js';
import { stateTextFile } from './state-text-file.js';

export function settingsFileStorage(dir: string = stateDir()): SettingsStorage {
  return stateTextFile(dir, 'settings.json');
}
