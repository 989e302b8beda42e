/** The demo's web on the local engine: the stack's own web containers, on the stack's network. */
import type { Replica } from '../scaler.js';
import { LOCAL_HOST_NAME } from '../multi/host-meta.js';
import { INDEX_LABEL } from './stack-config.js';
import type { Stack } from './stack.js';
import type { WebHost } from './web-replicas.js';

export class LocalWeb implements WebHost {
  readonly name = LOCAL_HOST_NAME;

  constructor(private readonly stack: Stack) {}

  async list(): Promise<Replica[]> {
    return (await this.stack.containers('web')).map((c) => ({
      id: c.id,
      name: c.name,
      number: c.index ?? 0,
      running: c.running,
      host: this.name,
    }));
  }

  async add(indices: readonly number[]): Promise<Replica[]> {
    await this.stack.ensureWebImage();
    const created = await this.stack.addWebAt(indices);
    return Promise.all(
      created.map(async (container) => {
        const info = await container.inspect();
        const index = Number(info.Config.Labels?.[INDEX_LABEL] ?? 0);
        return {
          id: info.Id,
          name: info.Name.replace(/^\//, ''),
          number: index,
          running: true,
          host: this.name,
        };
      }),
    );
  }

  remove(replica: Replica, stopTimeoutSeconds: number): Promise<void> {
    return this.stack.removeContainer(replica.id, stopTimeoutSeconds);
  }
}
