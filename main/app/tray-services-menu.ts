/**
 * The tray's "Services" submenu: every service Consul has, with its instance count and what is
 * wrong with it (unreachable instances, the registrator's warnings), and for each scale target
 * that feeds it (the demo's `web`, a Compose service) the counts `scale` accepts. Services someone
 * else registered are listed read-only: the engine never starts or stops their containers.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { EngineStatus, ScaleTargetView, ServiceView, Translate } from '../../contract/index.js';

export interface TrayServicesActions {
  /** Scales a target (`web` or `<project>/<service>`) through the same `scale` operation as the CLI. */
  scaleTarget(target: string, count: number): void;
}

/** The counts offered per scale target (those outside the target's min..max are left out). */
export const TARGET_SCALE_CHOICES = [1, 2, 3, 5, 10] as const;

function info(label: string): MenuItemConstructorOptions {
  return { label, enabled: false };
}

function scaleItems(
  target: ScaleTargetView,
  canScale: boolean,
  actions: TrayServicesActions,
  t: Translate,
): MenuItemConstructorOptions[] {
  const desired = target.desired ?? target.running;
  // While the target cannot add replicas, only counts at or below what runs are offered (down still works).
  const ceiling = target.scalable ? target.max : Math.min(target.max, target.running);
  const items: MenuItemConstructorOptions[] = TARGET_SCALE_CHOICES.filter(
    (count) => count >= target.min && count <= target.max,
  ).map((count) => ({
    label: t('servicesView.trayScaleTo', { target: target.target, count }),
    type: 'radio' as const,
    checked: desired === count,
    enabled: canScale && !target.busy && count <= ceiling && count !== desired,
    click: () => actions.scaleTarget(target.target, count),
  }));
  if (!target.scalable && target.blockedBy) items.push(info(`⚠ ${oneLine(target.blockedBy)}`));
  return items;
}

/** Menu labels are one line; the dashboard shows long messages whole. */
function oneLine(text: string): string {
  const first = text.split('\n')[0] ?? '';
  return first.length > 90 ? `${first.slice(0, 89)}…` : first;
}

function serviceItem(
  service: ServiceView,
  targets: ScaleTargetView[],
  canScale: boolean,
  actions: TrayServicesActions,
  t: Translate,
): MenuItemConstructorOptions {
  const foreign = service.owned === false;
  const label = foreign
    ? t('servicesView.trayServiceForeign', { service: service.name, count: service.instances.length })
    : t('servicesView.trayService', { service: service.name, running: service.running });
  const unreachable = service.instances.filter((i) => i.state === 'unreachable');
  const warnings = service.instances.flatMap((i) => i.warnings ?? []);
  const lines: MenuItemConstructorOptions[] = [];
  if (service.alsoRegistered && !foreign)
    lines.push(info(t('servicesView.alsoRegistered', { count: service.alsoRegistered })));
  if (unreachable.length) lines.push(info(t('servicesView.trayUnreachable', { count: unreachable.length })));
  for (const i of unreachable)
    lines.push(info(oneLine(`  ${i.address}:${i.port}: ${i.unreachableReason ?? ''}`)));
  if (warnings.length) lines.push(info(t('servicesView.trayWarnings', {}, warnings.length)));
  for (const w of warnings) lines.push(info(oneLine(`  ${w.fix ?? w.message}`)));
  if (foreign) lines.push(info(t('servicesView.trayReadOnly')));
  else {
    const own = targets.filter((x) => (service.scaleTargets ?? []).includes(x.target));
    for (const target of own) {
      if (lines.length) lines.push({ type: 'separator' });
      lines.push(...scaleItems(target, canScale, actions, t));
    }
  }
  const flagged = unreachable.length > 0 || warnings.length > 0;
  return { label: flagged ? `⚠ ${label}` : label, submenu: lines.length ? lines : [info(label)] };
}

/** The "Services" entry of the tray menu, or nothing while the engine lists no service. */
export function servicesMenuItems(
  status: EngineStatus,
  canScale: boolean,
  actions: TrayServicesActions,
  t: Translate,
): MenuItemConstructorOptions[] {
  if (status.services.length === 0) return [];
  const targets = status.scaleTargets ?? [];
  return [
    {
      label: t('servicesView.trayMenu'),
      // Like "Scale web": while the engine is not ready (stopping, Docker or Consul down) the list would be stale.
      enabled: canScale,
      submenu: status.services.map((s) => serviceItem(s, targets, canScale, actions, t)),
    },
  ];
}
