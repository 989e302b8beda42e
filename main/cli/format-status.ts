/** The human-readable `status`. */
import type { EngineStatus } from '../../contract/index.js';

const mark = (ok: boolean): string => (ok ? 'ok ' : 'ERR');

export function formatStatus(status: EngineStatus): string {
  const lines: string[] = [];
  lines.push(`engine   ${status.state}${status.adopted ? ' (adopted a running stack)' : ''}`);
  lines.push(
    `[${mark(status.docker.connected)}] Docker  ${status.docker.endpoint} ${status.docker.version ?? ''}${status.docker.error ? `: ${status.docker.error}` : ''}`,
  );
  lines.push(
    `[${mark(status.consul.connected)}] Consul  ${status.consul.url}  UI ${status.consul.uiUrl}${status.consul.error ? `: ${status.consul.error}` : ''}`,
  );
  lines.push(
    `[${mark(!status.lb.lastError)}] LB      ${status.lb.url}  config generation ${status.lb.generation}`,
  );
  if (status.dashboard) lines.push(`      Dashboard ${status.dashboard.url}`);
  for (const service of status.services) {
    const desired = service.desired !== undefined ? ` (desired ${service.desired})` : '';
    lines.push(`service ${service.name}: ${service.running} running${desired}`);
    for (const i of service.instances) {
      lines.push(
        `  ${i.state.padEnd(8)} ${i.containerName.padEnd(28)} ${i.address ? `${i.address}:${i.port}` : ''}`,
      );
    }
  }
  if (status.scaling.busy)
    lines.push(
      `scaling… starting: ${status.scaling.starting.join(', ') || '-'}  draining: ${status.scaling.draining.join(', ') || '-'}`,
    );
  if (status.template.lastError) lines.push(`template error: ${status.template.lastError.message}`);
  if (status.lb.lastError) {
    lines.push(
      `nginx refused the last render (the previous config keeps serving): ${status.lb.lastError.message}`,
    );
    for (const l of status.lb.lastError.excerpt ?? []) lines.push(`  ${l}`);
  }
  for (const w of status.warnings) lines.push(`warning: ${w.container}: ${w.message}`);
  return lines.join('\n');
}
