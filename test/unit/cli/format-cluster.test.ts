/** The cluster lines of `status` (main/cli/format-cluster.ts), and where they sit in the whole status. */
import { describe, expect, it } from 'vitest';
import { formatCluster } from '../../../main/cli/format-cluster.js';
import type { ClusterView } from '../../../contract/index.js';

const cluster: ClusterView = {
  members: [
    { name: 'dt-consul-1', address: '172.20.0.2:8300', status: 'alive', role: 'server', leader: false },
    { name: 'dt-consul-2', address: '172.20.0.3:8300', status: 'alive', role: 'server', leader: true },
    { name: 'dt-consul-3', address: '172.20.0.4:8300', status: 'failed', role: 'server', leader: false },
  ],
  leader: '172.20.0.3:8300',
  peers: 3,
  lastLeaderChangeAt: 10_000,
  readAt: 12_000,
};

describe('formatCluster', () => {
  it('prints the leader, then each member with the leader marked', () => {
    expect(formatCluster(cluster, 15_000)).toEqual([
      '      cluster: 3 servers, 3 raft peers, leader 172.20.0.3:8300, changed 5s ago',
      '          dt-consul-1              172.20.0.2:8300       server alive',
      '        * dt-consul-2              172.20.0.3:8300       server alive  leader',
      '          dt-consul-3              172.20.0.4:8300       server failed',
    ]);
  });

  it('says when there is no leader, and strips terminal escapes from names', () => {
    const lines = formatCluster({
      members: [
        { name: 'evil\u001b[2J', address: '1.2.3.4:8300', status: 'alive', role: 'server', leader: false },
      ],
      peers: 1,
      membersNotShown: 3,
      readAt: 0,
    });
    expect(lines[0]).toBe('      cluster: 1 server, 1 raft peer, leader NONE');
    expect(lines[1]).not.toContain('\u001b');
    expect(lines[2]).toBe('        … 3 more members, not listed');
  });
});
