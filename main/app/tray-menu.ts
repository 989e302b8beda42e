/**
 * The tray menu as a pure function of the app's state: the tray adapter calls
 * it on every change and hands the result to Menu.buildFromTemplate.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { EngineStatus } from '../../contract/index.js';
import type { DemoView } from '../service/discovery-service.js';

/** Everything the tray draws from: the demo's view and the app's own setting. */
export interface TrayState extends DemoView {
  /** Whether quitting also removes the demo stack (a user setting). */
  stopDemoOnQuit: boolean;
}

/** The counts offered under "Scale web". */
export const SCALE_CHOICES = [0, 1, 2, 3, 5, 10] as const;

export interface TrayActions {
  startDemo(): void;
  stopDemo(): void;
  scaleWeb(count: number): void;
  toggleTraffic(): void;
  openLoadBalancer(): void;
  openConsulUi(): void;
  showDashboard(): void;
  setStopDemoOnQuit(value: boolean): void;
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

function phaseLine(view: TrayState): string {
  switch (view.phase) {
    case 'starting':
      return 'Demo: starting…';
    case 'stopping':
      return 'Demo: stopping…';
    case 'stopped':
      return 'Demo: stopped';
    case 'failed':
      return 'Demo: failed to start';
    case 'ready':
      return view.status.adopted ? 'Demo: running (adopted an earlier stack)' : 'Demo: running';
  }
}

function dockerLine(status: EngineStatus): string {
  if (status.docker.connected)
    return `Docker: connected${status.docker.version ? ` (${status.docker.version})` : ''}`;
  return status.docker.error ? 'Docker: not reachable' : 'Docker: not connected';
}

function consulLine(status: EngineStatus): string {
  if (status.consul.connected)
    return `Consul: connected${status.consul.managed ? '' : ` (${status.consul.url})`}`;
  return status.consul.error ? 'Consul: down' : 'Consul: not connected';
}

function webLine(view: TrayState): string {
  const { running, desired } = webService(view.status);
  const scaling = view.status.scaling;
  if (scaling.busy && desired !== running) return `web: ${running} running → ${desired}`;
  return `web: ${running} ${running === 1 ? 'instance' : 'instances'}`;
}

/** Short lines that say what is wrong, shown under the status (disabled items). */
function problemLines(view: TrayState): string[] {
  const lines: string[] = [];
  if (view.phase === 'failed' && view.startError) lines.push(view.startError);
  if (view.phase === 'ready') {
    if (view.status.docker.error) lines.push(view.status.docker.error);
    if (view.status.consul.error) lines.push(view.status.consul.error);
    if (view.status.lb.lastError) lines.push(`LB config refused: ${view.status.lb.lastError.message}`);
    if (view.status.template.lastError)
      lines.push(`Template error: ${view.status.template.lastError.message}`);
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

export function buildTrayTemplate(view: TrayState, actions: TrayActions): MenuItemConstructorOptions[] {
  const { status, phase } = view;
  const running = phase === 'ready';
  const { desired } = webService(status);
  const max = status.scaling.max;
  const scalable = canScale(view);
  const traffic = view.traffic;

  const statusLines: MenuItemConstructorOptions[] = [
    info(phaseLine(view)),
    info(dockerLine(status)),
    info(consulLine(status)),
    info(`LB: ${status.lb.url}`),
    info(webLine(view)),
    ...problemLines(view).map((line) => info(`⚠ ${line}`)),
  ];

  return [
    ...statusLines,
    { type: 'separator' },
    {
      label: 'Start demo',
      enabled: phase === 'stopped' || phase === 'failed',
      click: () => actions.startDemo(),
    },
    { label: 'Stop demo', enabled: running, click: () => actions.stopDemo() },
    { type: 'separator' },
    {
      label: 'Scale web',
      enabled: scalable,
      submenu: SCALE_CHOICES.map((count) => ({
        label: String(count),
        type: 'radio' as const,
        checked: desired === count,
        enabled: scalable && count <= max && count !== desired,
        click: () => actions.scaleWeb(count),
      })),
    },
    { label: 'Add one', enabled: scalable && desired < max, click: () => actions.scaleWeb(desired + 1) },
    { label: 'Remove one', enabled: scalable && desired > 0, click: () => actions.scaleWeb(desired - 1) },
    {
      label: 'Send traffic',
      type: 'checkbox',
      checked: traffic.running,
      enabled: traffic.running || running,
      click: () => actions.toggleTraffic(),
    },
    { type: 'separator' },
    { label: 'Open load balancer', enabled: running, click: () => actions.openLoadBalancer() },
    {
      label: 'Open Consul UI',
      enabled: running && status.consul.connected && status.consul.uiUrl !== '',
      click: () => actions.openConsulUi(),
    },
    { label: 'Show dashboard', click: () => actions.showDashboard() },
    { type: 'separator' },
    {
      label: 'Remove the demo on quit',
      type: 'checkbox',
      checked: view.stopDemoOnQuit,
      click: () => actions.setStopDemoOnQuit(!view.stopDemoOnQuit),
    },
    { label: 'Quit Discovery Tray', click: () => actions.quit() },
  ];
}

/** Which icon the tray shows, and its tooltip. */
export function trayLook(view: TrayState): { icon: TrayIconState; tooltip: string } {
  const { status } = view;
  const { running, desired } = webService(status);
  if (view.phase === 'failed') return { icon: 'error', tooltip: `Discovery Tray: the demo did not start` };
  if (view.phase === 'starting') return { icon: 'working', tooltip: 'Discovery Tray: starting the demo…' };
  if (view.phase === 'stopping') return { icon: 'working', tooltip: 'Discovery Tray: stopping the demo…' };
  if (view.phase === 'stopped') return { icon: 'ready', tooltip: 'Discovery Tray: demo stopped' };
  if (!status.docker.connected) return { icon: 'error', tooltip: 'Discovery Tray: Docker is not reachable' };
  if (!status.consul.connected) return { icon: 'error', tooltip: 'Discovery Tray: Consul is down' };
  if (status.lb.lastError || status.template.lastError)
    return { icon: 'error', tooltip: 'Discovery Tray: the LB config has an error (see the dashboard)' };
  if (status.scaling.busy)
    return { icon: 'working', tooltip: `Discovery Tray: scaling web ${running} → ${desired}…` };
  return {
    icon: 'ready',
    tooltip: `Discovery Tray: ${running} web ${running === 1 ? 'instance' : 'instances'} behind ${status.lb.url}`,
  };
}
