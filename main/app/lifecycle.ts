/**
 * How the desktop app ends and recovers, on every platform: a quit that waits
 * only briefly for the engine, a quick stop that never holds up an OS logout or
 * shutdown, the Dock's 'activate', no DevTools menu in packaged builds, and a
 * crashed dashboard renderer reloaded (a bounded number of times) and reported.
 *
 * Facts from Electron's API this relies on: 'before-quit' is not emitted on
 * Windows for a logout/shutdown, BrowserWindow 'session-end' is (and cannot be
 * prevented); powerMonitor 'shutdown' (Linux, macOS) may be delayed by
 * preventDefault, but the app must then quit as soon as it can.
 */
import {
  app,
  Menu,
  Notification,
  powerMonitor,
  type BrowserWindow,
  type Event,
  type RenderProcessGoneDetails,
} from 'electron';

/** A user's quit waits at most this long for the engine, then the app quits anyway. */
export const QUIT_TIMEOUT_MS = 5_000;
/** On logout/shutdown the OS is waiting: the engine gets at most this long. */
export const QUICK_STOP_MS = 3_000;
/** A renderer that keeps crashing is not reloaded in a loop: at most this many reloads per minute. */
export const CRASH_RELOADS_PER_MINUTE = 3;
const MINUTE_MS = 60_000;

export interface QuitHandling {
  /** Stops everything the app runs; the engine part bounded by `boundMs`. */
  stop(boundMs: number): Promise<void>;
  /** Called as soon as a quit begins (windows then really close). */
  onQuitting(): void;
  quitTimeoutMs?: number;
  quickStopMs?: number;
}

/** Settles after `ms` at the latest: a stuck engine never holds the quit. */
export function withTimeout(work: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(`${what} took over ${ms / 1000} s; quitting anyway.`);
      resolve();
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Wires the quit paths and returns the watcher for the dashboard window's ends.
 * A user's quit is delayed (preventDefault) until the bounded stop settled; a quit the
 * OS started is never cancelled again: it gets the quick stop and the app quits.
 */
export function installQuitHandling(handling: QuitHandling): {
  shutdown(): Promise<void> | undefined;
  watchWindow(window: BrowserWindow): void;
} {
  let shutdown: Promise<void> | undefined;
  let stopped = false;
  let osEnding = false;

  const stopOnce = (boundMs: number): Promise<void> => {
    handling.onQuitting();
    shutdown ??= handling
      .stop(boundMs)
      .catch((error: unknown) => console.error(error))
      .finally(() => {
        stopped = true;
      });
    return shutdown;
  };
  const quickStop = (): void => {
    osEnding = true;
    void stopOnce(handling.quickStopMs ?? QUICK_STOP_MS).finally(() => app.quit());
  };

  app.on('before-quit', (event) => {
    handling.onQuitting();
    if (stopped) return;
    if (osEnding) {
      // The OS is logging out or shutting down: cancelling here would cancel that; stop without waiting.
      void stopOnce(handling.quickStopMs ?? QUICK_STOP_MS);
      return;
    }
    event.preventDefault();
    void stopOnce(handling.quitTimeoutMs ?? QUIT_TIMEOUT_MS).finally(() => app.quit());
  });
  // Linux and macOS: delaying is allowed, but only until the quick stop is done. (Electron passes
  // an event here, though its typings declare none.)
  powerMonitor.on('shutdown', (event?: Event) => {
    event?.preventDefault();
    quickStop();
  });

  return {
    shutdown: () => shutdown,
    // Windows: 'session-end' cannot be prevented and no before-quit follows it.
    watchWindow: (window) => window.on('session-end', quickStop),
  };
}

/** macOS: clicking the app in the Dock or Finder (no window open) brings the dashboard back. */
export function reopenOnActivate(showDashboard: () => void): void {
  app.on('activate', () => showDashboard());
}

/**
 * Packaged builds have no default menu (it holds DevTools and reload). macOS keeps a minimal
 * app + Edit menu: without the Edit roles, copy and paste stop working in the template editor.
 */
export function installAppMenu(platform: NodeJS.Platform, packaged = app.isPackaged): void {
  if (!packaged) return;
  if (platform !== 'darwin') {
    Menu.setApplicationMenu(null);
    return;
  }
  Menu.setApplicationMenu(Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }]));
}

export interface CrashReporting {
  /** Text for the user (the `lifecycle` i18n keys). */
  reloaded(reason: string): string;
  gaveUp(reason: string, count: number): string;
  now?: () => number;
}

/**
 * A dashboard renderer that crashed (or was killed) is reloaded and the user is told; after
 * CRASH_RELOADS_PER_MINUTE reloads within a minute the window is closed instead of looping,
 * and the tray opens a fresh one. Shared across windows so that reopening does not reset it.
 */
export function crashRecovery(reporting: CrashReporting): (window: BrowserWindow) => void {
  const now = reporting.now ?? Date.now;
  let reloads: number[] = [];
  return (window) => {
    window.webContents.on('render-process-gone', (_event: Event, details: RenderProcessGoneDetails) => {
      // A clean exit is the window closing, not a crash.
      if (details.reason === 'clean-exit' || window.isDestroyed()) return;
      const at = now();
      reloads = reloads.filter((time) => at - time < MINUTE_MS);
      if (reloads.length >= CRASH_RELOADS_PER_MINUTE) {
        const message = reporting.gaveUp(details.reason, reloads.length + 1);
        console.error(
          `Dashboard renderer gone (${details.reason}, exit code ${details.exitCode}); not reloading.`,
        );
        notify(message);
        window.destroy();
        return;
      }
      reloads.push(at);
      console.error(`Dashboard renderer gone (${details.reason}, exit code ${details.exitCode}); reloading.`);
      notify(reporting.reloaded(details.reason));
      window.webContents.reload();
    });
  };
}

function notify(body: string): void {
  if (Notification.isSupported()) new Notification({ title: 'Discovery Tray', body }).show();
}
