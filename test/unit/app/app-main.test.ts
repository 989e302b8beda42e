import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  electron,
  FakeBrowserWindow,
  FakeEvent,
  FakeTray,
  resetElectron,
} from '../../support/electron-double.js';
import { ipcChannel, pushChannel } from '../../../contract/index.js';
import { DiscoveryService } from '../../../main/service/discovery-service.js';
import { PushHub } from '../../../main/service/push-hub.js';
import { FakeRuntime, readyStatus } from './fixtures.js';

vi.mock('electron', async () => (await import('../../support/electron-double.js')).electron);

const { startApp } = await import('../../../main/app/app-main.js');
const { DASHBOARD_URL } = await import('../../../main/app/app-origin.js');
const { TRAY_REFRESH_DELAY_MS } = await import('../../../main/app/tray.js');

let userData: string;
const appRoot = '/opt/discovery-tray';

beforeEach(async () => {
  resetElectron();
  userData = await mkdtemp(join(tmpdir(), 'dt-app-'));
  electron.app.state.userData = userData;
});
afterEach(async () => {
  await rm(userData, { recursive: true, force: true });
});

async function launch(platform: NodeJS.Platform = 'linux') {
  const engine = new FakeRuntime();
  const control = { open: vi.fn(() => Promise.resolve()), close: vi.fn(() => Promise.resolve()) };
  const running = await startApp({
    appRoot,
    platform,
    // As backend.ts wires it, with the stand-in engine: the real service and push hub.
    createBackend: (host) => {
      const service = new DiscoveryService(engine, { ...host, beforeStart: () => control.open() });
      return { service, push: new PushHub(service.feeds()), control };
    },
  });
  if (running) await vi.waitFor(() => expect(running.service.view().phase).toBe('ready'));
  const window = (): FakeBrowserWindow => FakeBrowserWindow.instances.at(-1)!;
  const quit = async (): Promise<void> => {
    electron.app.quit();
    await running?.shutdown();
    await vi.waitFor(() => expect(electron.app.state.quitted).toBe(true));
  };
  return {
    engine,
    control,
    running,
    window,
    quit,
  };
}

const DASHBOARD_EVENT = { senderFrame: { url: 'app://dashboard/index.html' } };

