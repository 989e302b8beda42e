/**
 * The desktop app's lifecycle: one instance, the engine started with the app
 * and stopped on quit, a tray that is always there, and a dashboard window
 * that closing only hides.
 */
import { app, dialog, session, shell, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { errorMessage } from '../engine/errors.js';
import { DASHBOARD_URL } from './app-origin.js';
import type { Backend, ShutdownReason } from './backend.js';
import { serveDashboard } from './dashboard-protocol.js';
import { createDashboardWindow, denyPermissions, hardenWebContents } from './dashboard-window.js';
import { DemoController } from './demo-controller.js';
import { EventBatcher } from './event-batcher.js';
import { externalUrl, type ExternalTarget } from './external-links.js';
import { registerIpcHandlers } from './ipc.js';
import { loadSettings, saveSettings, type AppSettings } from './settings.js';
import type { TrayActions } from './tray-menu.js';
import { TrayController } from './tray.js';

/** What "Send traffic" in the tray starts: a steady, visible load that ends by itself. */
export const TRAY_TRAFFIC = { ratePerSecond: 20, durationSeconds: 600 } as const;

/** Quitting never hangs on a stuck engine: after this the app quits anyway. */
export const QUIT_TIMEOUT_MS = 30_000;

export interface AppDependencies {
  /** The folder holding package.json, assets/, out/ and renderer/dist. */
  appRoot: string;
  createBackend(onShutdown: (reason: ShutdownReason) => void): Backend;
  platform?: NodeJS.Platform;
  quitTimeoutMs?: number;
}

export interface RunningApp {
  controller: DemoController;
  showDashboard(): void;
  settings(): AppSettings;
  /** Settles once quitting has stopped the engine. */
  shutdown(): Promise<void> | undefined;
}

// Held at module level: a Tray that is garbage-collected disappears from the panel.
let tray: TrayController | undefined;

function withTimeout(work: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(`${what} took over ${ms / 1000} s; quitting anyway.`);
      resolve();
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function reportError(title: string): (error: unknown) => void {
  return (error) => dialog.showErrorBox(title, errorMessage(error));
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
  let pageReady = false;
  let appReady = false;
  // Created once the engine exists; the window (which may open first) reaches it through this.
  const late: { batcher?: EventBatcher } = {};

  const showDashboard = (): void => {
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      return;
    }
    pageReady = false;
    const created = createDashboardWindow({
      preloadPath: join(deps.appRoot, 'out', 'preload', 'preload.cjs'),
      url: DASHBOARD_URL,
      iconPath: join(deps.appRoot, 'assets', 'icons', 'icon.png'),
      isQuitting: () => quitting,
    });
    created.webContents.on('did-start-loading', () => (pageReady = false));
    created.webContents.on('did-finish-load', () => {
      pageReady = true;
      late.batcher?.resync();
      late.batcher?.flush();
    });
    created.on('closed', () => {
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
  let settings = await loadSettings(userData);

  const backend = deps.createBackend((reason) => {
    // `discovery-tray down` removed the stack: stop following it, stay in the tray. `stop`: quit.
    if (reason === 'stop') app.quit();
    else void demo.stopAfterDown();
  });
  const demo = new DemoController(backend.engine, {
    stopDemoOnQuit: () => settings.stopDemoOnQuit,
    beforeStart: () => backend.control.open(),
  });

  const openExternal = async (target: ExternalTarget): Promise<void> => {
    await shell.openExternal(externalUrl(demo.view().status, target));
  };
  const disposeIpc = registerIpcHandlers(demo, openExternal);
  const batcher = new EventBatcher(demo, {
    canSend: () => pageReady && window !== undefined && !window.isDestroyed(),
    send: (channel, payload) => window?.webContents.send(channel, payload),
  });

  const actions: TrayActions = {
    // A failed start is shown in the tray's status lines and the dashboard.
    startDemo: () => void demo.startDemo().catch(() => undefined),
    stopDemo: () => void demo.stopDemo().catch(reportError('The demo did not stop')),
    scaleWeb: (count) => void demo.scale({ service: 'web', count }).catch(reportError('Scaling failed')),
    toggleTraffic: () =>
      void (demo.view().traffic?.running ? demo.stopTraffic() : demo.startTraffic({ ...TRAY_TRAFFIC })).catch(
        reportError('Traffic'),
      ),
    openLoadBalancer: () => void openExternal('lb').catch(reportError('Cannot open the load balancer')),
    openConsulUi: () => void openExternal('consul-ui').catch(reportError('Cannot open the Consul UI')),
    showDashboard,
    setStopDemoOnQuit: (value) => {
      settings = { ...settings, stopDemoOnQuit: value };
      tray?.refresh();
      void saveSettings(userData, settings).catch(reportError('The setting was not saved'));
    },
    quit: () => app.quit(),
  };

  tray = new TrayController(demo, actions, join(deps.appRoot, 'assets'), platform);
  tray.start();
  showDashboard();
  late.batcher = batcher;
  batcher.start();
  void demo.startDemo().catch(() => undefined);

  let shutdown: Promise<void> | undefined;
  let stopped = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (stopped) return;
    event.preventDefault();
    shutdown ??= (async () => {
      batcher.stop();
      disposeIpc();
      tray?.destroy();
      tray = undefined;
      await withTimeout(
        demo.shutdown({ down: settings.stopDemoOnQuit }).catch((error) => console.error(errorMessage(error))),
        deps.quitTimeoutMs ?? QUIT_TIMEOUT_MS,
        'Stopping the engine',
      );
      await backend.control.close().catch((error) => console.error(errorMessage(error)));
    })().finally(() => {
      stopped = true;
      app.quit();
    });
  });

  return { controller: demo, showDashboard, settings: () => settings, shutdown: () => shutdown };
}
