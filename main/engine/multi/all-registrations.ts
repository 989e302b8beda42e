/**
 * The registrations of every Docker host as one source for the scaler: the local registrator's and
 * each connected followed host's. A container is drained by the registrator of the host it runs on.
 */
import type { RegistrationSource } from '../registration-source.js';
import type { Registrator, RegistratorStatus } from '../registrator/registrator.js';
import type { FollowedHosts } from './followed-hosts.js';
import { LOCAL_HOST_NAME } from './host-meta.js';

export class AllRegistrations implements RegistrationSource {
  constructor(
    private readonly local: Registrator,
    private readonly followed: FollowedHosts,
  ) {}

  serviceIdsOf(containerId: string): string[] {
    for (const source of this.sources()) {
      const ids = source.serviceIdsOf(containerId);
      if (ids.length > 0) return ids;
    }
    return [];
  }

  isDraining(containerId: string): boolean {
    return this.sources().some((source) => source.isDraining(containerId));
  }

  drain(containerId: string, host?: string): Promise<string[]> {
    const owner =
      host !== undefined
        ? this.registratorOf(host)
        : this.sources().find((source) => source.serviceIdsOf(containerId).length > 0);
    if (!owner) throw new Error(`Docker host ${host ?? '?'} is not connected: cannot drain ${containerId}`);
    return owner.drain(containerId);
  }

  status(): RegistratorStatus {
    return this.followed.merged(this.local.status());
  }

  onChange(listener: () => void): () => void {
    const offLocal = this.local.onChange(listener);
    const offFollowed = this.followed.onChange(listener);
    return () => {
      offLocal();
      offFollowed();
    };
  }

  private registratorOf(host: string): Registrator | undefined {
    if (host === LOCAL_HOST_NAME) return this.local;
    return this.followed
      .list()
      .find((h) => h.name === host)
      ?.connection()?.registrator;
  }

  private sources(): Registrator[] {
    const followed = this.followed.list().flatMap((h) => h.connection()?.registrator ?? []);
    return [this.local, ...followed];
  }
}