describe('the app lifecycle', () => {
  it('quits at once when another instance holds the lock', async () => {
    electron.app.requestSingleInstanceLock.mockReturnValue(false);
    const { running, engine } = await launch();
    expect(running).toBeUndefined();
    expect(electron.app.quit).toHaveBeenCalledOnce();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    expect(FakeTray.instances).toHaveLength(0);
    expect(engine.start).not.toHaveBeenCalled();
  });

  it('starts the engine (control API first), the tray and the dashboard window', async () => {
    const { engine, control, window } = await launch();
    expect(control.open).toHaveBeenCalledOnce();
    expect(engine.start).toHaveBeenCalledOnce();
    expect(control.open.mock.invocationCallOrder[0]).toBeLessThan(engine.start.mock.invocationCallOrder[0]!);
    expect(FakeTray.instances).toHaveLength(1);
    expect(window().loadedUrl).toBe(DASHBOARD_URL);
    expect(electron.session.defaultSession.protocolHandlers.has('app')).toBe(true);
    expect(electron.app.dock.hide).not.toHaveBeenCalled();
  });

  it('hides the Dock icon on macOS (tray-only app)', async () => {
    await launch('darwin');
    expect(electron.app.dock.hide).toHaveBeenCalledOnce();
    expect(FakeTray.instances[0]!.image.path).toBe(join(appRoot, 'assets', 'tray', 'tray-readyTemplate.png'));
  });

  it('a second launch shows the dashboard; a closed window is hidden, not destroyed', async () => {
    const { window } = await launch();
    const first = window();
    first.emit('ready-to-show');
    expect(first.visible).toBe(true);
    first.close();
    expect(first.visible).toBe(false);
    expect(first.destroyed).toBe(false);
    electron.app.emit('second-instance', new FakeEvent(), [], '/');
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(first.visible).toBe(true);
    expect(first.focused).toBe(true);
  });

  it('quitting stops the engine and keeps the stack by default', async () => {
    const { engine, control, quit, window } = await launch();
    await quit();
    expect(engine.stop).toHaveBeenCalledExactlyOnceWith({ down: false });
    expect(control.close).toHaveBeenCalledOnce();
    expect(FakeTray.instances[0]!.destroyed).toBe(true);
    expect(electron.ipcMain.handlers.size).toBe(0);
    window().close(); // while quitting, the window really closes
    expect(window().destroyed).toBe(true);
  });

  it('quitting removes the stack when the saved setting says so', async () => {
    await writeFile(join(userData, 'settings.json'), JSON.stringify({ stopDemoOnQuit: true }));
    const { engine, quit } = await launch();
    await quit();
    expect(engine.stop).toHaveBeenCalledExactlyOnceWith({ down: true });
  });

  it('the tray toggles the setting and saves it in the one settings store', async () => {
    const { running } = await launch();
    const tray = FakeTray.instances[0]!;
    const item = tray.menu!.items.find((i) => i.label === 'Remove the demo on quit')!;
    expect(item.checked).toBe(false);
    (item.click as () => void)();
    await vi.waitFor(() => expect(running!.service.view().settings.stopDemoOnQuit).toBe(true));
    await vi.waitFor(() =>
      expect(tray.menu!.items.find((i) => i.label === 'Remove the demo on quit')!.checked).toBe(true),
    );
  });

  it("takes an older version's app settings file over once, and renames it", async () => {
    await writeFile(join(userData, 'settings.json'), JSON.stringify({ stopDemoOnQuit: true }));
    const { running } = await launch();
    expect(running!.service.view().settings.stopDemoOnQuit).toBe(true);
    expect(await readFile(join(userData, 'settings.json.migrated'), 'utf8')).toContain('stopDemoOnQuit');
    await expect(readFile(join(userData, 'settings.json'), 'utf8')).rejects.toThrow();
  });

  it('rebuilds the tray menu and icon when the engine changes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      const { engine } = await launch();
      const tray = FakeTray.instances[0]!;
      const updates = tray.menuUpdates;
      engine.change(
        readyStatus(1, { docker: { connected: false, endpoint: '/var/run/docker.sock', error: 'gone' } }),
      );
      engine.change(
        readyStatus(1, { docker: { connected: false, endpoint: '/var/run/docker.sock', error: 'gone' } }),
      );
      vi.advanceTimersByTime(TRAY_REFRESH_DELAY_MS);
      expect(tray.menuUpdates).toBe(updates + 1);
      expect(tray.image.path).toBe(join(appRoot, 'assets', 'tray', 'tray-error-light.png'));
      expect(tray.tooltip).toBe('Discovery Tray: Docker is not reachable');
    } finally {
      vi.useRealTimers();
    }
  });

  it('pushes the status to the page once it has loaded', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    try {
      const { window } = await launch();
      vi.advanceTimersByTime(2000);
      expect(window().webContents.sent).toEqual([]);
      window().webContents.emit('did-finish-load');
      expect(window().webContents.sent[0]).toMatchObject({
        channel: pushChannel('status'),
        payload: { state: 'ready' },
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('opens only the LB and Consul UI URLs, on this machine', async () => {
    const { engine } = await launch();
    const open = electron.ipcMain.handlers.get(ipcChannel('openExternal'))!;
    expect(await open(DASHBOARD_EVENT, { target: 'lb' })).toEqual({ result: null });
    expect(await open(DASHBOARD_EVENT, { target: 'consul-ui' })).toEqual({ result: null });
    expect(electron.shell.openExternal.mock.calls).toEqual([
      ['http://127.0.0.1:8080'],
      ['http://127.0.0.1:8500/ui/'],
    ]);
    engine.change(readyStatus(1, { lb: { url: 'http://10.0.0.7:8080', generation: 1 } }));
    expect(await open(DASHBOARD_EVENT, { target: 'lb' })).toMatchObject({ error: { code: 'forbidden-url' } });
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(2);
  });

  it('`discovery-tray down` removes the stack and the app stays in the tray; `stop` quits the app', async () => {
    const { engine, running } = await launch();
    // What the control API does for `discovery-tray down` and for a `stop` request.
    expect(await running!.service.call('down')).toEqual({ removed: 3 });
    expect(engine.removeStack).toHaveBeenCalledOnce();
    expect(engine.stop).toHaveBeenCalledWith({ down: false });
    expect(running!.service.view().phase).toBe('stopped');
    await new Promise((resolve) => setImmediate(resolve));
    expect(electron.app.quit).not.toHaveBeenCalled();
    await running!.service.call('shutdown');
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalled());
    await vi.waitFor(() => expect(electron.app.state.quitted).toBe(true));
  });
});

describe('the dashboard window', () => {
  it('carries every security setting', async () => {
    const { window } = await launch();
    const options = window().options as { show: boolean; webPreferences: Record<string, unknown> };
    expect(options.show).toBe(false);
    expect(options.webPreferences).toEqual({
      preload: join(appRoot, 'out', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(options.webPreferences).not.toHaveProperty('webSecurity'); // the default (on)
    expect(options.webPreferences).not.toHaveProperty('allowRunningInsecureContent');
  });

  it('denies navigation away, new windows, webviews and every permission', async () => {
    const { window } = await launch();
    const contents = window().webContents;
    const away = new FakeEvent('https://evil.example/');
    contents.emit('will-navigate', away);
    expect(away.defaultPrevented).toBe(true);
    const redirect = new FakeEvent('file:///etc/passwd');
    contents.emit('will-redirect', redirect);
    expect(redirect.defaultPrevented).toBe(true);
    const inside = new FakeEvent('app://dashboard/index.html#/timeline');
    contents.emit('will-navigate', inside);
    expect(inside.defaultPrevented).toBe(false);
    const webview = new FakeEvent();
    contents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'http://127.0.0.1:8080' })).toEqual({ action: 'deny' });

    const session = electron.session.defaultSession;
    const granted = vi.fn();
    session.permissionRequestHandler?.(contents, 'media', granted);
    expect(granted).toHaveBeenCalledExactlyOnceWith(false);
    expect(session.permissionCheckHandler?.()).toBe(false);
  });

  it('hardens every web contents the app creates, not only the dashboard', async () => {
    await launch();
    const { FakeWebContents } = await import('../../support/electron-double.js');
    const other = new FakeWebContents();
    electron.app.emit('web-contents-created', new FakeEvent(), other);
    expect(other.windowOpenHandler?.({ url: 'https://x.example' })).toEqual({ action: 'deny' });
  });
});
