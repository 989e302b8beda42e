/**
 * The hits pipeline: the web containers' own logs and the LB's access log are
 * both counted all along, per backend; the snapshot shows the one that fits
 * the web image (SourceChoice), so switching loses nothing. Subscribers get
 * one aggregated snapshot about once a second, only when it changed, never a
 * message per hit. Also tells the engine when a container served its first
 * request, for the timeline. With several engines the demo's web on each
 * followed host is counted too, from that host's own logs (followed-web-logs.ts).
 */
import type Dockerode from 'dockerode';
import { Emitter, type HitsSnapshot } from '../../../contract/index.js';
import { AccessLogSource } from './access-log-source.js';
import { BackendIndex } from './backend-index.js';
import { BackendMatcher, type PageLineOrigin } from './backend-matcher.js';
import { FollowedWebLogs, type WebLogHosts } from './followed-web-logs.js';
import { HitsAggregator, type BackendIdentity } from './hits-aggregator.js';
import type { AccessLogEntry } from './log-formats.js';
import { PublishGate } from './publish-gate.js';
import { SourceChoice, type SourceChoiceOptions } from './source-choice.js';
import { WebLogSource, type WebLogHit } from './web-log-source.js';

/** A web instance as registered in Consul. */
export interface WebBackend {
  containerId: string;
  containerName: string;
  address: string;
  port: number;
  /** The Docker host it runs on (several engines), as the status names it. */
  host?: string;
}

export interface HitsServiceOptions {
  docker: Dockerode;
  project: string;
  lbContainer: Dockerode.Container;
  /** The web instances registered right now: the same array until they change (it is indexed per array). */
  backends: () => readonly WebBackend[];
  /** Several engines: the followed hosts, whose web logs are read too. */
  followedHosts?: WebLogHosts;
  /** Several engines: what the status calls the local engine (its hits carry it as their host). */
  localHost?: string;
  /** A followed host's web logs could not be followed. */
  onFollowError?: (host: string, message: string) => void;
  /** Called once per container, with the time of the first request it served while registered. */
  onFirstRequest?: (backend: WebBackend, atMs: number) => void;
  publishIntervalMs?: number;
  choice?: SourceChoiceOptions;
}

export type HitsListener = (snapshot: HitsSnapshot) => void;

export class HitsService {
  private readonly web: WebLogSource;
  private readonly followed: FollowedWebLogs | undefined;
  private readonly access: AccessLogSource;
  private readonly byWebLogs = new HitsAggregator();
  private readonly byAccessLog = new HitsAggregator();
  private readonly choice: SourceChoice;
  private readonly published = new Emitter<HitsSnapshot>();
  private readonly matcher: BackendMatcher;
  private readonly firstServed = new Set<string>();
  private readonly index: BackendIndex;
  private timer: NodeJS.Timeout | undefined;
  private lastPublishedKey = '';
  private readonly gate = new PublishGate();

  constructor(private readonly options: HitsServiceOptions) {
    this.choice = new SourceChoice(options.choice);
    this.index = new BackendIndex(options.backends);
    this.matcher = new BackendMatcher(this.index);
    const localHost = options.localHost;
    this.web = new WebLogSource(
      options.docker,
      options.project,
      (hit) => this.onWebHit(localHost === undefined ? hit : { ...hit, host: localHost }),
      (lbId) => this.access.repoint(options.docker.getContainer(lbId)),
    );
    this.followed = options.followedHosts
      ? new FollowedWebLogs(
          options.followedHosts,
          options.project,
          (hit) => this.onWebHit(hit),
          options.onFollowError,
        )
      : undefined;
    this.access = new AccessLogSource(options.lbContainer, (entry) => this.onAccessHit(entry));
  }

  async start(): Promise<void> {
    this.access.start();
    await this.web.start();
    await this.followed?.start();
    this.timer = setInterval(() => this.publish(), this.options.publishIntervalMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([this.web.stop(), this.followed?.stop(), this.access.stop()]);
  }

  subscribe(listener: HitsListener): () => void {
    return this.published.on(listener);
  }

  snapshot(now = Date.now()): HitsSnapshot {
    const source = this.choice.current(now);
    return this.shown(source).snapshot(now, source, this.known(this.options.backends()));
  }

  /** Which log the snapshot counts from right now. */
  source(now = Date.now()): HitsSnapshot['source'] {
    return this.choice.current(now);
  }

  /** Open log streams: one per followed web container (on every host), plus the LB's access log. */
  openLogStreams(): { web: number; lb: number } {
    return {
      web: this.web.openStreams() + (this.followed?.openStreams() ?? 0),
      lb: this.access.open ? 1 : 0,
    };
  }

  /** Web log streams that broke while their container ran and were reopened (a diagnostic for the bench). */
  resumedWebLogStreams(): number {
    return this.web.resumedCount + (this.followed?.resumedStreams() ?? 0);
  }

  /** Web containers whose log is followed (on every host). */
  followedContainers(): string[] {
    return [...this.web.followedContainers(), ...(this.followed?.followedContainers() ?? [])];
  }

  private isFollowing(containerId: string): boolean {
    return this.web.isFollowing(containerId) || (this.followed?.isFollowing(containerId) ?? false);
  }

  private shown(source: HitsSnapshot['source']): HitsAggregator {
    return source === 'web-logs' ? this.byWebLogs : this.byAccessLog;
  }

  private known(backends: readonly WebBackend[]): BackendIdentity[] {
    return backends.map((b) => this.matcher.identityOf(b));
  }

  private onWebHit(hit: WebLogHit & PageLineOrigin): void {
    const { identity, registered } = this.matcher.pageLine(hit);
    this.choice.webLine(hit.containerId);
    this.byWebLogs.record(identity, hit.atMs);
    if (registered) this.firstRequest(registered, hit.atMs);
  }

  private onAccessHit(entry: AccessLogEntry): void {
    const { identity, registered } = this.matcher.accessLine(entry.address);
    this.byAccessLog.record(identity ?? { address: entry.address }, entry.atMs);
    // Only a container whose log is followed can be called silent: a backend from outside the
    // stack (registered from the same Docker host) has no log here, and says nothing about the image.
    if (identity?.containerId && this.isFollowing(identity.containerId))
      this.choice.accessHit(identity.containerId, entry.atMs);
    if (registered) this.firstRequest(registered, entry.atMs);
  }

  private firstRequest(backend: WebBackend, atMs: number): void {
    if (this.firstServed.has(backend.containerId)) return;
    this.firstServed.add(backend.containerId);
    if (this.firstServed.size > 10_000) this.firstServed.clear();
    this.options.onFirstRequest?.(backend, atMs);
  }

  /** Publishes the snapshot at `now` if it changed (the timer calls this every second; tests may too). */
  publish(now = Date.now()): void {
    if (this.published.size === 0) return;
    const source = this.choice.current(now);
    const aggregator = this.shown(source);
    const backends = this.options.backends();
    const inputs = { source, version: aggregator.version, known: backends, quiet: aggregator.quietAt(now) };
    // Idle (no hit in any window): the same inputs make the same snapshot; not rebuilt, not re-serialised.
    if (this.gate.unchanged(inputs)) return;
    this.gate.built(inputs);
    const snapshot = aggregator.snapshot(now, source, this.known(backends));
    const key = JSON.stringify([snapshot.source, snapshot.backends, snapshot.recent]);
    if (key === this.lastPublishedKey) return;
    this.lastPublishedKey = key;
    this.published.emit(snapshot);
  }
}
