/**
 * The dashboard window and the security rules every web contents gets
 * (Electron's security checklist): isolated, sandboxed, no Node, app:// only,
 * no navigation away, no new windows, no permissions.
 */
import {
  BrowserWindow,
  type BrowserWindowConstructorOptions,
  type Session,
  type WebContents,
} from 'electron';
import { isAppUrl } from './app-origin.js';

export function dashboardWindowOptions(
  preloadPath: string,
  iconPath?: string,
): BrowserWindowConstructorOptions {
  return {
    width: 1180,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Discovery Tray',
    autoHideMenuBar: true,
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      // A middle click must not open a link in a new window (security checklist: limit navigation).
      disableBlinkFeatures: 'Auxclick',
    },
  };
}

/** Navigation only within app://dashboard/; everything else, and every new window, is refused. */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** The dashboard needs no permission (camera, notifications, …): refuse every request and check. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export interface DashboardWindowOptions {
  preloadPath: string;
  url: string;
  iconPath?: string;
  /** Closing hides the window unless the app is quitting. */
  isQuitting: () => boolean;
}

export function createDashboardWindow(options: DashboardWindowOptions): BrowserWindow {
  const base = dashboardWindowOptions(options.preloadPath, options.iconPath);
  // The isolation settings are repeated where the window is made, because that is where security
  // scanners (electronegativity, in CI) look for them.
  const window = new BrowserWindow({
    ...base,
    webPreferences: { ...base.webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  hardenWebContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  window.on('close', (event) => {
    if (options.isQuitting()) return;
    // The app lives in the tray: closing the window only hides it.
    event.preventDefault();
    window.hide();
  });
  void window.loadURL(options.url);
  return window;
}
