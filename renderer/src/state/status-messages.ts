/**
 * What the status bar says: one message per thing that is wrong or pending, each with what
 * to do about it, in the page's language. What the engine or Docker said (an error text, nginx's
 * complaint, a warning) is kept as it came, as the message's detail. Pure, so that every case is
 * tested without a DOM.
 */
import type { EngineStatus, Translate } from '../../../contract/index';
import type { ConnectionState } from '../api/connection';

export interface StatusMessage {
  id: string;
  level: 'error' | 'warning' | 'info';
  text: string;
  /** The engine's own words (English), shown after the text. */
  detail?: string;
  action?: string;
}

export interface Pill {
  id: 'engine' | 'docker' | 'consul' | 'lb';
  label: string;
  value: string;
  level: 'ok' | 'warning' | 'error' | 'pending';
}

export function statusMessages(
  t: Translate,
  status: EngineStatus | undefined,
  connection: ConnectionState,
  connectionDetail?: string,
  loadError?: string,
): StatusMessage[] {
  const out: StatusMessage[] = [];
  if (connection === 'unauthorized') {
    out.push({
      id: 'unauthorized',
      level: 'error',
      text: t('status.unauthorized'),
      action: t('status.unauthorizedAction'),
    });
  } else if (connection === 'unreachable' || (!status && loadError)) {
    const detail = connectionDetail ?? loadError;
    out.push({
      id: 'unreachable',
      level: 'error',
      text: t('status.unreachable'),
      ...(detail ? { detail } : {}),
      action: t('status.unreachableAction'),
    });
  }
  if (!status) {
    if (out.length === 0) out.push({ id: 'loading', level: 'info', text: t('status.loading') });
    return out;
  }
  if (status.state === 'starting')
    out.push({
      id: 'engine-starting',
      level: 'info',
      text: t('status.starting'),
      action: t('status.startingAction'),
    });
  if (status.state === 'stopping')
    out.push({ id: 'engine-stopping', level: 'info', text: t('status.stopping') });
  if (status.state === 'stopped')
    out.push({
      id: 'engine-stopped',
      level: 'warning',
      text: t('status.stopped'),
      action: t('status.stoppedAction'),
    });
  const running = status.state !== 'stopped' && status.state !== 'starting';
  if (running && !status.docker.connected)
    out.push({
      id: 'docker-down',
      level: 'error',
      text: t('status.dockerDown', { endpoint: status.docker.endpoint }),
      ...(status.docker.error ? { detail: status.docker.error } : {}),
      action: t('status.dockerDownAction'),
    });
  if (running && !status.consul.connected)
    out.push({
      id: 'consul-down',
      level: 'error',
      text: status.consul.url
        ? t('status.consulDown', { url: status.consul.url })
        : t('status.consulDownNoUrl'),
      ...(status.consul.error ? { detail: status.consul.error } : {}),
      action: status.consul.managed ? t('status.consulDownManagedAction') : t('status.consulDownOwnAction'),
    });
  if (status.lb.lastError)
    out.push({
      id: 'lb-error',
      level: 'error',
      text: status.lb.lastError.line
        ? t('status.lbErrorLine', { line: status.lb.lastError.line })
        : t('status.lbError'),
      detail: status.lb.lastError.message,
      action: t('status.lbErrorAction'),
    });
  if (status.template.lastError)
    out.push({
      id: 'template-error',
      level: 'error',
      text: t('status.templateError'),
      detail: status.template.lastError.message,
      action: t('status.templateErrorAction'),
    });
  for (const [i, warning] of status.warnings.entries())
    out.push({
      id: `warning-${i}`,
      level: 'warning',
      text: t('status.warning'),
      detail: warning.container ? `${warning.container}: ${warning.message}` : warning.message,
    });
  if (connection === 'polling') out.push({ id: 'polling', level: 'info', text: t('status.polling') });
  return out;
}

export function statusPills(
  t: Translate,
  status: EngineStatus | undefined,
  connection: ConnectionState,
  loadError?: string,
): Pill[] {
  if (!status) {
    const down = connection === 'unreachable' || connection === 'unauthorized' || loadError !== undefined;
    return [
      {
        id: 'engine',
        label: t('pills.engine'),
        value: down ? t('pills.unreachable') : t('pills.connecting'),
        level: down ? 'error' : 'pending',
      },
    ];
  }
  const engineLevel: Pill['level'] =
    status.state === 'ready' ? 'ok' : status.state === 'stopped' ? 'warning' : 'pending';
  const starting = status.state === 'starting';
  const waitingOrDown = starting ? t('pills.waiting') : t('pills.down');
  return [
    { id: 'engine', label: t('pills.engine'), value: t(`engineState.${status.state}`), level: engineLevel },
    {
      id: 'docker',
      label: t('pills.docker'),
      value: status.docker.connected ? (status.docker.version ?? t('pills.connected')) : waitingOrDown,
      level: status.docker.connected ? 'ok' : starting ? 'pending' : 'error',
    },
    {
      id: 'consul',
      label: t('pills.consul'),
      value: status.consul.connected ? t('pills.connected') : waitingOrDown,
      level: status.consul.connected ? 'ok' : starting ? 'pending' : 'error',
    },
    {
      id: 'lb',
      label: t('pills.lb'),
      value: status.lb.lastError
        ? t('pills.configRefused')
        : status.lb.generation > 0
          ? t('pills.configGeneration', { generation: status.lb.generation })
          : t('pills.noConfig'),
      level: status.lb.lastError ? 'error' : status.lb.generation > 0 ? 'ok' : 'pending',
    },
  ];
}
