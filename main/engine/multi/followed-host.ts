/**
 * One followed Docker host (several engines): a registrator of its own for that engine, in
 * registrator's non-internal mode (the host's reachable address + published ports), each
 * registration carrying `dt-host`. The registrator is used as it is; this layer adds what a
 * remote engine needs on top of it:
 * - a liveness ping (a host that vanishes off the network never closes the events stream);
 * - the bound on leaving: once the host has not answered for `lostAfterMs`, its registrations
 *   are taken out of Consul (the LB stops sending to it), and when it answers again a resync
 *   puts back what runs there. Service IDs are `<name>@<engine host>:<container>:<port>`, so
 *   the same container comes back under the same ID: no duplicates.
 */
import type Consul from 'consul';
import type Dockerode from 'dockerode';
import { errorMessage } from '../errors.js';
import type { Timeline } from '../timeline.js';
import { timeoutSignal } from '../timeout-signal.js';
import type { ConsulLiveness } from '../consul/consul-liveness.js';
import { negotiateApiVersion } from '../docker/api-version.js';
import { dockerClient } from '../docker/docker-client.js';
import { parseDockerAddress } from '../docker/docker-address.js';
import { ownerId, isOwnedBy, type AgentServiceEntry } from '../registrator/ownership.js';
import { Registrator, type RegistratorOptions, type RegistratorStatus } from '../registrator/registrator.js';
import type { FollowedHostSpec } from './docker-host-spec.js';
import { HOST_META_KEY } from './host-meta.js';

/** Defaults of the documented bound: a host silent for 10 s is lost (pinged every 2 s). */
export const LOST_AFTER_MS = 10_000;
export const PING_EVERY_MS = 2_000;

export type FollowedHostState = 'connecting' | 'connected' | 'lost';

export interface FollowedHostOptions {
  spec: FollowedHostSpec;
  /** The engine's own host name: the followed host's owner and IDs are derived from it. */
  hostname: string;
  consul: Consul;
  liveness: ConsulLiveness;
  timeline: Timeline;
  changed: () => void;
  beforeRegister?: RegistratorOptions['beforeRegister'];
  lostAfterMs?: number;
  pingEveryMs?: number;
}

export class FollowedHost {
  private docker: Dockerode | undefined;
  private registrator: Registrator | undefined;
  private state: FollowedHostState = 'connecting';
  private lastAnswer = Date.now();
  private error: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly owner: string;
  private readonly idHost: string;

  constructor(private readonly options: FollowedHostOptions) {
    // `<name>@<engine host>`: unique per followed host, and per engine that follows it.
    this.idHost = `${options.spec.name}@${options.hostname}`;
    this.owner = ownerId(this.idHost);
  }

  get name(): string {
    return this.options.spec.name;
  }

  /** Never throws: a host that is down at start is followed until it answers. */
  async start(): Promise<void> {
    this.running = true;
    await this.tick();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.registrator?.stop();
  }

  view(): { name: string; endpoint: string; address: string; state: FollowedHostState; error?: string } {
    return {
      name: this.name,
      endpoint: this.options.spec.address,
      address: this.options.spec.ip,
      state: this.state,
      ...(this.error && this.state !== 'connected' ? { error: this.error } : {}),
    };
  }

  /** Its Docker client and registrator while it is connected (a scale places web replicas there). */
  connection(): { docker: Dockerode; registrator: Registrator } | undefined {
    if (this.state !== 'connected' || !this.docker || !this.registrator) return undefined;
    return { docker: this.docker, registrator: this.registrator };
  }

  /** Grows when status() changes: its registrator's count, or none while status() is empty. */
  registeredVersion(): number | undefined {
    if (!this.registrator || this.state === 'lost') return undefined;
    return this.registrator.registeredVersion;
  }

  /** What its registrator holds; nothing while the host is lost (its registrations are out of Consul). */
  status(): RegistratorStatus | undefined {
    if (!this.registrator || this.state === 'lost') return undefined;
    return this.registrator.status();
  }

  private async tick(): Promise<void> {
    try {
      await this.ping();
      await this.answered();
    } catch (error) {
      this.error = errorMessage(error);
      await this.silent().catch((e: unknown) => {
        this.error = errorMessage(e);
      });
    }
    if (this.running)
      this.timer = setTimeout(() => void this.tick(), this.options.pingEveryMs ?? PING_EVERY_MS);
  }

