/**
 * The cluster view (main/engine/consul/cluster-watch.ts) from Consul's own answers: members with
 * their role and status, the leader marked by its RPC address, the cap, and the timeline events
 * between two reads.
 */
import { describe, expect, it } from 'vitest';
import { CLUSTER_LIMITS, clusterChanges, clusterView } from '../../main/engine/consul/cluster-watch.js';

const server = (name: string, addr: string, status = 1) => ({
  Name: name,
  Addr: addr,
  Port: 8301,
  Status: status,
  Tags: { role: 'consul', port: '8300' },
});
const client = (name: string, addr: string) => ({
  Name: name,
  Addr: addr,
  Port: 8301,
  Status: 1,
  Tags: { role: 'node' },
});

describe('clusterView', () => {
  it('lists servers first, marks the leader by its RPC address, counts the raft peers', () => {
    const view = clusterView(
      [client('app-1', '10.0.0.9'), server('s2', '10.0.0.2'), server('s1', '10.0.0.1', 4)],
      '10.0.0.2:8300',
      ['10.0.0.1:8300', '10.0.0.2:8300', '10.0.0.3:8300'],
      1000,
    );
    expect(view.members).toEqual([
      { name: 's1', address: '10.0.0.1:8300', status: 'failed', role: 'server', leader: false },
      { name: 's2', address: '10.0.0.2:8300', status: 'alive', role: 'server', leader: true },
      { name: 'app-1', address: '10.0.0.9:8301', status: 'alive', role: 'client', leader: false },
    ]);
    expect(view).toMatchObject({ leader: '10.0.0.2:8300', peers: 3, readAt: 1000 });
  });

  it('has no leader while Consul reports none', () => {
    const view = clusterView([server('s1', '10.0.0.1')], '', [], 1);
    expect(view.leader).toBeUndefined();
    expect(view.members[0]!.leader).toBe(false);
  });

  it('caps the members and counts the rest; hostile input does not throw', () => {
    const many = Array.from({ length: 200 }, (_, i) => client(`c${String(i).padStart(3, '0')}`, '10.1.0.1'));
    const view = clusterView([...many, { Name: 'x'.repeat(10_000), Tags: null }], 42, 'nope', 1);
    expect(view.members).toHaveLength(CLUSTER_LIMITS.maxMembers);
    expect(view.membersNotShown).toBe(201 - CLUSTER_LIMITS.maxMembers);
    expect(view.peers).toBe(0);
    expect(clusterView(null, null, null, 1).members).toEqual([]);
  });
});

describe('clusterChanges', () => {
  const before = clusterView([server('s1', '10.0.0.1'), server('s2', '10.0.0.2')], '10.0.0.1:8300', [], 1);

  it('says nothing on the first read or when nothing changed', () => {
    expect(clusterChanges(undefined, before)).toEqual([]);
    expect(clusterChanges(before, { ...before, readAt: 2 })).toEqual([]);
  });

  it('records a new leader and a failed member', () => {
    const after = clusterView(
      [server('s1', '10.0.0.1', 4), server('s2', '10.0.0.2')],
      '10.0.0.2:8300',
      [],
      2,
    );
    const events = clusterChanges(before, after);
    expect(events.map((e) => e.kind)).toEqual(['consul-leader', 'consul-member']);
    expect(events[0]!.message).toBe('Consul leader is now s2 (10.0.0.2:8300), was s1 (10.0.0.1:8300)');
    expect(events[1]!.message).toBe('Consul server s1 (10.0.0.1:8300) is failed, was alive');
  });

  it('records a lost leader', () => {
    const after = clusterView([server('s1', '10.0.0.1'), server('s2', '10.0.0.2')], '', [], 2);
    expect(clusterChanges(before, after)[0]!.message).toBe('Consul has no leader (was s1 (10.0.0.1:8300))');
  });
});
