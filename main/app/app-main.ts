/**
 * The desktop app's lifecycle: one instance, the engine started with the app
 * and stopped on quit, a tray that is always there, and a dashboard window
 * that closing only hides.
 */
import { app, dialog, session, shell, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import {
  pushChannel,
  resolveLocale,
  systemLocale,
  type ExternalTarget,
  type Locale,
  type MessageKey,
} from '../../contract/index.js';
import { errorMessage } from '../engine/errors.js';
import type { DiscoveryService } from '../service/discovery-service.js';
import { DASHBOARD_URL } from './app-origin.js';
import type { AppHost, Backend } from './backend.js';
import { serveDashboard } from './dashboard-protocol.js';
import { createDashboardWindow, denyPermissions, hardenWebContents } from './dashboard-window.js';
import { registerIpcHandlers } from './ipc.js';
import {
  crashRecovery,
  installAppMenu,
  installQuitHandling,
  reopenOnActivate,
  withTimeout,
} from './lifecycle.js';
import { followOpenAtLogin } from './login-item.js';
import { migrateAppSettings } from './settings.js';
import type { TrayActions } from './tray-menu.js';
import { translatorFor } from './translator.js';
import { TrayController } from './tray.js';

/** What "Send traffic" in the tray starts: a steady, visible load that ends by itself. */
export const TRAY_TRAFFIC = { ratePerSecond: 20, durationSeconds: 600 } as const;

export interface AppDependencies {
  /** The folder holding package.json, assets/, out/ and renderer/dist. */
  appRoot: string;
  createBackend(host: AppHost): Backend;
  platform?: NodeJS.Platform;
  quitTimeoutMs?: number;
}

export interface RunningApp {
  service: DiscoveryService;
  showDashboard(): void;
  settings(): { stopDemoOnQuit: boolean };
  /** Settles once quitting has stopped the engine. */
  shutdown(): Promise<void> | undefined;
}

// Held at module level: a Tray that is garbage-collected disappears from the panel.
let tray: TrayController | undefined;

/** The system's language as Electron knows it (an empty string before the app is ready). */
export function systemLanguages(): string[] {
  const locale = app.getLocale();
  return locale ? [locale] : [];
}

/** Starts the app; resolves to undefined when another instance already runs (this one quits). */
export async function startApp(deps: AppDependencies): Promise<RunningApp | undefined> {
  const platform = deps.platform ?? process.platform;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }

  let quitting = false;
  let window: BrowserWindow | undefined;
  let appReady = false;
  // Set once the backend exists: the window (which may open first) attaches its page through it.
  const late: {
    attachPage?: (window: BrowserWindow) => () => void;
    watchWindow?: (window: BrowserWindow) => void;
  } = {};
  let detachPage: (() => void) | undefined;

  const showDashboard = (): void => {
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      return;
    }
    const created = createDashboardWindow({
      preloadPath: join(deps.appRoot, 'out', 'preload', 'preload.cjs'),
      url: DASHBOARD_URL,
      iconPath: join(deps.appRoot, 'assets', 'icons', 'icon.png'),
      isQuitting: () => quitting,
    });
    // A (re)loaded page has nothing: it gets the whole picture, then the coalesced pushes.
    created.webContents.on('did-start-loading', () => {
      detachPage?.();
      detachPage = undefined;
    });
    created.webContents.on('did-finish-load', () => {
      detachPage?.();
      detachPage = late.attachPage?.(created);
    });
    late.watchWindow?.(created);
    created.on('closed', () => {
      detachPage?.();
      detachPage = undefined;
      if (window === created) window = undefined;
    });
    window = created;
  };

  // A second launch shows the dashboard: on desktops without a tray host it is the only way in.
  app.on('second-instance', () => {
    if (appReady) showDashboard();
  });
  // The app lives in the tray: closing the last window does not quit it.
  app.on('window-all-closed', () => undefined);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

  await app.whenReady();
  appReady = true;
  if (platform === 'darwin') app.dock?.hide();
  denyPermissions(session.defaultSession);
  serveDashboard(session.defaultSession, join(deps.appRoot, 'renderer', 'dist'));

  const userData = app.getPath('userData');
  const system = systemLanguages();

  const { service, push, control } = deps.createBackend({
    openUrl: (url) => shell.openExternal(url),
    // `discovery-tray down` removed the stack and the service stopped following it: stay in the tray.
    onDown: () => undefined,
    // `discovery-tray` asked the engine to stop: the app quits.
    onShutdown: () => app.quit(),
  });
  // The language is a setting of the engine host (shared with the dashboards): read it before the tray draws.
  await service.getSettings();
  await migrateAppSettings(userData, service);
  followOpenAtLogin(service, platform);
  const settings = (): { stopDemoOnQuit: boolean } => service.view().settings;
  const locale = (): Locale => resolveLocale(service.view().settings.language, system);
  const reportError =
    (title: MessageKey, values?: Record<string, string>) =>
    (error: unknown): void => {
      dialog.showErrorBox(translatorFor(locale())(title, values), errorMessage(error));
    };
  const disposeIpc = registerIpcHandlers(service);
  late.attachPage = (page) =>
    push.attach({
      send: (topic, payload) => {
        if (!page.isDestroyed()) page.webContents.send(pushChannel(topic), payload);
      },
    });

  const open = (target: ExternalTarget, what: MessageKey): void =>
    void service
      .call('openExternal', { target })
      .catch(reportError('dialogs.cannotOpen', { what: translatorFor(locale())(what) }));
  const actions: TrayActions = {
    // A failed start is shown in the tray's status lines and the dashboard.
    startDemo: () => void service.call('startDemo').catch(() => undefined),
    stopDemo: () => void service.call('stopDemo').catch(reportError('dialogs.stopFailed')),
    scaleWeb: (count) =>
      void service.call('scale', { service: 'web', count }).catch(reportError('dialogs.scaleFailed')),
    scaleTarget: (target, count) =>
      void service.call('scale', { service: target, count }).catch(reportError('dialogs.scaleFailed')),
    toggleTraffic: () =>
      void (
        service.getTraffic().running
          ? service.call('stopTraffic')
          : service.call('startTraffic', { ...TRAY_TRAFFIC })
      ).catch(reportError('dialogs.trafficFailed')),
    openLoadBalancer: () => open('lb', 'dialogs.theLb'),
    openConsulUi: () => open('consul-ui', 'dialogs.theConsulUi'),
    showDashboard,
    setStopDemoOnQuit: (value) =>
      void service
        .call('updateSettings', { stopDemoOnQuit: value })
        .catch(reportError('dialogs.settingNotSaved')),
    setOpenAtLogin: (value) =>
      void service
        .call('updateSettings', { openAtLogin: value })
        .catch(reportError('dialogs.settingNotSaved')),
    usePort: (setting, port) =>
      void service.call('updateSettings', { [setting]: port }).catch(reportError('dialogs.settingNotSaved')),
    openSettings: () => {
      showDashboard();
      void window?.loadURL(`${DASHBOARD_URL}#settings`);
    },
    selectTemplate: (name) =>
      void service.call('selectTemplate', { name }).catch(reportError('templates.notChanged')),
    setLanguage: (language) =>
      void service.call('updateSettings', { language }).catch(reportError('dialogs.settingNotSaved')),
    quit: () => app.quit(),
  };

  const traySource = {
    state: () => ({
      ...service.view(),
      stopDemoOnQuit: settings().stopDemoOnQuit,
      locale: locale(),
      systemLocale: systemLocale(system),
    }),
    onChange: (listener: () => void) => service.changed.on(listener),
  };
  tray = new TrayController(traySource, actions, join(deps.appRoot, 'assets'), platform);
  tray.start();
  showDashboard();
  void service.startDemo().catch(() => undefined);

  const quit = installQuitHandling({
    onQuitting: () => (quitting = true),
    quitTimeoutMs: deps.quitTimeoutMs,
    stop: async (boundMs) => {
      detachPage?.();
      push.close();
      disposeIpc();
      tray?.destroy();
      tray = undefined;
      await withTimeout(
        service
          .stopEngine({ down: settings().stopDemoOnQuit })
          .catch((error) => console.error(errorMessage(error))),
        boundMs,
        'Stopping the engine',
      );
      await control.close().catch((error) => console.error(errorMessage(error)));
    },
  });
  const recover = crashRecovery({
    reloaded: (reason) => translatorFor(locale())('lifecycle.dashboardCrashed', { reason }),
    gaveUp: (reason, count) =>
      translatorFor(locale())('lifecycle.dashboardGaveUp', { reason, count: String(count) }),
  });
  late.watchWindow = (page) => {
    quit.watchWindow(page);
    recover(page);
  };
  if (window) late.watchWindow(window);
  installAppMenu(platform);
  if (platform === 'darwin') reopenOnActivate(showDashboard);

  return { service, showDashboard, settings, shutdown: () => quit.shutdown() };
}
