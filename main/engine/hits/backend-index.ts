/**
 * The registered web backends by container and by address, for the hit path:
 * every hit looks its backend up, so a lookup must not cost a scan of all N.
 * Rebuilt only when the list it reads is a different list (the engine hands
 * out the same array until the registrations change).
 */
import type { WebBackend } from './hits-service.js';

export class BackendIndex {
  private list: readonly WebBackend[] | undefined;
  private byContainer = new Map<string, WebBackend>();
  private byAddress = new Map<string, WebBackend>();

  constructor(private readonly backends: () => readonly WebBackend[]) {}

  /** The backend of a container, when it is registered now. */
  ofContainer(containerId: string): WebBackend | undefined {
    return this.fresh().byContainer.get(containerId);
  }

  /** The backend registered at `ip:port` now. */
  at(address: string): WebBackend | undefined {
    return this.fresh().byAddress.get(address);
  }

  private fresh(): this {
    const list = this.backends();
    if (list !== this.list) {
      this.list = list;
      this.byContainer = firstOf(list, (b) => b.containerId);
      this.byAddress = firstOf(list, (b) => `${b.address}:${b.port}`);
    }
    return this;
  }
}

/** The first backend for each key, as a scan of the list would find it (a container may serve two ports). */
function firstOf(list: readonly WebBackend[], key: (b: WebBackend) => string): Map<string, WebBackend> {
  const map = new Map<string, WebBackend>();
  for (const b of list) if (!map.has(key(b))) map.set(key(b), b);
  return map;
}
