/**
 * Several Docker engines: the first endpoint runs the stack (Consul, LB, demo web) and has the
 * engine's own registrator; every other one is a followed host with a registrator of its own
 * (followed-host.ts). This composes them: starts and stops them, and gives the status one list of
 * registrations (the local ones first) and one line per endpoint.
 */
import { Emitter, type DockerHostView } from '../../../contract/index.js';
import type { RegistratorStatus } from '../registrator/registrator.js';
import { FollowedHost, type FollowedHostOptions } from './followed-host.js';
import type { FollowedHostSpec } from './docker-host-spec.js';
import { LOCAL_HOST_NAME } from './host-meta.js';

export { LOCAL_HOST_NAME };

export class FollowedHosts {
  private readonly hosts: FollowedHost[];

  /** A followed host connected, was lost, or its registrations changed. */
  private readonly changed = new Emitter<void>();

  constructor(specs: readonly FollowedHostSpec[], shared: Omit<FollowedHostOptions, 'spec'>) {
    const changed = (): void => {
      this.changed.emit();
      shared.changed();
    };
    this.hosts = specs.map((spec) => new FollowedHost({ ...shared, spec, changed }));
  }

  /** Every followed host, in the order given (connected or not). */
  list(): readonly FollowedHost[] {
    return this.hosts;
  }

  onChange(listener: () => void): () => void {
    return this.changed.on(listener);
  }

  get size(): number {
    return this.hosts.length;
  }

  async start(): Promise<void> {
    await Promise.all(this.hosts.map((host) => host.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.hosts.map((host) => host.stop()));
  }

  /** The local registrator's status with every connected followed host's registrations and warnings added. */
  merged(local: RegistratorStatus): RegistratorStatus {
    const services = [...local.services];
    const warnings = [...local.warnings];
    for (const host of this.hosts) {
      const status = host.status();
      if (!status) continue;
      services.push(...status.services);
      warnings.push(...status.warnings);
    }
    return { ...local, services, warnings };
  }

  /** One line per endpoint: the local one (connected as its registrator says), then each followed host. */
  views(local: { endpoint: string; connected: boolean }): DockerHostView[] {
    return [
      {
        name: LOCAL_HOST_NAME,
        endpoint: local.endpoint,
        state: local.connected ? 'connected' : 'lost',
        local: true,
      },
      ...this.hosts.map((host) => ({ ...host.view(), local: false })),
    ];
  }
}
