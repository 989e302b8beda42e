/**
 * The Consul cluster as the agent in use sees it: its members (gossip), the Raft leader and the
 * number of Raft peers, read every few seconds with three small requests rather than on each
 * status render (a status is rendered on every change, many times a second under load). A change
 * of leader and a member that fails or comes back are timeline events.
 *
 * What the agent reports is outside input: the members kept are capped (servers first, then by
 * name) and every text is clipped, so a cluster of thousands of clients costs a bounded status.
 */
import type Consul from 'consul';
import type { ClusterMemberView, ClusterView } from '../../../contract/index.js';
import { clipText } from '../text-limits.js';
import { callTimeout } from './consul-connection.js';
import type { TimelineInput } from '../timeline.js';

export const CLUSTER_LIMITS = {
  maxMembers: 64,
  maxTextChars: 200,
  /** How often the cluster is read; a leader change shows within this plus one request. */
  intervalMs: 2000,
  requestTimeoutMs: 1500,
} as const;

/** serf's member status codes (agent/members). */
const STATUS: Record<number, ClusterMemberView['status']> = {
  1: 'alive',
  2: 'alive',
  3: 'left',
  4: 'failed',
};

interface RawMember {
  Name?: unknown;
  Addr?: unknown;
  Port?: unknown;
  Status?: unknown;
  Tags?: Record<string, unknown>;
}

const text = (value: unknown): string =>
  typeof value === 'string' ? clipText(value, CLUSTER_LIMITS.maxTextChars) : '';

/** The view of one read, bounded; `leader` is Consul's "IP:port" ("" while there is none). */
export function clusterView(
  rawMembers: unknown,
  leader: unknown,
  peers: unknown,
  readAt: number,
  lastLeaderChangeAt?: number,
): ClusterView {
  const leaderAddress = text(leader);
  const members = (Array.isArray(rawMembers) ? (rawMembers as RawMember[]) : []).map(
    (m): ClusterMemberView => {
      const server = m.Tags?.role === 'consul';
      const addr = text(m.Addr);
      // A server's address is its RPC port, the one the leader is named by; a client's its gossip port.
      const port = server ? text(m.Tags?.port) : typeof m.Port === 'number' ? String(m.Port) : '';
      const address = port ? `${addr}:${port}` : addr;
      return {
        name: text(m.Name),
        address,
        status: STATUS[typeof m.Status === 'number' ? m.Status : 0] ?? 'unknown',
        role: server ? 'server' : 'client',
        leader: server && leaderAddress !== '' && address === leaderAddress,
      };
    },
  );
  members.sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name) : a.role === 'server' ? -1 : 1));
  const kept = members.slice(0, CLUSTER_LIMITS.maxMembers);
  return {
    members: kept,
    ...(members.length > kept.length ? { membersNotShown: members.length - kept.length } : {}),
    ...(leaderAddress ? { leader: leaderAddress } : {}),
    peers: Array.isArray(peers) ? peers.length : 0,
    ...(lastLeaderChangeAt !== undefined ? { lastLeaderChangeAt } : {}),
    readAt,
  };
}

/** The timeline events between two reads: a new (or lost) leader, a member that failed, left or is back. */
export function clusterChanges(before: ClusterView | undefined, after: ClusterView): TimelineInput[] {
  if (!before) return [];
  const events: TimelineInput[] = [];
  if (before.leader !== after.leader) {
    const name = (address: string | undefined, view: ClusterView): string => {
      const member = view.members.find((m) => m.address === address);
      return member ? `${member.name} (${address})` : (address ?? '');
    };
    events.push({
      kind: 'consul-leader',
      message: after.leader
        ? `Consul leader is now ${name(after.leader, after)}${before.leader ? `, was ${name(before.leader, before)}` : ''}`
        : `Consul has no leader (was ${name(before.leader, before)})`,
    });
  }
  const previous = new Map(before.members.map((m) => [m.name, m.status]));
  for (const member of after.members) {
    const was = previous.get(member.name);
    if (was === undefined || was === member.status) continue;
    events.push({
      kind: 'consul-member',
      message: `Consul ${member.role} ${member.name} (${member.address}) is ${member.status}, was ${was}`,
    });
  }
  return events;
}

export class ClusterWatch {
  private view: ClusterView | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly consul: Consul,
    private readonly record: (event: TimelineInput) => void,
    private readonly changed: () => void,
    private readonly intervalMs: number = CLUSTER_LIMITS.intervalMs,
  ) {}

  start(): void {
    this.reading = this.read();
  }

  /** The last view read; undefined until the first read answers. */
  snapshot(): ClusterView | undefined {
    return this.view;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.reading;
  }

  private async read(): Promise<void> {
    try {
      const options = callTimeout(CLUSTER_LIMITS.requestTimeoutMs);
      const [members, leader, peers] = await Promise.all([
        this.consul.agent.members(options),
        this.consul.status.leader(options),
        this.consul.status.peers(options),
      ]);
      if (this.stopped) return;
      const before = this.view;
      const leaderChanged = before !== undefined && before.leader !== (text(leader) || undefined);
      const lastChange = leaderChanged ? Date.now() : before?.lastLeaderChangeAt;
      const after = clusterView(members, leader, peers, Date.now(), lastChange);
      this.view = after;
      for (const event of clusterChanges(before, after)) this.record(event);
      if (JSON.stringify({ ...before, readAt: 0 }) !== JSON.stringify({ ...after, readAt: 0 }))
        this.changed();
    } catch {
      // The server in use is away: the liveness probe moves the client; the last view stays until then.
    } finally {
      if (!this.stopped)
        this.timer = setTimeout(() => {
          this.reading = this.read();
        }, this.intervalMs);
    }
  }
}
