/**
 * A small hand-written stand-in for the `electron` module, for tests that run
 * the main-process code under Node (there is no Electron binary here). It keeps
 * what the code did (windows, tray, handlers, menus) so that tests can assert it,
 * and behaves like Electron where the code relies on it: app.quit() emits
 * 'before-quit' and stops only when nobody prevented it; closing a window emits
 * 'close' and closes only when nobody prevented it.
 * Use: vi.mock('electron', async () => (await import('../../support/electron-double.js')).electron);
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  readonly sent: { channel: string; payload: unknown }[] = [];
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  reloads = 0;
  isDestroyed(): boolean {
    return false;
  }
  reload(): void {
    this.reloads++;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  visible = false;
  focused = false;
  minimized = false;
  destroyed = false;
  loadedUrl: string | undefined;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Closes without 'close' (cannot be prevented), as Electron's destroy(). */
  destroy(): void {
    this.destroyed = true;
    this.emit('closed');
  }
  /** Like a user closing the window: 'close' can be prevented; otherwise the window is gone. */
  close(): void {
    const event = new FakeEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    this.emit('closed');
  }
}

export interface FakeImage {
  path: string;
  template: boolean;
  setTemplateImage(value: boolean): void;
}

function fakeImage(path: string): FakeImage {
  return {
    path,
    template: false,
    setTemplateImage(value: boolean) {
      this.template = value;
    },
  };
}

/** A built menu: its items, and the 'menu-will-show' / 'menu-will-close' events a test emits. */
export class FakeMenu extends EventEmitter {
  constructor(readonly items: Record<string, unknown>[]) {
    super();
  }
}

export class FakeNotification {
  static shown: { title: string; body: string }[] = [];
  static isSupported(): boolean {
    return true;
  }
  constructor(private readonly options: { title: string; body: string }) {}
  show(): void {
    FakeNotification.shown.push(this.options);
  }
}

export class FakeTray extends EventEmitter {
  static instances: FakeTray[] = [];
  image: FakeImage;
  tooltip = '';
  menu: FakeMenu | undefined;
  menuUpdates = 0;
  destroyed = false;
  constructor(image: FakeImage) {
    super();
    this.image = image;
    FakeTray.instances.push(this);
  }
  setImage(image: FakeImage): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: FakeMenu): void {
    this.menu = menu;
    this.menuUpdates++;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

type Handler = (event: unknown, ...args: unknown[]) => unknown;

function createApp() {
  const emitter = new EventEmitter();
  const state = { quitted: false, userData: '', locale: 'en-US', openAtLogin: false };
  return Object.assign(emitter, {
    state,
    requestSingleInstanceLock: vi.fn(() => true),
    /** Electron: emits before-quit; quits unless a listener prevented it. */
    quit: vi.fn(() => {
      const event = new FakeEvent();
      emitter.emit('before-quit', event);
      if (!event.defaultPrevented) state.quitted = true;
    }),
    exit: vi.fn(),
    whenReady: vi.fn(() => Promise.resolve()),
    getPath: vi.fn((_name: string) => state.userData),
    /** Electron: the application's locale, from the system (an empty string before ready). */
    getLocale: vi.fn(() => state.locale),
    dock: { hide: vi.fn() },
    /** Electron (macOS, Windows): registers the app as a login item. */
    setLoginItemSettings: vi.fn((settings: { openAtLogin?: boolean }) => {
      state.openAtLogin = settings.openAtLogin ?? false;
    }),
    isPackaged: false,
  });
}

type ProtocolHandler = (request: { url: string }) => Promise<Response> | Response;

export class FakeSession {
  permissionRequestHandler:
    ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  permissionCheckHandler: (() => boolean) | undefined;
  readonly protocolHandlers = new Map<string, ProtocolHandler>();
  readonly protocol = {
    handle: (scheme: string, handler: ProtocolHandler): void => {
      this.protocolHandlers.set(scheme, handler);
    },
  };
  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }
}

function createElectron() {
  const handlers = new Map<string, Handler>();
  const ipcRendererListeners = new EventEmitter();
  return {
    app: createApp(),
    BrowserWindow: FakeBrowserWindow,
    Tray: FakeTray,
    Menu: {
      buildFromTemplate: (items: Record<string, unknown>[]) => new FakeMenu(items),
      applicationMenu: undefined as FakeMenu | null | undefined,
      setApplicationMenu(menu: FakeMenu | null): void {
        this.applicationMenu = menu;
      },
    },
    Notification: FakeNotification,
    powerMonitor: new EventEmitter(),
    nativeImage: { createFromPath: fakeImage },
    nativeTheme: Object.assign(new EventEmitter(), { shouldUseDarkColors: false }),
    ipcMain: {
      handlers,
      handle: vi.fn((channel: string, handler: Handler) => {
        if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        handlers.set(channel, handler);
      }),
      removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
    },
    ipcRenderer: Object.assign(ipcRendererListeners, {
      invoke: vi.fn((_channel: string, ..._args: unknown[]): Promise<unknown> =>
        Promise.resolve({ result: null }),
      ),
    }),
    contextBridge: { exposed: new Map<string, unknown>(), exposeInMainWorld: vi.fn() },
    shell: { openExternal: vi.fn((_url: string) => Promise.resolve()) },
    dialog: { showErrorBox: vi.fn() },
    session: { defaultSession: new FakeSession() },
    protocol: { registerSchemesAsPrivileged: vi.fn() },
  };
}

export type ElectronDouble = ReturnType<typeof createElectron>;

/** The module object vi.mock('electron') returns; its parts are swapped by resetElectron(). */
export const electron: ElectronDouble = createElectron();

/** A fresh double for each test (same object identity, new parts). */
export function resetElectron(): void {
  Object.assign(electron, createElectron());
  electron.contextBridge.exposeInMainWorld.mockImplementation((key: string, api: unknown) => {
    electron.contextBridge.exposed.set(key, api);
  });
  FakeBrowserWindow.instances = [];
  FakeTray.instances = [];
  FakeNotification.shown = [];
}
resetElectron();
