/**
 * The demo's web containers on every followed Docker host (several engines): each host's web
 * logs are followed through that host's own Docker client, with the same source as the local
 * engine's (web-log-source.ts: its events, its resuming streams and their dedupe). A host's
 * source starts when the host is connected and stops when it is lost (its streams broke with
 * it, and its instances are out of Consul, so nothing is routed there); when the host is back a
 * fresh source follows what runs there again. Each hit carries the host's name.
 */
import type Dockerode from 'dockerode';
import { errorMessage } from '../errors.js';
import { WebLogSource, type WebLogHit } from './web-log-source.js';

/** What this needs of a followed host (multi/followed-host.ts). */
export interface WebLogHost {
  readonly name: string;
  /** Its Docker client while it is connected. */
  connection(): { docker: Dockerode } | undefined;
}

/** The followed hosts (multi/followed-hosts.ts): the list, and a signal when one connects or is lost. */
export interface WebLogHosts {
  list(): readonly WebLogHost[];
  onChange(listener: () => void): () => void;
}

export interface FollowedWebHit extends WebLogHit {
  host: string;
}

interface HostSource {
  docker: Dockerode;
  source: WebLogSource;
  started: Promise<void>;
}

export class FollowedWebLogs {
  private readonly sources = new Map<string, HostSource>();
  /** Sources of lost hosts still closing their streams: stop() waits for them too. */
  private readonly closing = new Set<Promise<void>>();
  private offChange: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly hosts: WebLogHosts,
    private readonly project: string,
    private readonly onHit: (hit: FollowedWebHit) => void,
    /** A host's logs could not be followed (its source is tried again at the host's next change). */
    private readonly onError: (host: string, message: string) => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    this.offChange = this.hosts.onChange(() => this.sync());
    this.sync();
    await Promise.all([...this.sources.values()].map((s) => s.started));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.offChange?.();
    const all = [...this.sources.values()];
    this.sources.clear();
    await Promise.all([...all.map((s) => s.source.stop()), ...this.closing]);
  }

  openStreams(): number {
    let open = 0;
    for (const { source } of this.sources.values()) open += source.openStreams();
    return open;
  }

  followedContainers(): string[] {
    return [...this.sources.values()].flatMap(({ source }) => source.followedContainers());
  }

  isFollowing(containerId: string): boolean {
    for (const { source } of this.sources.values()) if (source.isFollowing(containerId)) return true;
    return false;
  }

  /** Starts a source for each host that is connected and has none, stops those of hosts that are not. */
  private sync(): void {
    if (this.stopped) return;
    for (const host of this.hosts.list()) {
      const docker = host.connection()?.docker;
      const current = this.sources.get(host.name);
      if (current && current.docker !== docker) {
        this.sources.delete(host.name);
        const closed = current.source.stop().catch(() => undefined);
        this.closing.add(closed);
        void closed.then(() => this.closing.delete(closed));
      }
      if (docker && !this.sources.has(host.name)) this.follow(host.name, docker);
    }
  }

  private follow(name: string, docker: Dockerode): void {
    const source = new WebLogSource(docker, this.project, (hit) => this.onHit({ ...hit, host: name }));
    const entry: HostSource = {
      docker,
      source,
      started: source.start().catch(async (error: unknown) => {
        // Forgotten, so that the host's next change (lost, back) tries again.
        if (this.sources.get(name) === entry) this.sources.delete(name);
        await source.stop().catch(() => undefined);
        this.onError(name, errorMessage(error));
      }),
    };
    this.sources.set(name, entry);
  }
}