  private async ping(): Promise<void> {
    const timeout = timeoutSignal(Math.min(3000, this.options.pingEveryMs ?? PING_EVERY_MS));
    try {
      if (!this.docker) {
        const { spec } = this.options;
        const address = parseDockerAddress(
          spec.address,
          spec.tlsDir ? { dir: spec.tlsDir, verify: true } : undefined,
        );
        const docker = dockerClient(address, { sshAuthSock: process.env.SSH_AUTH_SOCK });
        const version = await withSignal(docker).version({ abortSignal: timeout.signal });
        (docker.modem as unknown as { version?: string }).version = `v${negotiateApiVersion(version)}`;
        this.docker = docker;
      } else {
        await withSignal(this.docker).ping({ abortSignal: timeout.signal });
      }
    } finally {
      timeout.clear();
    }
  }

  private async answered(): Promise<void> {
    this.lastAnswer = Date.now();
    if (this.state === 'connected') return;
    const wasLost = this.state === 'lost';
    if (!this.registrator) {
      const registrator = new Registrator(
        this.docker!,
        this.options.consul,
        this.options.timeline,
        {
          hostname: this.idHost,
          mode: 'published',
          hostIp: this.options.spec.ip,
          warnUnpublished: true,
          extraMeta: { [HOST_META_KEY]: this.name },
          ...(this.options.beforeRegister ? { beforeRegister: this.options.beforeRegister } : {}),
        },
        this.options.liveness,
      );
      try {
        await registrator.start();
      } catch (error) {
        await registrator.stop().catch(() => undefined);
        throw error;
      }
      registrator.onChange(() => this.options.changed());
      this.registrator = registrator;
    } else if (wasLost) {
      // Back: what runs there now goes into Consul again, under the same IDs.
      await this.registrator.resync();
    }
    this.state = 'connected';
    this.error = undefined;
    this.options.timeline.record({
      kind: 'docker-up',
      message: `Docker host ${this.name} (${this.options.spec.address}) ${wasLost ? 'is back: its instances are registered again' : 'followed'}`,
    });
    this.options.changed();
  }

  private async silent(): Promise<void> {
    const lostAfter = this.options.lostAfterMs ?? LOST_AFTER_MS;
    if (this.state === 'lost' || Date.now() - this.lastAnswer < lostAfter) return;
    if (this.state === 'connecting' && !this.registrator) {
      // Never reached yet: nothing of it is in Consul, but say so once.
      this.state = 'lost';
      this.options.timeline.record({
        kind: 'docker-down',
        message: `Docker host ${this.name} (${this.options.spec.address}) does not answer: ${this.error ?? 'no answer'}`,
      });
      this.options.changed();
      return;
    }
    this.state = 'lost';
    const removed = await this.deregisterAll();
    this.options.timeline.record({
      kind: 'docker-down',
      message: `Docker host ${this.name} lost (no answer for ${lostAfter / 1000} s: ${this.error ?? 'no answer'}); ${removed} instance(s) taken out of Consul until it is back`,
    });
    this.options.changed();
  }

  /** Takes every registration this host's registrator made out of Consul (only those: by owner). */
  private async deregisterAll(): Promise<number> {
    const agent = (await this.options.consul.agent.service.list()) as Record<string, AgentServiceEntry>;
    let removed = 0;
    for (const entry of Object.values(agent)) {
      if (!isOwnedBy(entry, this.owner)) continue;
      await this.options.consul.agent.service.deregister(entry.ID);
      removed += 1;
      this.options.timeline.record({
        kind: 'deregistered',
        serviceId: entry.ID,
        message: `${entry.Service} (${entry.ID}) removed: its Docker host ${this.name} is lost`,
      });
    }
    return removed;
  }
}

/** dockerode passes `abortSignal` on to the request; @types/dockerode does not list it. */
function withSignal(docker: Dockerode): {
  version: (options: { abortSignal: AbortSignal }) => Promise<Dockerode.DockerVersion>;
  ping: (options: { abortSignal: AbortSignal }) => Promise<unknown>;
} {
  return {
    version: (options) =>
      (docker.version as unknown as (o: object) => Promise<Dockerode.DockerVersion>).call(docker, options),
    ping: (options) => (docker.ping as unknown as (o: object) => Promise<unknown>).call(docker, options),
  };
}
