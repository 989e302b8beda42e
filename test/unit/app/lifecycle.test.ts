import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  electron,
  FakeBrowserWindow,
  FakeEvent,
  FakeNotification,
  resetElectron,
} from '../../support/electron-double.js';
import { DiscoveryService } from '../../../main/service/discovery-service.js';
import { PushHub } from '../../../main/service/push-hub.js';
import { FakeRuntime } from './fixtures.js';

vi.mock('electron', async () => (await import('../../support/electron-double.js')).electron);

const { startApp } = await import('../../../main/app/app-main.js');
const { CRASH_RELOADS_PER_MINUTE, QUICK_STOP_MS, QUIT_TIMEOUT_MS } =
  await import('../../../main/app/lifecycle.js');

let userData: string;

beforeEach(async () => {
  resetElectron();
  userData = await mkdtemp(join(tmpdir(), 'dt-life-'));
  electron.app.state.userData = userData;
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(userData, { recursive: true, force: true });
});

async function launch(platform: NodeJS.Platform = 'linux') {
  const engine = new FakeRuntime();
  const control = { open: vi.fn(() => Promise.resolve()), close: vi.fn(() => Promise.resolve()) };
  const running = await startApp({
    appRoot: '/opt/discovery-tray',
    platform,
    createBackend: (host) => {
      const service = new DiscoveryService(engine, { ...host, beforeStart: () => control.open() });
      return { service, push: new PushHub(service.feeds()), control };
    },
  });
  await vi.waitFor(() => expect(running!.service.view().phase).toBe('ready'));
  const window = (): FakeBrowserWindow => FakeBrowserWindow.instances.at(-1)!;
  return { engine, running: running!, window };
}

/** The engine hangs on stop (a Docker daemon that no longer answers); fake clocks from here on. */
function hangOnStop(engine: FakeRuntime): void {
  engine.stop.mockImplementation(() => new Promise<void>(() => undefined));
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
}

async function flush(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

describe('quitting', () => {
  it("a user's quit waits for a stuck engine at most QUIT_TIMEOUT_MS (a few seconds), then quits", async () => {
    expect(QUIT_TIMEOUT_MS).toBeLessThanOrEqual(5_000);
    const { engine } = await launch();
    hangOnStop(engine);
    electron.app.quit();
    await flush();
    expect(engine.stop).toHaveBeenCalledExactlyOnceWith({ down: false });
    await vi.advanceTimersByTimeAsync(QUIT_TIMEOUT_MS - 1);
    expect(electron.app.state.quitted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(electron.app.state.quitted).toBe(true);
  });

  it('on OS shutdown (powerMonitor) delays it only for the quick stop, keeps the quit setting, quits', async () => {
    await writeFile(join(userData, 'settings.json'), JSON.stringify({ stopDemoOnQuit: true }));
    const { engine } = await launch();
    hangOnStop(engine);
    const shutdown = new FakeEvent();
    electron.powerMonitor.emit('shutdown', shutdown);
    expect(shutdown.defaultPrevented).toBe(true);
    await flush();
    expect(engine.stop).toHaveBeenCalledExactlyOnceWith({ down: true });
    // macOS then asks the app to quit: that quit is never cancelled again.
    electron.app.quit();
    expect(electron.app.state.quitted).toBe(true);
    expect(QUICK_STOP_MS).toBeLessThanOrEqual(3_000);
  });

  it('on OS shutdown with nothing else asking, quits by itself once the quick stop is over', async () => {
    const { engine } = await launch();
    hangOnStop(engine);
    electron.powerMonitor.emit('shutdown', new FakeEvent());
    await vi.advanceTimersByTimeAsync(QUICK_STOP_MS - 1);
    expect(electron.app.state.quitted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(electron.app.quit).toHaveBeenCalled();
    expect(electron.app.state.quitted).toBe(true);
  });

  it("on Windows logout ('session-end', no before-quit) stops the engine quickly and quits", async () => {
    const { engine, window } = await launch('win32');
    hangOnStop(engine);
    window().emit('session-end', new FakeEvent());
    await flush();
    expect(engine.stop).toHaveBeenCalledOnce();
    await vi.advanceTimersByTimeAsync(QUICK_STOP_MS);
    expect(electron.app.state.quitted).toBe(true);
  });
});

describe('macOS activate', () => {
  it('reopens the dashboard, also after its window was destroyed', async () => {
    const { window } = await launch('darwin');
    const first = window();
    first.close(); // hidden
    expect(first.visible).toBe(false);
    electron.app.emit('activate', new FakeEvent(), false);
    expect(first.visible).toBe(true);
    first.destroy();
    electron.app.emit('activate', new FakeEvent(), false);
    expect(FakeBrowserWindow.instances).toHaveLength(2);
    expect(window().loadedUrl).toBe(first.loadedUrl);
  });
});

describe('the application menu', () => {
  it('is left alone in development (DevTools stay reachable)', async () => {
    await launch('linux');
    expect(electron.Menu.applicationMenu).toBeUndefined();
  });

  it('is removed in packaged builds on Linux and Windows', async () => {
    electron.app.isPackaged = true;
    await launch('win32');
    expect(electron.Menu.applicationMenu).toBeNull();
  });

  it('is a minimal app + Edit menu in packaged builds on macOS (copy and paste keep working)', async () => {
    electron.app.isPackaged = true;
    await launch('darwin');
    expect(electron.Menu.applicationMenu?.items).toEqual([{ role: 'appMenu' }, { role: 'editMenu' }]);
  });
});

describe('a crashed dashboard renderer', () => {
  const gone = (reason: string) => [new FakeEvent(), { reason, exitCode: 139 }] as const;

  it('is reloaded and reported, a bounded number of times per minute, then the window is closed', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { window } = await launch();
    const page = window();
    page.webContents.emit('render-process-gone', ...gone('clean-exit'));
    expect(page.webContents.reloads).toBe(0);
    for (let i = 0; i < CRASH_RELOADS_PER_MINUTE; i++)
      page.webContents.emit('render-process-gone', ...gone('crashed'));
    expect(page.webContents.reloads).toBe(CRASH_RELOADS_PER_MINUTE);
    expect(FakeNotification.shown[0]!.body).toBe('The dashboard window stopped (crashed) and was reloaded.');
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('crashed'));

    page.webContents.emit('render-process-gone', ...gone('oom'));
    expect(page.webContents.reloads).toBe(CRASH_RELOADS_PER_MINUTE);
    expect(page.destroyed).toBe(true);
    expect(FakeNotification.shown.at(-1)!.body).toBe(
      `The dashboard window stopped (oom) ${CRASH_RELOADS_PER_MINUTE + 1} times within a minute; open it again from the tray.`,
    );
    // The tray's "Show dashboard" opens a fresh window.
    electron.app.emit('second-instance', new FakeEvent(), [], '/');
    expect(FakeBrowserWindow.instances).toHaveLength(2);
    errors.mockRestore();
  });
});
