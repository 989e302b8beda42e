import type { MenuItemConstructorOptions } from 'electron';
import {
  DEFAULT_SETTINGS,
  type BuiltinTemplateName,
  type LanguageChoice,
  type PortSetting,
} from '../../../contract/index.js';
import { describe, expect, it, vi } from 'vitest';
import {
  SCALE_CHOICES,
  buildTrayTemplate,
  trayLook,
  type TrayActions,
  type TrayState,
} from '../../../main/app/tray-menu.js';
import { idleStatus, readyStatus, trayState as view } from './fixtures.js';

function spyActions() {
  return {
    startDemo: vi.fn<() => void>(),
    stopDemo: vi.fn<() => void>(),
    scaleWeb: vi.fn<(count: number) => void>(),
    scaleTarget: vi.fn<(target: string, count: number) => void>(),
    toggleTraffic: vi.fn<() => void>(),
    openLoadBalancer: vi.fn<() => void>(),
    openConsulUi: vi.fn<() => void>(),
    showDashboard: vi.fn<() => void>(),
    setStopDemoOnQuit: vi.fn<(value: boolean) => void>(),
    setOpenAtLogin: vi.fn<(value: boolean) => void>(),
    openSettings: vi.fn<() => void>(),
    usePort: vi.fn<(setting: PortSetting, port: number) => void>(),
    setLanguage: vi.fn<(choice: LanguageChoice) => void>(),
    selectTemplate: vi.fn<(name: BuiltinTemplateName) => void>(),
    quit: vi.fn<() => void>(),
  } satisfies TrayActions;
}

function menu(state: TrayState, actions = spyActions()) {
  const items = buildTrayTemplate(state, actions);
  const find = (label: string): MenuItemConstructorOptions => {
    const item = items.find((i) => i.label === label);
    if (!item) throw new Error(`no item "${label}" in ${items.map((i) => i.label).join(' | ')}`);
    return item;
  };
  const click = (item: MenuItemConstructorOptions): void => (item.click as () => void)();
  const scaleItems = find('Scale web').submenu as MenuItemConstructorOptions[];
  const statusLines = items
    .slice(
      0,
      items.findIndex((i) => i.type === 'separator'),
    )
    .map((i) => i.label);
  /** Labels of the items a user can click (not separators, not status lines). */
  const enabled = items.filter((i) => i.type !== 'separator' && i.enabled !== false).map((i) => i.label);
  return { items, find, click, scaleItems, statusLines, enabled, actions };
}

