/** The Consul cluster's lines of `status`: the leader, then one line per member (leader marked). */
import type { ClusterView } from '../../contract/index.js';
import { printable as p } from './terminal-text.js';

export function formatCluster(cluster: ClusterView, now: number = Date.now()): string[] {
  const servers = cluster.members.filter((m) => m.role === 'server').length;
  const changed =
    cluster.lastLeaderChangeAt !== undefined
      ? `, changed ${Math.max(0, Math.round((now - cluster.lastLeaderChangeAt) / 1000))}s ago`
      : '';
  const lines = [
    `      cluster: ${servers} server${servers === 1 ? '' : 's'}, ${cluster.peers} raft peer${cluster.peers === 1 ? '' : 's'}, leader ${cluster.leader ? p(cluster.leader) : 'NONE'}${changed}`,
  ];
  for (const m of cluster.members)
    lines.push(
      `        ${m.leader ? '*' : ' '} ${p(m.name).padEnd(24)} ${p(m.address).padEnd(21)} ${m.role.padEnd(6)} ${m.status}${m.leader ? '  leader' : ''}`,
    );
  if (cluster.membersNotShown) lines.push(`        … ${cluster.membersNotShown} more members, not listed`);
  return lines;
}
