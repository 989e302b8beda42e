/**
 * The tray's "Template" submenu: the built-in templates as radio items (checked on the live one)
 * and "Reset to classic". Editing and restoring older versions stay in the dashboard, where the
 * text and its history can be read; the tray only switches between the shipped ones.
 */
import type { MenuItemConstructorOptions } from 'electron';
import {
  BUILTIN_TEMPLATE_NAMES,
  DEFAULT_TEMPLATE,
  type BuiltinTemplateName,
  type Translate,
} from '../../contract/index.js';
import type { TrayState } from './tray-menu.js';

export interface TrayTemplateActions {
  /** Uses a built-in now (if the demo runs) and on every next start; classic is the reset. */
  selectTemplate(name: BuiltinTemplateName): void;
}

/** The built-in the status names as live, if the live template is one (an edited text is none). */
export function liveBuiltin(view: TrayState): BuiltinTemplateName | undefined {
  const live = view.status.liveTemplate;
  return live?.kind === 'builtin' ? live.builtin : undefined;
}

export function templateMenuItem(
  view: TrayState,
  actions: TrayTemplateActions,
  t: Translate,
): MenuItemConstructorOptions {
  const live = liveBuiltin(view);
  // Stopping or starting swaps the render loop under the choice; wait for a settled phase.
  const settled = view.phase === 'ready' || view.phase === 'stopped' || view.phase === 'failed';
  return {
    label: t('templates.trayMenu'),
    enabled: settled,
    submenu: [
      ...BUILTIN_TEMPLATE_NAMES.map((name) => ({
        label: t(`templates.builtinName.${name}`),
        type: 'radio' as const,
        checked: live === name,
        enabled: settled,
        click: () => {
          if (live !== name) actions.selectTemplate(name);
        },
      })),
      { type: 'separator' as const },
      {
        label: t('templates.trayReset'),
        enabled: settled && live !== DEFAULT_TEMPLATE,
        click: () => actions.selectTemplate(DEFAULT_TEMPLATE),
      },
    ],
  };
}
