/**
 * The tray's settings: "Settings…" (the dashboard's settings view), the two checkboxes a tray
 * user wants at hand (open at login, remove the demo on quit), and, when the last start failed
 * on a port in use, the next free port taken in one click.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { PortSetting, Translate } from '../../contract/index.js';
import type { TrayState } from './tray-menu.js';

export interface TraySettingsActions {
  openSettings(): void;
  setOpenAtLogin(value: boolean): void;
  setStopDemoOnQuit(value: boolean): void;
  /** Saves a port setting (the engine restarts on it). */
  usePort(setting: PortSetting, port: number): void;
}

export function settingsMenuItems(
  view: TrayState,
  actions: TraySettingsActions,
  t: Translate,
): MenuItemConstructorOptions[] {
  const offer = view.status.portInUse;
  return [
    ...(offer?.freePort !== undefined
      ? [
          {
            label: t(
              offer.setting === 'lbPort' ? 'settings.trayUseFreeLbPort' : 'settings.trayUseFreeConsulPort',
              {
                port: offer.freePort,
              },
            ),
            click: () => actions.usePort(offer.setting, offer.freePort!),
          },
        ]
      : []),
    { label: t('settings.trayEntry'), click: () => actions.openSettings() },
    {
      label: t('settings.trayOpenAtLogin'),
      type: 'checkbox',
      checked: view.settings.openAtLogin,
      click: () => actions.setOpenAtLogin(!view.settings.openAtLogin),
    },
    {
      label: t('tray.removeOnQuit'),
      type: 'checkbox',
      checked: view.stopDemoOnQuit,
      click: () => actions.setStopDemoOnQuit(!view.stopDemoOnQuit),
    },
  ];
}
