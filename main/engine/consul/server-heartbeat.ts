/**
 * Notices a Consul server that hangs. One that is stopped refuses connections and the liveness
 * watch fails at once; one that is frozen, or a host that vanished, leaves the blocking queries open
 * until their own timeout (over a minute). With several servers to choose from, that is too long to
 * stay on a dead one: a short probe of the server in use, every second, reports it down after two
 * misses in a row, and the liveness probe then moves the client (consul-servers.ts).
 */
import { consulUrl, type ConsulEndpoint } from './consul-connection.js';
import { leaderProblem } from './consul-addresses.js';

export const HEARTBEAT_LIMITS = {
  intervalMs: 1000,
  timeoutMs: 1500,
  /** Two, so that one slow answer on a busy machine does not move the engine. */
  missesBeforeDown: 2,
} as const;

/** Worst case from the moment a server hangs to the moment it is reported down. */
export const HEARTBEAT_DETECTION_MS =
  HEARTBEAT_LIMITS.missesBeforeDown * (HEARTBEAT_LIMITS.intervalMs + HEARTBEAT_LIMITS.timeoutMs);

export interface HeartbeatTarget {
  /** The server in use now. */
  readonly endpoint: ConsulEndpoint;
  /** False while the liveness probe is already looking for another server. */
  readonly isUp: boolean;
  reportDown(reason: string): void;
}

export class ServerHeartbeat {
  private timer: NodeJS.Timeout | undefined;
  private misses = 0;
  private running = false;

  constructor(
    private readonly target: HeartbeatTarget,
    private readonly limits: {
      intervalMs: number;
      timeoutMs: number;
      missesBeforeDown: number;
    } = HEARTBEAT_LIMITS,
  ) {}

  start(): void {
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => void this.beat(), this.limits.intervalMs);
  }

  private async beat(): Promise<void> {
    if (!this.target.isUp) {
      this.misses = 0;
      this.schedule();
      return;
    }
    const endpoint = this.target.endpoint;
    const problem = await leaderProblem(endpoint, this.limits.timeoutMs);
    // The liveness probe moved the client meanwhile: this answer is about a server no longer used.
    if (problem === undefined || endpoint !== this.target.endpoint) this.misses = 0;
    else if (++this.misses >= this.limits.missesBeforeDown && this.running) {
      this.misses = 0;
      this.target.reportDown(
        `Consul at ${consulUrl(endpoint)}: ${problem}, ${this.limits.missesBeforeDown} times in a row`,
      );
    }
    this.schedule();
  }
}
