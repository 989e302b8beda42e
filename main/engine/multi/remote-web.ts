/**
 * The demo's web on a followed host: containers with the stack's labels (so the set lists them and
 * `down` removes them) and its naming, on that engine's default network, publishing port 80 on a
 * port Docker picks: the host's registrator is in published mode and registers the host's address
 * with that port. The web image is copied from the local engine when the host lacks it.
 */
import type Dockerode from 'dockerode';
import type { Replica } from '../scaler.js';
import {
  INDEX_LABEL,
  ROLE_LABEL,
  STACK_LABEL,
  roleLabels,
  stackNames,
  type StackConfig,
} from '../stack/stack-config.js';
import type { WebHost } from '../stack/web-replicas.js';
import type { Timeline } from '../timeline.js';
import { copyImage, hasImage } from './image-copy.js';

export interface RemoteWebOptions {
  name: string;
  docker: Dockerode;
  /** The local engine: where the web image is copied from. */
  local: Dockerode;
  config: StackConfig;
  timeline: Timeline;
  /** Makes sure the local engine has the web image (it may build it) before it is copied. */
  ensureLocalImage: () => Promise<void>;
}

export class RemoteWeb implements WebHost {
  constructor(private readonly options: RemoteWebOptions) {}

  get name(): string {
    return this.options.name;
  }

  async list(): Promise<Replica[]> {
    const { docker, config } = this.options;
    const list = await docker.listContainers({
      all: true,
      filters: { label: [`${STACK_LABEL}=${config.project}`, `${ROLE_LABEL}=web`] },
    });
    return list.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? '').replace(/^\//, ''),
      number: Number(c.Labels[INDEX_LABEL] ?? 0),
      running: c.State === 'running',
      host: this.name,
    }));
  }

  async add(indices: readonly number[]): Promise<Replica[]> {
    await this.ensureImage();
    const { docker, config } = this.options;
    const names = stackNames(config);
    return Promise.all(
      indices.map(async (index) => {
        const container = await docker.createContainer({
          name: names.web(index),
          Image: config.images.web,
          Env: ['SERVICE_NAME=web', 'SERVICE_TAGS=backend'],
          Labels: roleLabels(config, 'web', { [INDEX_LABEL]: String(index) }),
          ExposedPorts: { '80/tcp': {} },
          // Every address of that host: the LB reaches it at the address given with ip=.
          HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '' }] } },
        });
        try {
          await container.start();
        } catch (error) {
          await container.remove({ force: true }).catch(() => undefined);
          throw error;
        }
        return { id: container.id, name: names.web(index), number: index, running: true, host: this.name };
      }),
    );
  }

  async remove(replica: Replica, stopTimeoutSeconds: number): Promise<void> {
    const container = this.options.docker.getContainer(replica.id);
    try {
      if (stopTimeoutSeconds > 0) await container.stop({ t: stopTimeoutSeconds }).catch(() => undefined);
      await container.remove({ force: true });
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
  }

  private async ensureImage(): Promise<void> {
    const { docker, local, config, timeline } = this.options;
    const image = config.images.web;
    if (await hasImage(docker, image)) return;
    await this.options.ensureLocalImage();
    const startedAt = Date.now();
    timeline.record({ kind: 'image-copied', message: `copying ${image} to Docker host ${this.name}` });
    await copyImage(local, docker, image);
    timeline.record({
      kind: 'image-copied',
      message: `${image} copied to Docker host ${this.name} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
    });
  }
}
