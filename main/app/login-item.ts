/**
 * "Open at login" (the openAtLogin setting) made true for the system: Electron's login items on
 * macOS and Windows (app.setLoginItemSettings), and on Linux, where Electron has none, an XDG
 * autostart entry (~/.config/autostart/discovery-tray.desktop). The setting can change from the
 * tray or any dashboard, so the app follows the settings rather than the tray's click.
 */
import { app } from 'electron';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DiscoveryService } from '../service/discovery-service.js';

export function autostartFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart', 'discovery-tray.desktop');
}

/** The autostart entry: the AppImage when run from one, else this executable. */
export function autostartEntry(executable: string): string {
  const quoted = `"${executable.replace(/(["`$\\])/g, '\\$1')}"`;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Discovery Tray',
    `Exec=${quoted}`,
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export async function setOpenAtLogin(open: boolean, platform: NodeJS.Platform): Promise<void> {
  if (platform !== 'linux') {
    app.setLoginItemSettings({ openAtLogin: open });
    return;
  }
  const file = autostartFile();
  if (!open) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, autostartEntry(process.env.APPIMAGE || process.execPath), { mode: 0o644 });
}

/** Applies the setting now and whenever it changes; returns the unsubscribe. */
export function followOpenAtLogin(service: DiscoveryService, platform: NodeJS.Platform): () => void {
  let applied: boolean | undefined;
  const sync = (): void => {
    const wanted = service.view().settings.openAtLogin;
    if (wanted === applied) return;
    // The first look only writes when the user asked for it: no entry is removed that we never made.
    if (applied === undefined && !wanted) {
      applied = wanted;
      return;
    }
    applied = wanted;
    void setOpenAtLogin(wanted, platform).catch((error: unknown) =>
      console.error(`Open at login could not be ${wanted ? 'set' : 'cleared'}: ${String(error)}`),
    );
  };
  sync();
  return service.changed.on(sync);
}
