/**
 * What the status bar says: one message per thing that is wrong or pending, each with what
 * to do about it. Pure, so that every case is tested without a DOM.
 */
import type { EngineStatus } from '../../../contract/index';
import type { ConnectionState } from '../api/connection';

export interface StatusMessage {
  id: string;
  level: 'error' | 'warning' | 'info';
  text: string;
  action?: string;
}

export interface Pill {
  id: 'engine' | 'docker' | 'consul' | 'lb';
  label: string;
  value: string;
  level: 'ok' | 'warning' | 'error' | 'pending';
}

export function statusMessages(
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
      text: 'The engine refused this page’s token.',
      action:
        'Open the dashboard again with the URL that `discovery-tray up` printed (it carries a fresh token).',
    });
  } else if (connection === 'unreachable' || (!status && loadError)) {
    out.push({
      id: 'unreachable',
      level: 'error',
      text: connectionDetail ?? loadError ?? 'The engine does not answer.',
      action: 'Start it with `npx discovery-tray up`; this page reconnects by itself.',
    });
  }
  if (!status) {
    if (out.length === 0) out.push({ id: 'loading', level: 'info', text: 'Connecting to the engine…' });
    return out;
  }
  if (status.state === 'starting')
    out.push({
      id: 'engine-starting',
      level: 'info',
      text: 'The engine is starting: network, Consul, nginx and the first web container.',
      action: 'Scaling and traffic are available once it is ready.',
    });
  if (status.state === 'stopping')
    out.push({ id: 'engine-stopping', level: 'info', text: 'The engine is stopping.' });
  if (status.state === 'stopped')
    out.push({
      id: 'engine-stopped',
      level: 'warning',
      text: 'The demo is not running.',
      action: 'Press “Start demo”, or run `npx discovery-tray up` in a terminal.',
    });
  if (status.state !== 'stopped' && status.state !== 'starting' && !status.docker.connected)
    out.push({
      id: 'docker-down',
      level: 'error',
      text: `Docker is not reachable at ${status.docker.endpoint}${status.docker.error ? `: ${status.docker.error}` : '.'}`,
      action:
        'Start Docker (Docker Desktop, or `dockerd`) or set DOCKER_HOST; the engine reconnects and resyncs by itself.',
    });
  if (status.state !== 'stopped' && status.state !== 'starting' && !status.consul.connected)
    out.push({
      id: 'consul-down',
      level: 'error',
      text: `Consul does not answer${status.consul.url ? ` at ${status.consul.url}` : ''}${status.consul.error ? `: ${status.consul.error}` : '.'}`,
      action: status.consul.managed
        ? 'The demo’s Consul container may have stopped: check `docker ps`, or start the demo again. Registrations are restored when it is back.'
        : 'Check that your Consul agent runs and that the address and ACL token are right. Registrations are restored when it is back.',
    });
  if (status.lb.lastError)
    out.push({
      id: 'lb-error',
      level: 'error',
      text: `nginx refused the new config${status.lb.lastError.line ? ` (line ${status.lb.lastError.line})` : ''}: ${status.lb.lastError.message}`,
      action: 'The last good config keeps serving. See Config for the lines, then fix the template.',
    });
  if (status.template.lastError)
    out.push({
      id: 'template-error',
      level: 'error',
      text: `The template does not render: ${status.template.lastError.message}`,
      action: 'nginx keeps the last good config. Fix the template in Config.',
    });
  for (const [i, warning] of status.warnings.entries())
    out.push({ id: `warning-${i}`, level: 'warning', text: `${warning.container}: ${warning.message}` });
  if (connection === 'polling')
    out.push({
      id: 'polling',
      level: 'info',
      text: 'Live updates are not available from this engine; refreshing every few seconds.',
    });
  return out;
}

export function statusPills(
  status: EngineStatus | undefined,
  connection: ConnectionState,
  loadError?: string,
): Pill[] {
  if (!status) {
    const down = connection === 'unreachable' || connection === 'unauthorized' || loadError !== undefined;
    return [
      {
        id: 'engine',
        label: 'Engine',
        value: down ? 'unreachable' : 'connecting',
        level: down ? 'error' : 'pending',
      },
    ];
  }
  const engineLevel: Pill['level'] =
    status.state === 'ready' ? 'ok' : status.state === 'stopped' ? 'warning' : 'pending';
  const starting = status.state === 'starting';
  return [
    { id: 'engine', label: 'Engine', value: status.state, level: engineLevel },
    {
      id: 'docker',
      label: 'Docker',
      value: status.docker.connected ? (status.docker.version ?? 'connected') : starting ? 'waiting' : 'down',
      level: status.docker.connected ? 'ok' : starting ? 'pending' : 'error',
    },
    {
      id: 'consul',
      label: 'Consul',
      value: status.consul.connected ? 'connected' : starting ? 'waiting' : 'down',
      level: status.consul.connected ? 'ok' : starting ? 'pending' : 'error',
    },
    {
      id: 'lb',
      label: 'LB',
      value: status.lb.lastError
        ? 'config refused'
        : status.lb.generation > 0
          ? `config #${status.lb.generation}`
          : 'no config yet',
      level: status.lb.lastError ? 'error' : status.lb.generation > 0 ? 'ok' : 'pending',
    },
  ];
}