describe('the tray menu', () => {
  it('while the demo starts: status only, nothing that needs the engine', () => {
    const m = menu(view('starting', idleStatus('starting')));
    expect(m.statusLines).toEqual([
      'Demo: starting…',
      'Docker: not connected',
      'Consul: not connected',
      'LB: http://127.0.0.1:8080',
      'web: 0 instances',
    ]);
    expect(m.enabled).toEqual([
      'Show dashboard',
      'Language',
      'Settings…',
      'Open at login',
      'Remove the demo on quit',
      'Quit Discovery Tray',
    ]);
    expect(m.scaleItems.every((i) => i.enabled === false)).toBe(true);
  });

  it('ready with one web: every action enabled, each click calls its action', () => {
    const m = menu(view('ready', readyStatus(1)));
    expect(m.statusLines).toEqual([
      'Demo: running',
      'Docker: connected (20.10.24)',
      'Consul: connected',
      'LB: http://127.0.0.1:8080',
      'web: 1 instance',
    ]);
    expect(m.enabled).toEqual([
      'Stop demo',
      'Scale web',
      'Services',
      'Add one',
      'Remove one',
      'Send traffic',
      'Open load balancer',
      'Open Consul UI',
      'Show dashboard',
      'Template',
      'Language',
      'Settings…',
      'Open at login',
      'Remove the demo on quit',
      'Quit Discovery Tray',
    ]);
    expect(m.find('Start demo').enabled).toBe(false);
    m.click(m.find('Stop demo'));
    expect(m.actions.stopDemo).toHaveBeenCalledOnce();
    m.click(m.find('Add one'));
    expect(m.actions.scaleWeb).toHaveBeenLastCalledWith(2);
    m.click(m.find('Remove one'));
    expect(m.actions.scaleWeb).toHaveBeenLastCalledWith(0);
    m.click(m.find('Open load balancer'));
    expect(m.actions.openLoadBalancer).toHaveBeenCalledOnce();
    m.click(m.find('Open Consul UI'));
    expect(m.actions.openConsulUi).toHaveBeenCalledOnce();
    m.click(m.find('Show dashboard'));
    expect(m.actions.showDashboard).toHaveBeenCalledOnce();
    m.click(m.find('Remove the demo on quit'));
    expect(m.actions.setStopDemoOnQuit).toHaveBeenCalledWith(true);
    m.click(m.find('Quit Discovery Tray'));
    expect(m.actions.quit).toHaveBeenCalledOnce();
  });

  it('offers 0 1 2 3 5 10 under Scale web, the current count checked and disabled', () => {
    const m = menu(view('ready', readyStatus(3)));
    expect(m.scaleItems.map((i) => i.label)).toEqual(SCALE_CHOICES.map(String));
    expect(m.scaleItems.map((i) => i.checked)).toEqual([false, false, false, true, false, false]);
    expect(m.scaleItems.map((i) => i.enabled)).toEqual([true, true, true, false, true, true]);
    m.click(m.scaleItems[5]!);
    expect(m.actions.scaleWeb).toHaveBeenCalledWith(10);
    expect(m.statusLines).toContain('web: 3 instances');
    m.click(m.find('Add one'));
    expect(m.actions.scaleWeb).toHaveBeenLastCalledWith(4);
  });

  it('with zero web, Remove one is disabled and Add one asks for one', () => {
    const m = menu(view('ready', readyStatus(0)));
    expect(m.find('Remove one').enabled).toBe(false);
    expect(m.scaleItems[0]).toMatchObject({ label: '0', checked: true, enabled: false });
    m.click(m.find('Add one'));
    expect(m.actions.scaleWeb).toHaveBeenCalledWith(1);
  });

  it('at the maximum, Add one is disabled', () => {
    const status = readyStatus(20);
    const m = menu(view('ready', status));
    expect(m.find('Add one').enabled).toBe(false);
    expect(m.find('Remove one').enabled).toBe(true);
  });

  it('while scaling: shows the target, counts from the desired number, and a new choice can take over', () => {
    const status = readyStatus(1, {
      scaling: {
        service: 'web',
        desired: 3,
        starting: ['dt-web-2', 'dt-web-3'],
        draining: [],
        busy: true,
        max: 20,
      },
    });
    const m = menu(view('ready', status));
    expect(m.statusLines).toContain('web: 1 running → 3');
    expect(m.scaleItems.find((i) => i.checked)?.label).toBe('3');
    m.click(m.find('Add one'));
    expect(m.actions.scaleWeb).toHaveBeenCalledWith(4);
    expect(trayLook(view('ready', status))).toEqual({
      icon: 'working',
      tooltip: 'Discovery Tray: scaling web 1 → 3…',
    });
  });

  it('when Docker is down: says so, and scaling is disabled', () => {
    const status = readyStatus(2, {
      docker: {
        connected: false,
        endpoint: '/var/run/docker.sock',
        error: 'connect ENOENT /var/run/docker.sock',
      },
    });
    const m = menu(view('ready', status));
    expect(m.statusLines).toContain('Docker: not reachable');
    expect(m.statusLines).toContain('⚠ connect ENOENT /var/run/docker.sock');
    expect(m.find('Scale web').enabled).toBe(false);
    expect(m.find('Add one').enabled).toBe(false);
    expect(m.find('Remove one').enabled).toBe(false);
    expect(m.find('Stop demo').enabled).toBe(true);
    expect(trayLook(view('ready', status)).icon).toBe('error');
  });

  it('when Consul is down: says so; no scaling and no Consul UI', () => {
    const status = readyStatus(2, {
      consul: {
        connected: false,
        url: 'http://127.0.0.1:8500',
        uiUrl: 'http://127.0.0.1:8500/ui/',
        managed: true,
        error: 'ECONNREFUSED',
      },
    });
    const m = menu(view('ready', status));
    expect(m.statusLines).toContain('Consul: down');
    expect(m.find('Open Consul UI').enabled).toBe(false);
    expect(m.find('Add one').enabled).toBe(false);
    expect(m.find('Open load balancer').enabled).toBe(true);
    expect(trayLook(view('ready', status))).toEqual({
      icon: 'error',
      tooltip: 'Discovery Tray: Consul is down',
    });
  });

  it('while stopping: nothing but dashboard and quit', () => {
    const m = menu(view('stopping', { ...readyStatus(2), state: 'stopping' }));
    expect(m.statusLines[0]).toBe('Demo: stopping…');
    expect(m.enabled).toEqual([
      'Show dashboard',
      'Language',
      'Settings…',
      'Open at login',
      'Remove the demo on quit',
      'Quit Discovery Tray',
    ]);
    expect(trayLook(view('stopping', readyStatus(2))).icon).toBe('working');
  });

  it('stopped: Start demo is the way back', () => {
    const m = menu(view('stopped', idleStatus('stopped')));
    expect(m.find('Start demo').enabled).toBe(true);
    m.click(m.find('Start demo'));
    expect(m.actions.startDemo).toHaveBeenCalledOnce();
    expect(m.find('Stop demo').enabled).toBe(false);
  });

  it('after a failed start: shows why, offers Start demo again, error icon', () => {
    const failed = view('failed', idleStatus('stopped'), {
      startError:
        'No Docker engine answers at /var/run/docker.sock (connect ENOENT). Start Docker, or set DOCKER_HOST to your engine.',
    });
    const m = menu(failed);
    expect(m.statusLines[0]).toBe('Demo: failed to start');
    const reason = m.statusLines.find((l) => l?.startsWith('⚠ No Docker engine answers'));
    expect(reason).toBeDefined();
    expect(reason!.length).toBeLessThanOrEqual(92);
    expect(m.find('Start demo').enabled).toBe(true);
    expect(trayLook(failed).icon).toBe('error');
  });

  it('shows an adopted stack and the setting as checked', () => {
    const m = menu(view('ready', readyStatus(1, { adopted: true }), { stopDemoOnQuit: true }));
    expect(m.statusLines[0]).toBe('Demo: running (adopted an earlier stack)');
    expect(m.find('Remove the demo on quit').checked).toBe(true);
    m.click(m.find('Remove the demo on quit'));
    expect(m.actions.setStopDemoOnQuit).toHaveBeenCalledWith(false);
  });

  it('Send traffic: a toggle, enabled while the demo runs or traffic is on', () => {
    const traffic = { running: false, sent: 0, succeeded: 0, failed: 0, byBackend: {} };
    const off = menu(view('ready', readyStatus(1), { traffic }));
    expect(off.find('Send traffic')).toMatchObject({ type: 'checkbox', checked: false, enabled: true });
    off.click(off.find('Send traffic'));
    expect(off.actions.toggleTraffic).toHaveBeenCalledOnce();
    const on = menu(view('ready', readyStatus(1), { traffic: { ...traffic, running: true } }));
    expect(on.find('Send traffic').checked).toBe(true);
    expect(menu(view('stopped', idleStatus('stopped'), { traffic })).find('Send traffic').enabled).toBe(
      false,
    );
  });

  it('ready tooltip names the instances and the LB', () => {
    expect(trayLook(view('ready', readyStatus(3)))).toEqual({
      icon: 'ready',
      tooltip: 'Discovery Tray: 3 web instances behind http://127.0.0.1:8080',
    });
    const lbError = readyStatus(1, {
      lb: { url: 'http://127.0.0.1:8080', generation: 2, lastError: { at: 1, message: 'nginx -t failed' } },
    });
    expect(trayLook(view('ready', lbError)).icon).toBe('error');
    expect(menu(view('ready', lbError)).statusLines).toContain('⚠ LB config refused: nginx -t failed');
  });
});

