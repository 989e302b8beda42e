/**
 * The demo's `web` as a replica set: the stack's own web containers (its stack and role labels),
 * made from the web image on the stack's network, numbered by the stack's index label.
 */
import type { Replica, ReplicaSet } from '../scaler.js';
import { INDEX_LABEL } from './stack-config.js';
import type { Stack } from './stack.js';

export class WebReplicas implements ReplicaSet {
  readonly target = 'web';

  constructor(private readonly stack: Stack) {}

  async list(): Promise<Replica[]> {
    return (await this.stack.containers('web')).map((c) => ({
      id: c.id,
      name: c.name,
      number: c.index ?? 0,
      running: c.running,
    }));
  }

  async add(count: number): Promise<Replica[]> {
    await this.stack.ensureWebImage();
    const created = await this.stack.addWeb(count);
    return Promise.all(
      created.map(async (container) => {
        const info = await container.inspect();
        const index = Number(info.Config.Labels?.[INDEX_LABEL] ?? 0);
        return { id: info.Id, name: info.Name.replace(/^\//, ''), number: index, running: true };
      }),
    );
  }

  remove(replica: Replica, stopTimeoutSeconds: number): Promise<void> {
    return this.stack.removeContainer(replica.id, stopTimeoutSeconds);
  }
}
