/**
 * The desktop app once kept its one setting (remove the demo on quit) in a file of its own in
 * Electron's userData folder. It is now a field of the one settings store (the state folder,
 * contract/settings.ts): a file left by an older version is taken over once, then renamed.
 */
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiscoveryService } from '../service/discovery-service.js';

export function legacySettingsFile(userData: string): string {
  return join(userData, 'settings.json');
}

/** Takes stopDemoOnQuit from an older version's file into the settings store; never throws. */
export async function migrateAppSettings(userData: string, service: DiscoveryService): Promise<void> {
  const file = legacySettingsFile(userData);
  let saved: unknown;
  try {
    saved = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return; // none (the usual case), or unreadable: nothing to take over
  }
  const value = (saved as { stopDemoOnQuit?: unknown } | null)?.stopDemoOnQuit;
  if (typeof value === 'boolean')
    await service.call('updateSettings', { stopDemoOnQuit: value }).catch((error: unknown) => {
      console.error(`The old setting in ${file} was not taken over: ${String(error)}`);
    });
  await rename(file, `${file}.migrated`).catch(() => undefined);
}
