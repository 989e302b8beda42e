/** The human-readable `status`. Every value from Docker, Consul or nginx goes through `printable`. */
import type { EngineStatus, InstanceView } from '../../contract/index.js';
import { formatCluster } from './format-cluster.js';
import { printable as p } from './terminal-text.js';

const mark = (ok: boolean): string => (ok ? 'ok ' : 'ERR');

/** Who starts and stops an instance's container: nothing for the demo's own, as before. */
function ownerOf(instance: InstanceView): string {
  if (instance.managedBy === 'compose')
    return `compose ${p(instance.scaleTarget ?? '')}${instance.composeNumber ? ` #${instance.composeNumber}` : ''}`;
  if (instance.managedBy === 'none') return 'also registered (not managed here)';
  return '';
}

/** In the live config or not, and the health Consul and Docker report, where known. */
function factsOf(instance: InstanceView): string {
  const facts: string[] = [];
  if (instance.inConfig !== undefined) facts.push(instance.inConfig ? 'in config' : 'not in config');
  if (instance.health?.consul) facts.push(`consul ${instance.health.consul}`);
  if (instance.health?.docker && instance.health.docker !== 'none')
    facts.push(`docker ${instance.health.docker}`);
  if (instance.host) facts.push(`on ${p(instance.host)}`);
  if (instance.owned === false) facts.push('read-only (registered by others)');
  if (instance.host) facts.push(`host ${p(instance.host)}`);
  return facts.join(', ');
}

export function formatStatus(status: EngineStatus): string {
  const lines: string[] = [];
  lines.push(`engine   ${status.state}${status.adopted ? ' (adopted a running stack)' : ''}`);
  lines.push(
    `[${mark(status.docker.connected)}] Docker  ${p(status.docker.endpoint)} ${p(status.docker.version ?? '')}${status.docker.error ? `: ${p(status.docker.error)}` : ''}`,
  );
  for (const host of status.dockerHosts ?? []) {
    if (host.local) continue;
    lines.push(
      `[${mark(host.state === 'connected')}] host ${p(host.name)}  ${p(host.endpoint)}  ${host.state}${host.address ? `, registered at ${p(host.address)}` : ''}${host.error ? `: ${p(host.error)}` : ''}`,
    );
  }
  lines.push(
    `[${mark(status.consul.connected)}] Consul  ${p(status.consul.url)}  UI ${p(status.consul.uiUrl)}${status.consul.error ? `: ${p(status.consul.error)}` : ''}`,
  );
  if (status.consul.addresses)
    lines.push(
      `      using ${p(status.consul.url)} of ${status.consul.addresses.map((a) => p(a)).join(', ')}`,
    );
  if (status.consul.cluster) lines.push(...formatCluster(status.consul.cluster));
  lines.push(
    `[${mark(!status.lb.lastError)}] LB      ${p(status.lb.url)}  config generation ${status.lb.generation}`,
  );
  if (status.dashboard) lines.push(`      Dashboard ${p(status.dashboard.url)}`);
  for (const service of status.services) {
    const desired = service.desired !== undefined ? ` (desired ${service.desired})` : '';
    const others = service.alsoRegistered ? `, ${service.alsoRegistered} also registered` : '';
    const readOnly = service.owned === false ? ' (read-only: registered by others)' : '';
    lines.push(`service ${p(service.name)}: ${service.running} running${desired}${others}${readOnly}`);
    for (const i of service.instances) {
      const facts = factsOf(i);
      lines.push(
        `  ${p(i.state).padEnd(8)} ${p(i.containerName || (i.owned === false ? i.id : '(no container)')).padEnd(28)} ${(i.address ? `${p(i.address)}:${i.port}` : '').padEnd(21)} ${ownerOf(i)}${facts ? `  ${facts}` : ''}`.trimEnd(),
      );
      if (i.unreachableReason) lines.push(`    unreachable: ${p(i.unreachableReason)}`);
      for (const w of i.warnings ?? []) {
        lines.push(`    warning: ${p(w.message)}`);
        if (w.fix) lines.push(`      fix: ${p(w.fix)}`);
      }
    }
    if (service.instancesNotShown)
      lines.push(`  … ${service.instancesNotShown} more instances in Consul, not listed`);
  }
  if (status.servicesNotShown) lines.push(`… ${status.servicesNotShown} more services in Consul, not listed`);
  if (status.scaling.busy)
    lines.push(
      `scaling… starting: ${status.scaling.starting.map(p).join(', ') || '-'}  draining: ${status.scaling.draining.map(p).join(', ') || '-'}`,
    );
  for (const t of status.scaleTargets ?? []) {
    if (t.managedBy !== 'compose') continue;
    const desired = t.desired !== undefined ? ` (desired ${t.desired})` : '';
    lines.push(`compose ${p(t.target)}: ${t.running} running${desired}`);
    if (t.blockedBy) lines.push(`  cannot add replicas: ${p(t.blockedBy)}`);
    if (t.busy)
      lines.push(
        `  scaling… starting: ${t.starting.map(p).join(', ') || '-'}  draining: ${t.draining.map(p).join(', ') || '-'}`,
      );
  }
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