describe('the tray menu in Simplified Chinese', () => {
  const zh = { locale: 'zh-CN', systemLocale: 'zh-CN' } as const;

  it('speaks Chinese everywhere, keeps the engine’s own words and the field’s names', () => {
    const lbError = readyStatus(3, {
      lb: { url: 'http://127.0.0.1:8080', generation: 2, lastError: { at: 1, message: 'nginx -t failed' } },
    });
    const items = buildTrayTemplate(view('ready', lbError, zh), spyActions());
    const labels = items.filter((i) => i.type !== 'separator').map((i) => i.label);
    expect(labels).toEqual([
      '演示：运行中',
      'Docker：已连接（20.10.24）',
      'Consul：已连接',
      'LB：http://127.0.0.1:8080',
      'web：3 个实例',
      '⚠ LB 配置被拒绝：nginx -t failed',
      '启动演示',
      '停止演示',
      '扩缩 web',
      '服务',
      '增加一个',
      '减少一个',
      '发送流量',
      '打开负载均衡器',
      '打开 Consul UI',
      '显示仪表盘',
      '模板',
      '语言',
      '设置…',
      '登录时打开',
      '退出时删除演示',
      '退出 Discovery Tray',
    ]);
    // No label is a raw key (a key that resolved to nothing comes back as itself).
    expect(labels.some((label) => /^(tray|dialogs)\./.test(label ?? ''))).toBe(false);
  });

  it('has Chinese tooltips', () => {
    expect(trayLook(view('ready', readyStatus(1), zh)).tooltip).toBe(
      'Discovery Tray：http://127.0.0.1:8080 后面有 1 个 web 实例',
    );
    expect(trayLook(view('starting', idleStatus('starting'), zh)).tooltip).toBe(
      'Discovery Tray：正在启动演示…',
    );
  });

  it('offers every language by its own name, the setting checked, and a choice calls setLanguage', () => {
    const items = buildTrayTemplate(
      view('ready', readyStatus(1), { ...zh, settings: { ...DEFAULT_SETTINGS, language: 'en' } }),
      spyActions(),
    );
    const languages = (items.find((i) => i.label === '语言')!.submenu as MenuItemConstructorOptions[]).map(
      (i) => ({ label: i.label, checked: i.checked }),
    );
    expect(languages).toEqual([
      { label: '跟随系统（简体中文）', checked: false },
      { label: 'English', checked: true },
      { label: '简体中文', checked: false },
    ]);
    const english = menu(view('ready', readyStatus(1)));
    const submenu = english.find('Language').submenu as MenuItemConstructorOptions[];
    expect(submenu[0]).toMatchObject({ label: 'System (English)', checked: true });
    english.click(submenu[2]!);
    expect(english.actions.setLanguage).toHaveBeenCalledWith('zh-CN');
  });
});
