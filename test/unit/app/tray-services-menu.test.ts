import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { EngineStatus, ScaleTargetView } from '../../../contract/index.js';
import { translatorFor } from '../../../main/app/translator.js';
import { buildTrayTemplate } from '../../../main/app/tray-menu.js';
import { servicesMenuItems } from '../../../main/app/tray-services-menu.js';
import { readyStatus, trayState, webInstances } from './fixtures.js';

const t = translatorFor('en');

function target(name: string, changes: Partial<ScaleTargetView> = {}): ScaleTargetView {
  return {
    target: name,
    managedBy: name === 'web' ? 'demo' : 'compose',
    services: [name === 'web' ? 'web' : 'api'],
    running: 1,
    desired: 1,
    min: name === 'web' ? 0 : 1,
    max: 20,
    scalable: true,
    busy: false,
    starting: [],
    draining: [],
    ...changes,
  };
}

/** web (ours), api (a Compose service with a warning) and billing (foreign, one unreachable instance). */
function mixedStatus(api: Partial<ScaleTargetView> = {}): EngineStatus {
  const status = readyStatus(1);
  status.services[0]!.scaleTargets = ['web'];
  const [apiInstance] = webInstances(1).map((i) => ({
    ...i,
    id: 'host:shop-api-1:8080',
    service: 'api',
    warnings: [{ message: 'SERVICE_80_NAME and SERVICE_NAME disagree.', fix: 'Set SERVICE_80_NAME=api.' }],
  }));
  const [billing] = webInstances(1).map((i) => ({
    ...i,
    id: 'other:billing:9000',
    service: 'billing',
    address: '10.9.8.7',
    port: 9000,
    state: 'unreachable' as const,
    unreachableReason: 'no network has 10.9.8.7',
    owned: false,
  }));
  status.services.push(
    { name: 'api', running: 1, owned: true, scaleTargets: ['shop/api'], instances: [apiInstance!] },
    { name: 'billing', running: 0, owned: false, alsoRegistered: 1, instances: [billing!] },
  );
  status.scaleTargets = [target('web'), target('shop/api', api)];
  return status;
}

function submenu(item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  return (item?.submenu ?? []) as MenuItemConstructorOptions[];
}

function services(status: EngineStatus, canScale = true) {
  const actions = { scaleTarget: vi.fn<(target: string, count: number) => void>() };
  const [root] = servicesMenuItems(status, canScale, actions, t);
  const byName = (prefix: string) => submenu(root).find((i) => i.label?.replace('⚠ ', '').startsWith(prefix));
  return { root, byName, actions };
}

describe('the tray Services submenu', () => {
  it('lists every service with its count, and marks the ones with problems', () => {
    const { root, byName } = services(mixedStatus());
    expect(root?.label).toBe('Services');
    expect(submenu(root).map((i) => i.label)).toEqual([
      'web: 1 running',
      '⚠ api: 1 running',
      '⚠ billing: 1 (registered by others)',
    ]);
    expect(submenu(byName('api')).map((i) => i.label)).toContain('⚠ 1 warning');
    expect(submenu(byName('api')).map((i) => i.label)).toContain('  Set SERVICE_80_NAME=api.');
  });

  it('scales a Compose target through scaleTarget, within its min and max', () => {
    const { byName, actions } = services(mixedStatus({ max: 3 }));
    const items = submenu(byName('api')).filter((i) => i.type === 'radio');
    expect(items.map((i) => i.label)).toEqual([
      'Scale shop/api to 1',
      'Scale shop/api to 2',
      'Scale shop/api to 3',
    ]);
    expect(items[0]?.enabled).toBe(false); // already at 1
    (items[2]?.click as () => void)();
    expect(actions.scaleTarget).toHaveBeenCalledWith('shop/api', 3);
  });

  it('shows a foreign service read-only with its unreachable instance', () => {
    const { byName } = services(mixedStatus());
    const billing = submenu(byName('billing'));
    expect(billing.map((i) => i.label)).toEqual([
      '⚠ 1 unreachable',
      '  10.9.8.7:9000: no network has 10.9.8.7',
      'Read-only: registered by others',
    ]);
    expect(billing.every((i) => i.enabled === false && i.click === undefined)).toBe(true);
  });

  it('offers only counts down, and says why, while a target cannot grow', () => {
    const { byName } = services(
      mixedStatus({ running: 2, desired: 2, scalable: false, blockedBy: 'a fixed host port' }),
    );
    const items = submenu(byName('api'));
    const enabled = items.filter((i) => i.type === 'radio' && i.enabled).map((i) => i.label);
    expect(enabled).toEqual(['Scale shop/api to 1']);
    expect(items.map((i) => i.label)).toContain('⚠ a fixed host port');
  });

  it('offers no scale entry while the engine cannot scale, and nothing with no service', () => {
    const { byName } = services(mixedStatus(), false);
    expect(submenu(byName('web')).filter((i) => i.enabled !== false)).toEqual([]);
    expect(servicesMenuItems(readyStatus(0, { services: [] }), true, { scaleTarget: vi.fn() }, t)).toEqual(
      [],
    );
  });

  it('is part of the tray menu once the engine lists services', () => {
    const noop = (): void => undefined;
    const items = buildTrayTemplate(trayState('ready', mixedStatus()), {
      startDemo: noop,
      stopDemo: noop,
      scaleWeb: noop,
      scaleTarget: noop,
      selectTemplate: noop,
      toggleTraffic: noop,
      openLoadBalancer: noop,
      openConsulUi: noop,
      showDashboard: noop,
      setStopDemoOnQuit: noop,
      setOpenAtLogin: noop,
      openSettings: noop,
      usePort: noop,
      setLanguage: noop,
      quit: noop,
    });
    expect(items.map((i) => i.label)).toContain('Services');
  });
});
