/**
 * Which tray image to load: macOS gets black + alpha Template images (the
 * system tints them); Windows and Linux follow the system theme
 * (nativeTheme.shouldUseDarkColors, re-read on nativeTheme 'updated'). Each file has an @2x
 * sibling that Electron picks up for high-DPI screens.
 */
import { join } from 'node:path';
import type { TrayIconState } from './tray-menu.js';

export const TRAY_ICON_STATES: readonly TrayIconState[] = ['ready', 'working', 'error'];

/** `light` is drawn for light panels (dark glyph); `dark` for dark panels (light glyph). */
export type TrayVariant = 'template' | 'light' | 'dark';

export function trayIconFile(state: TrayIconState, variant: TrayVariant): string {
  return variant === 'template' ? `tray-${state}Template.png` : `tray-${state}-${variant}.png`;
}

export function trayVariant(platform: NodeJS.Platform, darkTheme: boolean): TrayVariant {
  if (platform === 'darwin') return 'template';
  return darkTheme ? 'dark' : 'light';
}

export function trayIconPath(
  assetsDir: string,
  state: TrayIconState,
  platform: NodeJS.Platform,
  darkTheme: boolean,
): string {
  return join(assetsDir, 'tray', trayIconFile(state, trayVariant(platform, darkTheme)));
}
