/**
 * The tray menu as a pure function of the app's state: the tray adapter calls
 * it on every change and hands the result to Menu.buildFromTemplate. Its texts
 * come from the contract's catalogue in the state's locale; messages the engine
 * wrote (a start failure, Docker's error) stay as they came.
 */
import type { MenuItemConstructorOptions } from 'electron';
import {
  LANGUAGE_CHOICES,
  LOCALE_NAMES,
  type EngineStatus,
  type LanguageChoice,
  type Locale,
  type Translate,
} from '../../contract/index.js';
import type { DemoView } from '../service/discovery-service.js';
import { translatorFor } from './translator.js';
import { settingsMenuItems, type TraySettingsActions } from './tray-settings-menu.js';
import { preparingLine, preparingTooltip } from './tray-progress.js';
import { servicesMenuItems, type TrayServicesActions } from './tray-services-menu.js';
import { templateMenuItem, type TrayTemplateActions } from './tray-templates-menu.js';

/** Everything the tray draws from: the demo's view and the app's own setting. */
export interface TrayState extends DemoView {
  /** Whether quitting also removes the demo stack (a user setting). */
  stopDemoOnQuit: boolean;
  /** The language the menu speaks (the setting's choice, "system" resolved by the app). */
  locale: Locale;
  /** The language the system has, for the "System (…)" entry. */
  systemLocale: Locale;
}

/** The counts offered under "Scale web". */
export const SCALE_CHOICES = [0, 1, 2, 3, 5, 10] as const;

export interface TrayActions extends TraySettingsActions, TrayServicesActions, TrayTemplateActions {
  startDemo(): void;
  stopDemo(): void;
  scaleWeb(count: number): void;
  toggleTraffic(): void;
  openLoadBalancer(): void;
  openConsulUi(): void;
  showDashboard(): void;
  setStopDemoOnQuit(value: boolean): void;
  setLanguage(choice: LanguageChoice): void;
  quit(): void;
}

export type TrayIconState = 'ready' | 'working' | 'error';

function webService(status: EngineStatus): { running: number; desired: number } {
  const web = status.services.find((s) => s.name === 'web');
  const running = web?.running ?? 0;
  return { running, desired: status.scaling.desired ?? web?.desired ?? running };
}

/** True when a scale request can act now: the demo runs and Docker and Consul answer. */
function canScale(view: TrayState): boolean {
  return view.phase === 'ready' && view.status.docker.connected && view.status.consul.connected;
}

function phaseLine(view: TrayState, t: Translate): string {
  switch (view.phase) {
    case 'starting':
      return t('tray.demoStarting');
    case 'stopping':
      return t('tray.demoStopping');
    case 'stopped':
      return t('tray.demoStopped');
    case 'failed':
      return t('tray.demoFailed');
    case 'ready':
      return view.status.adopted ? t('tray.demoAdopted') : t('tray.demoRunning');
  }
}

function dockerLine(status: EngineStatus, t: Translate): string {
  if (status.docker.connected)
    return status.docker.version
      ? t('tray.dockerConnectedVersion', { version: status.docker.version })
      : t('tray.dockerConnected');
  return status.docker.error ? t('tray.dockerUnreachable') : t('tray.dockerNotConnected');
}

function consulLine(status: EngineStatus, t: Translate): string {
  if (status.consul.connected)
    return status.consul.managed
      ? t('tray.consulConnected')
      : t('tray.consulConnectedAt', { url: status.consul.url });
  return status.consul.error ? t('tray.consulDown') : t('tray.consulNotConnected');
}

function webLine(view: TrayState, t: Translate): string {
  const { running, desired } = webService(view.status);
  const scaling = view.status.scaling;
  if (scaling.busy && desired !== running) return t('tray.webScaling', { running, desired });
  return t('tray.webInstances', {}, running);
}

/** Short lines that say what is wrong, shown under the status (disabled items). */
function problemLines(view: TrayState, t: Translate): string[] {
  const lines: string[] = [];
  if (view.phase === 'failed' && view.startError) lines.push(view.startError);
  if (view.phase === 'ready') {
    if (view.status.docker.error) lines.push(view.status.docker.error);
    if (view.status.consul.error) lines.push(view.status.consul.error);
    if (view.status.lb.lastError)
      lines.push(t('tray.lbRefused', { message: view.status.lb.lastError.message }));
    if (view.status.template.lastError)
      lines.push(t('tray.templateError', { message: view.status.template.lastError.message }));
    for (const i of view.status.services.flatMap((s) => s.instances))
      if (i.state === 'unreachable')
        lines.push(
          t('tray.unreachable', {
            service: i.service,
            address: `${i.address}:${i.port}`,
            reason: i.unreachableReason ?? '',
          }),
        );
  }
  // Menu labels are one line; long messages are cut, the dashboard shows them whole.
  return lines.map((line) => {
    const first = line.split('\n')[0] ?? '';
    return first.length > 90 ? `${first.slice(0, 89)}…` : first;
  });
}

