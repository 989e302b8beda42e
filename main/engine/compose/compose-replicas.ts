/**
 * The replicas of one Compose service, as a replica set the scaler drives: every container with
 * the service's Compose labels (not a one-off `run` container), and nothing else. New replicas are
 * copies of a running one (replica-spec.ts), numbered on from the highest number there is, as
 * Compose numbers them; stopped replicas start again before any new one is made, as
 * `docker compose up --scale` does.
 */
import type Dockerode from 'dockerode';
import { UserError, errorMessage } from '../errors.js';
import type { Replica, ReplicaSet } from '../scaler.js';
import {
  COMPOSE_PROJECT_LABEL,
  COMPOSE_SERVICE_LABEL,
  composeReplicaOf,
  composeTarget,
} from './compose-labels.js';
import { replicaSpec, scaleBlocker, type ReplicaSpec } from './replica-spec.js';

/** Docker states in which a replica can be started again (a paused or restarting one counts as running). */
const STARTABLE = new Set(['created', 'exited']);
const RUNNING = new Set(['running', 'paused', 'restarting']);

interface ListedReplica extends Replica {
  state: string;
}

export class ComposeReplicas implements ReplicaSet {
  readonly target: string;

  constructor(
    private readonly docker: Dockerode,
    readonly project: string,
    readonly service: string,
  ) {
    this.target = composeTarget({ project, service });
  }

  async list(): Promise<ListedReplica[]> {
    const listed = await this.docker.listContainers({
      all: true,
      filters: {
        label: [`${COMPOSE_PROJECT_LABEL}=${this.project}`, `${COMPOSE_SERVICE_LABEL}=${this.service}`],
      },
    });
    return listed.flatMap((c) => {
      const replica = composeReplicaOf(c.Labels);
      if (replica?.project !== this.project || replica.service !== this.service) return [];
      return [
        {
          id: c.Id,
          name: (c.Names[0] ?? '').replace(/^\//, ''),
          number: replica.number,
          running: RUNNING.has(c.State),
          state: c.State,
        },
      ];
    });
  }

  /**
   * Why `count` running replicas cannot be reached from `running` now, or undefined when they can:
   * no running replica to copy, or one that cannot be copied (a fixed host port, address or name).
   */
  async refusal(count: number, running: readonly Replica[]): Promise<string | undefined> {
    const source = running[0];
    if (!source)
      return `No container of the Compose service ${this.target} runs: the engine makes new replicas by copying a running one. Start it first (docker compose -p ${this.project} up -d ${this.service}).`;
    const all = await this.list();
    const restartable = all.filter((r) => STARTABLE.has(r.state)).length;
    if (count - running.length <= restartable) return undefined;
    return scaleBlocker(await this.inspect(source.id));
  }

  async add(count: number, hold: (containerId: string) => void): Promise<Replica[]> {
    const all = await this.list();
    const restart = all
      .filter((r) => STARTABLE.has(r.state))
      .sort((a, b) => a.number - b.number)
      .slice(0, count);
    const started: Replica[] = [];
    // Not held until they listen: that check may exec in the container, and the engine execs only
    // in containers it created (SECURITY.md). nginx retries a backend that refuses at first.
    for (const replica of restart) {
      await this.docker.getContainer(replica.id).start();
      started.push({ ...replica, running: true });
    }
    const missing = count - started.length;
    if (missing <= 0) return started;

    const source = all.filter((r) => r.running).sort((a, b) => a.number - b.number)[0];
    if (!source)
      throw new UserError(
        `No container of the Compose service ${this.target} runs any more: there is nothing to copy new replicas from.`,
        'not-scalable',
      );
    const info = await this.inspect(source.id);
    const blocker = scaleBlocker(info);
    if (blocker) throw new UserError(blocker, 'not-scalable');
    const image = await this.imageOf(info);
    // Numbered on from the highest number any replica has, running or not, as Compose does.
    const next = Math.max(0, ...all.map((r) => r.number)) + 1;
    const specs = Array.from({ length: missing }, (_, i) => replicaSpec(info, next + i, image));
    const results = await Promise.allSettled(specs.map((spec) => this.create(spec, hold)));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    started.push(...results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])));
    if (failures.length > 0) {
      const first = failures[0];
      if (first instanceof UserError) throw first;
      throw new Error(
        `could not add a replica of ${this.target}: ${errorMessage(first)}${started.length > 0 ? ` (${started.map((r) => r.name).join(', ')} did start)` : ''}`,
      );
    }
    return started;
  }

  async remove(replica: Replica, stopTimeoutSeconds: number): Promise<void> {
    const container = this.docker.getContainer(replica.id);
    try {
      if (stopTimeoutSeconds > 0) await container.stop({ t: stopTimeoutSeconds }).catch(() => undefined);
      // As Compose scales down: anonymous volumes stay (docker compose down -v or docker volume prune removes them).
      await container.remove({ force: true });
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
  }

  private async inspect(id: string): Promise<Dockerode.ContainerInspectInfo> {
    return this.docker.getContainer(id).inspect();
  }

  /** The image by the name the replicas were made with, while that name still is their image; else its ID. */
  private async imageOf(source: Dockerode.ContainerInspectInfo): Promise<string> {
    const named = source.Config.Image;
    try {
      if (named && (await this.docker.getImage(named).inspect()).Id === source.Image) return named;
    } catch {
      // The name is gone (untagged or removed): the ID still names the image the replicas run.
    }
    return source.Image;
  }

  /** Creates, connects and starts one replica; a replica that does not start is removed again. */
  private async create(spec: ReplicaSpec, hold: (containerId: string) => void): Promise<Replica> {
    let container: Dockerode.Container;
    try {
      container = await this.docker.createContainer(spec.create);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 409)
        throw new UserError(
          `A container named ${spec.name} exists and is not a replica of ${this.target}: remove or rename it, then scale again.`,
          'name-conflict',
        );
      throw error;
    }
    try {
      for (const { network, endpoint } of spec.connect)
        await this.docker.getNetwork(network).connect({ Container: container.id, EndpointConfig: endpoint });
      hold(container.id);
      await container.start();
    } catch (error) {
      await container.remove({ force: true }).catch(() => undefined);
      throw error;
    }
    return { id: container.id, name: spec.name, number: spec.number, running: true };
  }
}
