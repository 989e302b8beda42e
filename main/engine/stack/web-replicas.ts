/**
 * The demo's `web` as a replica set, over every Docker host it may run on: the local engine
 * (local-web.ts) and, with several engines, each followed host (multi/remote-web.ts). One
 * numbering across the hosts (the stack's index label), so that names stay `<project>-web-<n>`
 * and "highest numbers first" means the same everywhere. A host that is not connected is not
 * listed (its replicas cannot be seen) and takes no new ones.
 */
import type { HostChoice, Replica, ReplicaSet } from '../scaler.js';
import { LOCAL_HOST_NAME } from '../multi/host-meta.js';

/** The demo's web on one Docker host. */
export interface WebHost {
  readonly name: string;
  /** Its web containers, running or not. */
  list(): Promise<Replica[]>;
  /** Creates and starts one web container per index (free indices, chosen across the hosts). */
  add(indices: readonly number[]): Promise<Replica[]>;
  remove(replica: Replica, stopTimeoutSeconds: number): Promise<void>;
}

/** A followed host as the set sees it: its web while connected, undefined while not. */
export interface FollowedWeb {
  name: string;
  web: WebHost | undefined;
}

export class WebReplicas implements ReplicaSet {
  readonly target = 'web';

  constructor(
    private readonly local: WebHost,
    private readonly followed: () => readonly FollowedWeb[] = () => [],
  ) {}

  hosts(): HostChoice[] {
    return [
      { name: LOCAL_HOST_NAME, connected: true },
      ...this.followed().map((f) => ({ name: f.name, connected: f.web !== undefined })),
    ];
  }

  async list(): Promise<Replica[]> {
    // A followed host that stops answering mid-way counts as not connected (its lost state follows).
    const lists = await Promise.all(
      this.connected().map((host) => (host === this.local ? host.list() : host.list().catch(() => []))),
    );
    return lists.flat();
  }

  /** `hosts[i]` is where the i-th new replica goes (default: the local engine). */
  async add(count: number, _hold: unknown, hosts: readonly string[] = []): Promise<Replica[]> {
    if (count <= 0) return [];
    const taken = new Set((await this.list()).map((r) => r.number));
    const byHost = new Map<string, number[]>();
    for (let i = 1, n = 0; n < count; i++) {
      if (taken.has(i)) continue;
      const host = hosts[n] ?? LOCAL_HOST_NAME;
      byHost.set(host, [...(byHost.get(host) ?? []), i]);
      n++;
    }
    const created = await Promise.all([...byHost].map(([host, indices]) => this.host(host).add(indices)));
    return created.flat();
  }

  remove(replica: Replica, stopTimeoutSeconds: number): Promise<void> {
    return this.host(replica.host ?? LOCAL_HOST_NAME).remove(replica, stopTimeoutSeconds);
  }

  private connected(): WebHost[] {
    return [this.local, ...this.followed().flatMap((f) => f.web ?? [])];
  }

  private host(name: string): WebHost {
    const host = this.connected().find((h) => h.name === name);
    if (!host) throw new Error(`Docker host ${name} is not connected`);
    return host;
  }
}
