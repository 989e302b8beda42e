/**
 * The desktop app in its user's language: the tray follows Electron's locale while the setting
 * says "system", a language chosen in the tray is saved as the engine host's setting (so the
 * window and browsers follow) and redraws the tray, and error dialogs speak it too.
 */
import { DEFAULT_SETTINGS } from '../../../contract/index.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { electron, FakeTray, resetElectron } from '../../support/electron-double.js';
import { DiscoveryService } from '../../../main/service/discovery-service.js';
import { PushHub } from '../../../main/service/push-hub.js';
import { SettingsStore, memoryStorage } from '../../../main/service/settings-store.js';
import { FakeRuntime } from './fixtures.js';

vi.mock('electron', async () => (await import('../../support/electron-double.js')).electron);

const { startApp } = await import('../../../main/app/app-main.js');
const { TRAY_REFRESH_DELAY_MS } = await import('../../../main/app/tray.js');

let userData: string;
beforeEach(async () => {
  resetElectron();
  userData = await mkdtemp(join(tmpdir(), 'dt-app-lang-'));
  electron.app.state.userData = userData;
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(userData, { recursive: true, force: true });
});

async function launch(locale: string, saved?: string) {
  electron.app.state.locale = locale;
  const engine = new FakeRuntime();
  const storage = memoryStorage(saved);
  const control = { open: vi.fn(() => Promise.resolve()), close: vi.fn(() => Promise.resolve()) };
  const running = await startApp({
    appRoot: '/opt/discovery-tray',
    platform: 'linux',
    createBackend: (host) => {
      const service = new DiscoveryService(engine, {
        ...host,
        beforeStart: () => control.open(),
        settings: new SettingsStore(storage),
      });
      return { service, push: new PushHub(service.feeds()), control };
    },
  });
  await vi.waitFor(() => expect(running!.service.view().phase).toBe('ready'));
  const labels = (): string[] =>
    FakeTray.instances[0]!.menu!.items.filter((i) => i.type !== 'separator').map((i) => String(i.label));
  return { running: running!, storage, engine, labels };
}

describe('the app’s language', () => {
  it('follows a Chinese system in the tray menu and tooltip', async () => {
    const { labels } = await launch('zh-CN');
    await vi.waitFor(() => expect(labels()).toContain('显示仪表盘'));
    expect(labels()).toContain('退出 Discovery Tray');
    await vi.waitFor(() =>
      expect(FakeTray.instances[0]!.tooltip).toBe(
        'Discovery Tray：http://127.0.0.1:8080 后面有 1 个 web 实例',
      ),
    );
  });

  it('takes the saved setting over the system from the first menu on', async () => {
    const { labels } = await launch('zh-CN', JSON.stringify({ language: 'en' }));
    expect(labels()).toContain('Show dashboard');
  });

  it('saves a language chosen in the tray for every front end, and redraws the menu in it', async () => {
    const { labels, storage, running } = await launch('en-US');
    expect(labels()).toContain('Show dashboard');
    const language = FakeTray.instances[0]!.menu!.items.find((i) => i.label === 'Language')!;
    const chinese = (language.submenu as { label: string; click: () => void }[]).find(
      (i) => i.label === '简体中文',
    )!;
    chinese.click();
    await vi.waitFor(() =>
      expect(JSON.parse(storage.text ?? '{}')).toEqual({ ...DEFAULT_SETTINGS, language: 'zh-CN' }),
    );
    expect(await running.service.call('getSettings')).toEqual({ ...DEFAULT_SETTINGS, language: 'zh-CN' });
    await vi.waitFor(() => expect(labels()).toContain('显示仪表盘'), { timeout: TRAY_REFRESH_DELAY_MS * 20 });
  });

  it('titles an error dialog in the chosen language', async () => {
    const { engine } = await launch('zh-CN');
    engine.scaler.scale.mockRejectedValueOnce(new Error('Docker went away'));
    const scale = FakeTray.instances[0]!.menu!.items.find((i) => i.label === '增加一个')!;
    (scale.click as () => void)();
    await vi.waitFor(() =>
      expect(electron.dialog.showErrorBox).toHaveBeenCalledWith('扩缩容失败', 'Docker went away'),
    );
  });
});
