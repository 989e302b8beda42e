/**
 * The app's few settings, as JSON in Electron's userData folder, written
 * atomically (a crash leaves the old file or the new one, never half).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../server/state-file.js';

export interface AppSettings {
  /** Quitting also removes the demo stack (default: the stack keeps running and is adopted next time). */
  stopDemoOnQuit: boolean;
}

export const DEFAULT_SETTINGS: AppSettings = { stopDemoOnQuit: false };

export function settingsFile(dir: string): string {
  return join(dir, 'settings.json');
}

/** The saved settings; defaults for anything missing, unreadable or of the wrong type. */
export async function loadSettings(dir: string): Promise<AppSettings> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(settingsFile(dir), 'utf8'));
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
  const saved = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  return {
    stopDemoOnQuit:
      typeof saved.stopDemoOnQuit === 'boolean' ? saved.stopDemoOnQuit : DEFAULT_SETTINGS.stopDemoOnQuit,
  };
}

export async function saveSettings(dir: string, settings: AppSettings): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(settingsFile(dir), `${JSON.stringify(settings, null, 2)}\n`);
}
