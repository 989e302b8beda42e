/**
 * The hits pipeline: the web containers' own logs and the LB's access log are
 * both counted all along, per backend; the snapshot shows the one that fits
 * the web image (SourceChoice), so switching loses nothing. Subscribers get
 * one aggregated snapshot about once a second, only when it changed, never a
 * message per hit. Also tells the engine when a container served its first
 * request, for the timeline.
 */
import type Dockerode from 'dockerode';
import { Emitter, type HitsSnapshot } from '../../../contract/index.js';
import { AccessLogSource } from './access-log-source.js';
import { BackendIndex } from './backend-index.js';
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
}

export interface HitsServiceOptions {
  docker: Dockerode;
  project: string;
  lbContainer: Dockerode.Container;
  /** The web instances registered right now: the same array until they change (it is indexed per array). */
  backends: () => readonly WebBackend[];
  /** Called once per container, with the time of the first request it served while registered. */
  onFirstRequest?: (backend: WebBackend, atMs: number) => void;
  publishIntervalMs?: number;
  choice?: SourceChoiceOptions;
}

export type HitsListener = (snapshot: HitsSnapshot) => void;

export class HitsService {
  private readonly web: WebLogSource;
  private readonly access: AccessLogSource;
  private readonly byWebLogs = new HitsAggregator();
  private readonly byAccessLog = new HitsAggregator();
  private readonly choice: SourceChoice;
  private readonly published = new Emitter<HitsSnapshot>();
  /** Last known address of each container, and container of each address: both outlive a deregistration. */
  private readonly addressOf = new Map<string, BackendIdentity>();
  private readonly containerAt = new Map<string, BackendIdentity>();
  private readonly firstServed = new Set<string>();
  private readonly index: BackendIndex;
  private timer: NodeJS.Timeout | undefined;
  private lastPublishedKey = '';
  private readonly gate = new PublishGate();

  constructor(private readonly options: HitsServiceOptions) {
    this.choice = new SourceChoice(options.choice);
    this.index = new BackendIndex(options.backends);
    this.web = new WebLogSource(
      options.docker,
      options.project,
      (hit) => this.onWebHit(hit),
      (lbId) => this.access.repoint(options.docker.getContainer(lbId)),
    );
    this.access = new AccessLogSource(options.lbContainer, (entry) => this.onAccessHit(entry));
  }

  async start(): Promise<void> {
    this.access.start();
    await this.web.start();
    this.timer = setInterval(() => this.publish(), this.options.publishIntervalMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([this.web.stop(), this.access.stop()]);
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

  /** Open log streams: one per followed web container, plus the LB's access log. */
  openLogStreams(): { web: number; lb: number } {
    return { web: this.web.openStreams(), lb: this.access.open ? 1 : 0 };
  }

  /** Web containers whose log is followed. */
  followedContainers(): string[] {
    return this.web.followedContainers();
  }

  private shown(source: HitsSnapshot['source']): HitsAggregator {
    return source === 'web-logs' ? this.byWebLogs : this.byAccessLog;
  }

  private known(backends: readonly WebBackend[]): BackendIdentity[] {
    return backends.map((b) => this.remember(b));
  }

  private remember(b: WebBackend): BackendIdentity {
    const identity = {
      address: `${b.address}:${b.port}`,
      containerId: b.containerId,
      containerName: b.containerName,
    };
    this.addressOf.set(b.containerId, identity);
    this.containerAt.set(identity.address, identity);
    return identity;
  }

  private registered(containerId: string): WebBackend | undefined {
    return this.index.ofContainer(containerId);
  }

  private onWebHit(hit: WebLogHit): void {
    const registered = this.registered(hit.containerId);
    const identity = registered
      ? this.remember(registered)
      : (this.addressOf.get(hit.containerId) ?? {
          address: `${hit.serverIp}:80`,
          containerId: hit.containerId,
          containerName: hit.containerName,
        });
    this.choice.webLine(hit.containerId);
    this.byWebLogs.record(identity, hit.atMs);
    if (registered) this.firstRequest(registered, hit.atMs);
  }

  private onAccessHit(entry: AccessLogEntry): void {
    const registered = this.index.at(entry.address);
    const identity = registered ? this.remember(registered) : this.containerAt.get(entry.address);
    this.byAccessLog.record(identity ?? { address: entry.address }, entry.atMs);
    // Only a container whose log is followed can be called silent: a backend from outside the
    // stack (registered from the same Docker host) has no log here, and says nothing about the image.
    if (identity?.containerId && this.web.isFollowing(identity.containerId))
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