function info(label: string): MenuItemConstructorOptions {
  return { label, enabled: false };
}

function languageLabel(choice: LanguageChoice, view: TrayState, t: Translate): string {
  return choice === 'system'
    ? t('tray.languageSystem', { language: LOCALE_NAMES[view.systemLocale] })
    : LOCALE_NAMES[choice];
}

export function buildTrayTemplate(view: TrayState, actions: TrayActions): MenuItemConstructorOptions[] {
  const t = translatorFor(view.locale);
  const { status, phase } = view;
  const running = phase === 'ready';
  const { desired } = webService(status);
  const max = status.scaling.max;
  const scalable = canScale(view);
  const traffic = view.traffic;

  const statusLines: MenuItemConstructorOptions[] = [
    info(phaseLine(view, t)),
    ...(phase === 'starting' ? [preparingLine(status, t)].filter((l) => l !== undefined).map(info) : []),
    info(dockerLine(status, t)),
    info(consulLine(status, t)),
    info(t('tray.lb', { url: status.lb.url })),
    info(webLine(view, t)),
    ...problemLines(view, t).map((line) => info(`⚠ ${line}`)),
  ];

  return [
    ...statusLines,
    { type: 'separator' },
    {
      label: t('tray.startDemo'),
      enabled: phase === 'stopped' || phase === 'failed',
      click: () => actions.startDemo(),
    },
    { label: t('tray.stopDemo'), enabled: running, click: () => actions.stopDemo() },
    { type: 'separator' },
    {
      label: t('tray.scaleWeb'),
      enabled: scalable,
      submenu: SCALE_CHOICES.map((count) => ({
        label: String(count),
        type: 'radio' as const,
        checked: desired === count,
        enabled: scalable && count <= max && count !== desired,
        click: () => actions.scaleWeb(count),
      })),
    },
    ...servicesMenuItems(status, scalable, actions, t),
    {
      label: t('tray.addOne'),
      enabled: scalable && desired < max,
      click: () => actions.scaleWeb(desired + 1),
    },
    {
      label: t('tray.removeOne'),
      enabled: scalable && desired > 0,
      click: () => actions.scaleWeb(desired - 1),
    },
    {
      label: t('tray.sendTraffic'),
      type: 'checkbox',
      checked: traffic.running,
      enabled: traffic.running || running,
      click: () => actions.toggleTraffic(),
    },
    { type: 'separator' },
    { label: t('tray.openLb'), enabled: running, click: () => actions.openLoadBalancer() },
    {
      label: t('tray.openConsulUi'),
      enabled: running && status.consul.connected && status.consul.uiUrl !== '',
      click: () => actions.openConsulUi(),
    },
    { label: t('tray.showDashboard'), click: () => actions.showDashboard() },
    { type: 'separator' },
    templateMenuItem(view, actions, t),
    {
      label: t('tray.language'),
      submenu: LANGUAGE_CHOICES.map((choice) => ({
        label: languageLabel(choice, view, t),
        type: 'radio' as const,
        checked: view.settings.language === choice,
        click: () => actions.setLanguage(choice),
      })),
    },
    ...settingsMenuItems(view, actions, t),
    { label: t('tray.quit'), click: () => actions.quit() },
  ];
}

/** Which icon the tray shows, and its tooltip. */
export function trayLook(view: TrayState): { icon: TrayIconState; tooltip: string } {
  const t = translatorFor(view.locale);
  const { status } = view;
  const { running, desired } = webService(status);
  if (view.phase === 'failed') return { icon: 'error', tooltip: t('tray.tooltipFailed') };
  if (view.phase === 'starting')
    return { icon: 'working', tooltip: preparingTooltip(status, t) ?? t('tray.tooltipStarting') };
  if (view.phase === 'stopping') return { icon: 'working', tooltip: t('tray.tooltipStopping') };
  if (view.phase === 'stopped') return { icon: 'ready', tooltip: t('tray.tooltipStopped') };
  if (!status.docker.connected) return { icon: 'error', tooltip: t('tray.tooltipDockerDown') };
  if (!status.consul.connected) return { icon: 'error', tooltip: t('tray.tooltipConsulDown') };
  if (status.lb.lastError || status.template.lastError)
    return { icon: 'error', tooltip: t('tray.tooltipConfigError') };
  if (status.scaling.busy)
    return { icon: 'working', tooltip: t('tray.tooltipScaling', { running, desired }) };
  return { icon: 'ready', tooltip: t('tray.tooltipReady', { url: status.lb.url }, running) };
}
