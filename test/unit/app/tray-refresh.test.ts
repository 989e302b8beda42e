import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { electron, FakeTray, resetElectron } from '../../support/electron-double.js';
import { Emitter } from '../../../contract/index.js';
import type { TrayActions, TrayState } from '../../../main/app/tray-menu.js';
import { readyStatus, trayState } from './fixtures.js';

vi.mock('electron', async () => (await import('../../support/electron-double.js')).electron);

const { TrayController } = await import('../../../main/app/tray.js');
const { MENU_OPEN_SAFETY_MS, TRAY_REFRESH_DELAY_MS } = await import('../../../main/app/tray-refresh.js');

const assets = '/opt/discovery-tray/assets';
const noop = (): void => undefined;
const actions: TrayActions = {
  startDemo: noop,
  stopDemo: noop,
  scaleWeb: noop,
  scaleTarget: noop,
  toggleTraffic: noop,
  openLoadBalancer: noop,
  openConsulUi: noop,
  showDashboard: noop,
  setStopDemoOnQuit: noop,
  setLanguage: noop,
  openSettings: noop,
  setOpenAtLogin: noop,
  usePort: noop,
  selectTemplate: noop,
  quit: noop,
};

/** A tray over a state the test changes; `change` notifies like the service does. */
function startTray(platform: NodeJS.Platform = 'linux') {
  const changed = new Emitter<void>();
  let state: TrayState = trayState('ready', readyStatus(1));
  const controller = new TrayController(
    { state: () => state, onChange: (listener) => changed.on(listener) },
    actions,
    assets,
    platform,
  );
  controller.start();
  const tray = FakeTray.instances.at(-1)!;
  const change = (web: number): void => {
    state = trayState('ready', readyStatus(web));
    changed.emit();
  };
  return { controller, tray, change, tick: () => changed.emit() };
}

beforeEach(() => {
  resetElectron();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => vi.useRealTimers());

describe('tray menu rebuilds', () => {
  it('coalesce a stream of changes to at most a few rebuilds per second', () => {
    const { tray, change } = startTray();
    const before = tray.menuUpdates;
    for (let i = 0; i < 100; i++) {
      change((i % 5) + 1); // every change alters what the menu shows
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(TRAY_REFRESH_DELAY_MS);
    const rebuilds = tray.menuUpdates - before;
    expect(rebuilds).toBeGreaterThanOrEqual(1);
    expect(rebuilds).toBeLessThanOrEqual(5); // 1 s of changes, plus the last one
    expect(tray.tooltip).toMatch(/\b5\b/); // the last state is shown
  });

  it('do not happen for a change that alters nothing the tray shows (a timeline tick)', () => {
    const { tray, tick } = startTray();
    const before = tray.menuUpdates;
    const menu = tray.menu;
    tray.tooltip = 'untouched';
    for (let i = 0; i < 10; i++) {
      tick();
      vi.advanceTimersByTime(TRAY_REFRESH_DELAY_MS);
    }
    expect(tray.menuUpdates).toBe(before);
    expect(tray.menu).toBe(menu);
    expect(tray.tooltip).toBe('untouched');
  });

  it('wait while the menu is open and happen once after it closes', () => {
    const { tray, change, controller } = startTray();
    const before = tray.menuUpdates;
    tray.menu!.emit('menu-will-show');
    change(2);
    change(3);
    controller.refresh(); // as a setting toggle or a theme change asks
    vi.advanceTimersByTime(10 * TRAY_REFRESH_DELAY_MS);
    expect(tray.menuUpdates).toBe(before);
    tray.menu!.emit('menu-will-close');
    vi.advanceTimersByTime(TRAY_REFRESH_DELAY_MS);
    expect(tray.menuUpdates).toBe(before + 1);
    vi.advanceTimersByTime(10 * TRAY_REFRESH_DELAY_MS);
    expect(tray.menuUpdates).toBe(before + 1);
  });

  it('resume after a while when the menu never reports closing (some Linux trays)', () => {
    const { tray, change } = startTray();
    const before = tray.menuUpdates;
    tray.menu!.emit('menu-will-show');
    change(4);
    vi.advanceTimersByTime(MENU_OPEN_SAFETY_MS - 1);
    expect(tray.menuUpdates).toBe(before);
    vi.advanceTimersByTime(1 + TRAY_REFRESH_DELAY_MS);
    expect(tray.menuUpdates).toBe(before + 1);
  });
});

describe('tray glyph contrast', () => {
  it('marks the macOS image as a Template image (tinted by the menu bar)', () => {
    const { tray } = startTray('darwin');
    expect(tray.image).toMatchObject({
      path: join(assets, 'tray', 'tray-readyTemplate.png'),
      template: true,
    });
  });

  it('follows the system theme on Linux, and its changes', () => {
    electron.nativeTheme.shouldUseDarkColors = true;
    const { tray } = startTray('linux');
    expect(tray.image.path).toBe(join(assets, 'tray', 'tray-ready-dark.png'));
    electron.nativeTheme.shouldUseDarkColors = false;
    electron.nativeTheme.emit('updated');
    vi.advanceTimersByTime(TRAY_REFRESH_DELAY_MS);
    expect(tray.image.path).toBe(join(assets, 'tray', 'tray-ready-light.png'));
  });
});
