/** The human-readable `status`. Every value from Docker, Consul or nginx goes through `printable`. */
import type { EngineStatus } from '../../contract/index.js';
import { printable as p } from './terminal-text.js';

const mark = (ok: boolean): string => (ok ? 'ok ' : 'ERR');

export function formatStatus(status: EngineStatus): string {
  const lines: string[] = [];
  lines.push(`engine   ${status.state}${status.adopted ? ' (adopted a running stack)' : ''}`);
  lines.push(
    `[${mark(status.docker.connected)}] Docker  ${p(status.docker.endpoint)} ${p(status.docker.version ?? '')}${status.docker.error ? `: ${p(status.docker.error)}` : ''}`,
  );
  lines.push(
    `[${mark(status.consul.connected)}] Consul  ${p(status.consul.url)}  UI ${p(status.consul.uiUrl)}${status.consul.error ? `: ${p(status.consul.error)}` : ''}`,
  );
  lines.push(
    `[${mark(!status.lb.lastError)}] LB      ${p(status.lb.url)}  config generation ${status.lb.generation}`,
  );
  if (status.dashboard) lines.push(`      Dashboard ${p(status.dashboard.url)}`);
  for (const service of status.services) {
    const desired = service.desired !== undefined ? ` (desired ${service.desired})` : '';
    lines.push(`service ${p(service.name)}: ${service.running} running${desired}`);
    for (const i of service.instances) {
      lines.push(
        `  ${p(i.state).padEnd(8)} ${p(i.containerName).padEnd(28)} ${i.address ? `${p(i.address)}:${i.port}` : ''}`,
      );
    }
  }
  if (status.scaling.busy)
    lines.push(
      `scaling… starting: ${status.scaling.starting.map(p).join(', ') || '-'}  draining: ${status.scaling.draining.map(p).join(', ') || '-'}`,
    );
  if (status.template.lastError) lines.push(`template error: ${p(status.template.lastError.message)}`);
  if (status.lb.lastError) {
    lines.push(
      `nginx refused the last render (the previous config keeps serving): ${p(status.lb.lastError.message)}`,
    );
    for (const l of status.lb.lastError.excerpt ?? []) lines.push(`  ${p(l)}`);
  }
  for (const w of status.warnings) lines.push(`warning: ${p(w.container)}: ${p(w.message)}`);
  return lines.join('\n');
}
