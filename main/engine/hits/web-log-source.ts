/**
 * Follows the log of every running web container of the stack: a stream is
 * opened when the container starts (from its start time, so its first
 * requests are not missed) and closed when it dies or is removed. Docker's
 * event stream says when; a broken event stream is followed by a reconcile
 * with what actually runs. Hands over each page line as a hit.
 */
import type Dockerode from 'dockerode';
import { DockerEventFollower, type ContainerEvent } from '../docker/docker-events.js';
import { ROLE_LABEL, STACK_LABEL } from '../stack/stack-config.js';
import { parsePageLine } from './log-formats.js';
import type { LogPosition } from './log-position.js';
import { ResumingLogStream } from './resuming-log-stream.js';

export interface WebLogHit {
  containerId: string;
  containerName: string;
  /** The server's own IP, from its page line. */
  serverIp: string;
  atMs: number;
}

interface Followed {
  name: string;
  stream: ResumingLogStream;
}

/** After a die, how long the stream may still deliver the container's last lines before it is closed. */
const LAST_LINES_GRACE_MS = 2000;

export class WebLogSource {
  private readonly followed = new Map<string, Followed>();
  private readonly events: DockerEventFollower;
  private stopped = false;
  private stoppedAt: ReadonlyMap<string, LogPosition> | undefined;
  private closedStreams = 0;
  private resumedStreams = 0;

  constructor(
    private readonly docker: Dockerode,
    private readonly project: string,
    private readonly onHit: (hit: WebLogHit) => void,
    /** The stack's LB container (re)started, e.g. recreated after it was removed by hand. */
    private readonly onLbStarted: (containerId: string) => void = () => undefined,
  ) {
    this.events = new DockerEventFollower(docker, {
      onEvent: (event) => this.onEvent(event),
      onReconnected: () => void this.reconcile(),
    });
  }

  /**
   * `countFromSeconds`: the running containers' lines are counted from then (default: from now). A
   * followed host's source passes when the host was lost, so that the requests routed there after
   * it came back, and before this source got going, are not missed.
   */
  async start(countFromSeconds?: number, goOnFrom?: ReadonlyMap<string, LogPosition>): Promise<void> {
    await this.events.start();
    await this.reconcile(countFromSeconds, goOnFrom);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // Closed first, at once: no line counts after this, so positions() is final from here.
    const streams = [...this.followed.values()].map((f) => f.stream);
    for (const stream of streams) stream.close();
    this.stoppedAt = new Map([...this.followed].map(([id, f]) => [id, f.stream.position]));
    this.followed.clear();
    await this.events.stop();
    await Promise.all(streams.map((s) => s.done));
  }

  /**
   * Where each followed container's log stands (its last line counted): handed to a later
   * source for the same host, which goes on from there. Final once stop() was called.
   */
  positions(): ReadonlyMap<string, LogPosition> {
    return this.stoppedAt ?? new Map([...this.followed].map(([id, f]) => [id, f.stream.position]));
  }

  /** Log streams open right now (one per running web container, when all is well). */
  openStreams(): number {
    return [...this.followed.values()].filter((f) => f.stream.open).length;
  }

  /** Containers whose log this source follows. */
  followedContainers(): string[] {
    return [...this.followed.keys()];
  }

  isFollowing(containerId: string): boolean {
    return this.followed.has(containerId);
  }

  /** Streams closed so far (containers that went away). */
  get closedCount(): number {
    return this.closedStreams;
  }

  /** Streams that broke while their container ran, and were reopened, so far. */
  get resumedCount(): number {
    return this.resumedStreams;
  }

  private isOurWeb(labels: Record<string, string> | undefined): boolean {
    return labels?.[STACK_LABEL] === this.project && labels[ROLE_LABEL] === 'web';
  }

  private onEvent(event: ContainerEvent): void {
    const labels = event.attributes;
    if (labels[STACK_LABEL] === this.project && labels[ROLE_LABEL] === 'lb' && event.action === 'start')
      this.onLbStarted(event.id);
    if (!this.isOurWeb(labels)) return;
    if (event.action === 'start') {
      const startedSeconds = Number(event.timeNano / 1_000_000_000n);
      this.follow(event.id, event.attributes.name ?? event.id.slice(0, 12), startedSeconds);
    } else if (event.action === 'die') {
      // Docker ends the stream itself once the last lines are out; close it anyway if it lingers.
      setTimeout(() => this.unfollow(event.id), LAST_LINES_GRACE_MS).unref();
    } else if (event.action === 'destroy') {
      this.unfollow(event.id);
    }
  }

  /** Follows what runs and drops what does not (after a gap in the event stream, and at start). */
  private async reconcile(sinceSeconds?: number, goOnFrom?: ReadonlyMap<string, LogPosition>): Promise<void> {
    if (this.stopped) return;
    const running = await this.docker
      .listContainers({
        filters: { label: [`${STACK_LABEL}=${this.project}`, `${ROLE_LABEL}=web`], status: ['running'] },
      })
      .catch(() => undefined);
    if (!running || this.stopped) return;
    const ids = new Set(running.map((c) => c.Id));
    for (const id of this.followed.keys()) if (!ids.has(id)) this.unfollow(id);
    // Containers that ran before we looked: count from now on (or the time asked), not their history.
    // A container an earlier source followed goes on from its last line counted.
    for (const c of running)
      this.follow(c.Id, (c.Names[0] ?? c.Id).replace(/^\//, ''), sinceSeconds, goOnFrom?.get(c.Id));
  }

  private follow(id: string, name: string, sinceSeconds?: number, position?: LogPosition): void {
    if (this.stopped || this.followed.has(id)) return;
    const stream = new ResumingLogStream(
      this.docker.getContainer(id),
      (line) => {
        const page = parsePageLine(line.text);
        if (page)
          this.onHit({ containerId: id, containerName: name, serverIp: page.serverIp, atMs: Date.now() });
      },
      {
        ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
        ...(position ? { position } : {}),
        onResumed: () => this.resumedStreams++,
      },
    );
    this.followed.set(id, { name, stream });
    void stream.done.then(() => {
      // Ended by itself (the container stopped): forget it, so that a restart follows it again.
      if (this.followed.get(id)?.stream === stream) this.followed.delete(id);
      this.closedStreams++;
    });
  }

  private unfollow(id: string): void {
    const followed = this.followed.get(id);
    if (!followed) return;
    this.followed.delete(id);
    followed.stream.close();
  }
}
