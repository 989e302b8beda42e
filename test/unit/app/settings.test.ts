/**
 * The desktop side of the settings: the tray's settings items (Settings…, the two checkboxes, the
 * next free port after a start failed on a taken one) and "open at login" made true for the
 * system: Electron's login item on macOS and Windows, an XDG autostart entry on Linux.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { electron, resetElectron } from '../../support/electron-double.js';
import { DiscoveryService } from '../../../main/service/discovery-service.js';
import { translatorFor } from '../../../main/app/translator.js';
import { FakeRuntime, idleStatus, readyStatus, trayState } from './fixtures.js';

vi.mock('electron', async () => (await import('../../support/electron-double.js')).electron);

const { followOpenAtLogin, autostartFile } = await import('../../../main/app/login-item.js');
const { settingsMenuItems } = await import('../../../main/app/tray-settings-menu.js');

let configHome: string;
const savedConfigHome = process.env.XDG_CONFIG_HOME;
beforeEach(async () => {
  resetElectron();
  configHome = await mkdtemp(join(tmpdir(), 'dt-autostart-'));
  process.env.XDG_CONFIG_HOME = configHome;
});
afterEach(async () => {
  if (savedConfigHome === undefined) delete process.env.XDG_CONFIG_HOME;
  else process.env.XDG_CONFIG_HOME = savedConfigHome;
  await rm(configHome, { recursive: true, force: true });
});

function actions() {
  return {
    openSettings: vi.fn<() => void>(),
    setOpenAtLogin: vi.fn<(value: boolean) => void>(),
    setStopDemoOnQuit: vi.fn<(value: boolean) => void>(),
    usePort: vi.fn<(setting: 'lbPort' | 'consulPort', port: number) => void>(),
  };
}

describe('the tray settings items', () => {
  it('open the settings view and toggle the two checkboxes from the settings', () => {
    const spy = actions();
    const state = trayState('ready', readyStatus(1), { stopDemoOnQuit: true });
    state.settings.openAtLogin = true;
    const items = settingsMenuItems(state, spy, translatorFor('en'));
    expect(items.map((i) => [i.label, i.checked])).toEqual([
      ['Settings…', undefined],
      ['Open at login', true],
      ['Remove the demo on quit', true],
    ]);
    for (const item of items) (item.click as () => void)();
    expect(spy.openSettings).toHaveBeenCalledOnce();
    expect(spy.setOpenAtLogin).toHaveBeenCalledWith(false);
    expect(spy.setStopDemoOnQuit).toHaveBeenCalledWith(false);
  });

  it('offer the next free port in one click when the start failed on a taken one', () => {
    const spy = actions();
    const status = {
      ...idleStatus('stopped'),
      portInUse: { setting: 'lbPort' as const, port: 8080, freePort: 8081 },
    };
    const items = settingsMenuItems(trayState('failed', status), spy, translatorFor('zh-CN'));
    expect(items[0]!.label).toBe('负载均衡器使用端口 8081');
    (items[0]!.click as () => void)();
    expect(spy.usePort).toHaveBeenCalledWith('lbPort', 8081);
  });
});

describe('open at login', () => {
  it('follows the setting through Electron login items on macOS and Windows', async () => {
    const service = new DiscoveryService(new FakeRuntime());
    await service.getSettings();
    const stop = followOpenAtLogin(service, 'darwin');
    // The default (off) is not written: an entry the user made elsewhere is left alone.
    expect(electron.app.setLoginItemSettings).not.toHaveBeenCalled();
    await service.call('updateSettings', { openAtLogin: true });
    expect(electron.app.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: true });
    expect(electron.app.state.openAtLogin).toBe(true);
    await service.call('updateSettings', { openAtLogin: false });
    expect(electron.app.state.openAtLogin).toBe(false);
    expect(electron.app.setLoginItemSettings).toHaveBeenCalledTimes(2);
    stop();
  });

  it('writes and removes an XDG autostart entry on Linux', async () => {
    const service = new DiscoveryService(new FakeRuntime());
    await service.getSettings();
    const stop = followOpenAtLogin(service, 'linux');
    const file = autostartFile();
    expect(file).toBe(join(configHome, 'autostart', 'discovery-tray.desktop'));
    await service.call('updateSettings', { openAtLogin: true });
    await vi.waitFor(async () => expect(await readFile(file, 'utf8')).toContain('[Desktop Entry]'));
    expect(await readFile(file, 'utf8')).toContain(`Exec="${process.env.APPIMAGE || process.execPath}"`);
    await service.call('updateSettings', { openAtLogin: false });
    await vi.waitFor(() => expect(readFile(file, 'utf8')).rejects.toThrow());
    expect(electron.app.setLoginItemSettings).not.toHaveBeenCalled();
    stop();
  });
});
