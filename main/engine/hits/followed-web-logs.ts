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
import type { LogPosition } from './log-position.js';
import { WebLogSource, type WebLogHit } from './web-log-source.js';

/**
 * How long stop() waits for the streams to close: a lost host's may hang until TCP gives up
 * (minutes across a router), and `down` must not wait for that.
 */
export const FOLLOWED_LOGS_STOP_MS = 3000;
/** A source that failed to start is tried again after this, doubling up to the cap, while its host stays connected. */
export const FOLLOWED_LOGS_RETRY_MS = { first: 2000, max: 30_000 } as const;

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
  /** Failed starts in a row per host (for the retry's backoff), and the retry timer. */
  private readonly failures = new Map<string, number>();
  private retryTimer: NodeJS.Timeout | undefined;
  /**
   * Epoch seconds each host's next source counts its lines from, while it has none or is
   * retrying one: for a host that was lost, the second its source was stopped (see sync()).
   */
  private readonly countFrom = new Map<string, number>();
  /** Where each container's log stood when its host's source stopped: the next source goes on from there. */
  private readonly positions = new Map<string, Map<string, LogPosition>>();
  /** Resumed streams of sources that are gone (the bench's diagnostic keeps counting across hosts lost). */
  private resumedBefore = 0;

  constructor(
    private readonly hosts: WebLogHosts,
    private readonly project: string,
    private readonly onHit: (hit: FollowedWebHit) => void,
    /** A host's logs could not be followed (said once; its source is tried again after a while). */
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
    clearTimeout(this.retryTimer);
    const all = [...this.sources.values()];
    this.sources.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...all.map((s) => s.source.stop().catch(() => undefined)), ...this.closing]),
      new Promise((resolve) => (timer = setTimeout(resolve, FOLLOWED_LOGS_STOP_MS))),
    ]);
    clearTimeout(timer);
  }

  openStreams(): number {
    let open = 0;
    for (const { source } of this.sources.values()) open += source.openStreams();
    return open;
  }

  /** Log streams resumed after a break, on every host, since this started. */
  resumedStreams(): number {
    let resumed = this.resumedBefore;
    for (const { source } of this.sources.values()) resumed += source.resumedCount;
    return resumed;
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
        this.resumedBefore += current.source.resumedCount;
        // The next source goes on from here, not from when the host is seen again: its
        // registrator's own event stream may reconnect first and put its replicas back in the
        // config (up to a ping, 2 s, before the host counts as connected), and the requests routed
        // there meanwhile count too. Each container it followed goes on from its last line counted
        // (stop() closed its streams at once: that is final); one started since, from this second.
        const kept = this.positions.get(host.name) ?? new Map<string, LogPosition>();
        for (const [id, position] of current.source.positions()) kept.set(id, position);
        this.positions.set(host.name, kept);
        this.countFrom.set(host.name, Math.floor(Date.now() / 1000));
      }
      if (docker && !this.sources.has(host.name)) this.follow(host.name, docker);
    }
  }

  private follow(name: string, docker: Dockerode): void {
    // A host seen for the first time counts from now, not its history. Kept across retries, so
    // that a late start still counts every line.
    const since = this.countFrom.get(name) ?? Math.floor(Date.now() / 1000);
    this.countFrom.set(name, since);
    const source = new WebLogSource(docker, this.project, (hit) => {
      if (!this.stopped) this.onHit({ ...hit, host: name });
    });
    const entry: HostSource = {
      docker,
      source,
      started: source.start(since, this.positions.get(name)).then(
        () => {
          if (this.sources.get(name) !== entry) return;
          this.failures.delete(name);
          // Its streams hold them now (a later stop hands them over again).
          this.positions.delete(name);
        },
        async (error: unknown) => {
          await source.stop().catch(() => undefined);
          // Replaced or stopped on purpose meanwhile (the host was lost): not a failure to report.
          if (this.sources.get(name) !== entry) return;
          this.sources.delete(name);
          // Said once per run of failures, not at every retry.
          if (!this.failures.has(name)) this.onError(name, errorMessage(error));
          this.retryLater(name);
        },
      ),
    };
    this.sources.set(name, entry);
  }

  /** Tries the hosts without a source again after a backoff (the host's own next change does too). */
  private retryLater(name: string): void {
    const failures = (this.failures.get(name) ?? 0) + 1;
    this.failures.set(name, failures);
    const delay = Math.min(FOLLOWED_LOGS_RETRY_MS.first * 2 ** (failures - 1), FOLLOWED_LOGS_RETRY_MS.max);
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.sync();
    }, delay);
    this.retryTimer.unref();
  }
}
