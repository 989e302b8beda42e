import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { BuiltinTemplateName, LiveTemplateView } from '../../../contract/index.js';
import { buildTrayTemplate, type TrayActions } from '../../../main/app/tray-menu.js';
import { templateMenuItem } from '../../../main/app/tray-templates-menu.js';
import { translatorFor } from '../../../main/app/translator.js';
import { idleStatus, readyStatus, trayState } from './fixtures.js';

const builtin = (name: BuiltinTemplateName): LiveTemplateView => ({
  origin: 'kept',
  kind: 'builtin',
  builtin: name,
  label: name,
});

function submenu(state: ReturnType<typeof trayState>) {
  const selectTemplate = vi.fn<(name: BuiltinTemplateName) => void>();
  const item = templateMenuItem(state, { selectTemplate }, translatorFor(state.locale));
  const items = item.submenu as MenuItemConstructorOptions[];
  const byLabel = (label: string): MenuItemConstructorOptions => {
    const found = items.find((i) => i.label === label);
    if (!found) throw new Error(`no "${label}" in ${items.map((i) => i.label).join(' | ')}`);
    return found;
  };
  const click = (label: string): void => (byLabel(label).click as () => void)();
  return { item, items, byLabel, click, selectTemplate };
}

describe('the tray’s Template submenu', () => {
  it('lists the built-ins as radio items, checked on the live one', () => {
    const m = submenu(trayState('ready', readyStatus(1, { liveTemplate: builtin('services-localhost') })));
    expect(m.item.label).toBe('Template');
    expect(m.items.filter((i) => i.type === 'radio').map((i) => [i.label, i.checked])).toEqual([
      ['Classic (backend.web)', false],
      ['Every service at <service>.localhost', true],
    ]);
    m.click('Classic (backend.web)');
    expect(m.selectTemplate).toHaveBeenCalledWith('classic');
    // Clicking the live one again does not rewrite the history.
    m.click('Every service at <service>.localhost');
    expect(m.selectTemplate).toHaveBeenCalledTimes(1);
    m.click('Reset to classic');
    expect(m.selectTemplate).toHaveBeenLastCalledWith('classic');
  });

  it('checks nothing for an edited template, and offers the reset', () => {
    const edited: LiveTemplateView = { origin: 'kept', kind: 'edited', label: 'edited.ctmpl' };
    const m = submenu(trayState('ready', readyStatus(1, { liveTemplate: edited })));
    expect(m.items.filter((i) => i.checked)).toEqual([]);
    expect(m.byLabel('Reset to classic').enabled).toBe(true);
  });

  it('disables the reset when classic is live, and everything while the demo starts or stops', () => {
    const live = submenu(trayState('ready', readyStatus(1, { liveTemplate: builtin('classic') })));
    expect(live.byLabel('Reset to classic').enabled).toBe(false);
    const stopped = submenu(
      trayState('stopped', { ...idleStatus('stopped'), liveTemplate: builtin('classic') }),
    );
    expect(stopped.byLabel('Every service at <service>.localhost').enabled).toBe(true);
    for (const phase of ['starting', 'stopping'] as const) {
      const busy = submenu(
        trayState(phase, { ...idleStatus(phase), liveTemplate: builtin('services-localhost') }),
      );
      expect(busy.items.filter((i) => i.type !== 'separator').every((i) => i.enabled === false)).toBe(true);
    }
  });

  it('speaks the menu’s language', () => {
    const m = submenu(
      trayState('ready', readyStatus(1, { liveTemplate: builtin('classic') }), { locale: 'zh-CN' }),
    );
    expect(m.item.label).toBe('模板');
    expect(m.byLabel('重置为经典模板').enabled).toBe(false);
  });

  it('is in the tray menu', () => {
    const actions = { selectTemplate: vi.fn() } as unknown as TrayActions;
    const items = buildTrayTemplate(trayState('ready', readyStatus(1)), actions);
    expect(items.map((i) => i.label)).toContain('Template');
  });
});
