/**
 * Keeps the LB container on the Docker networks of the backends it routes.
 * A container of the user's own (`docker run` on Docker's default bridge, a
 * Compose project's network) registers an address on a network the LB is not
 * on, and nginx would wait for its connect timeout on every request sent
 * there. For each address the template uses, the network is found from the
 * container that holds that address (Docker's container list carries every
 * endpoint's IP), and the LB joins it. A network no address needs any more
 * is left after a short linger (a backend just deregistered may still be
 * finishing requests), except the stack's own. Syncs run one at a time; the
 * newest set of addresses wins.
 */
import type Dockerode from 'dockerode';
import { errorMessage } from '../errors.js';
import type { Timeline } from '../timeline.js';

export interface LbNetworksOptions {
  /** How long a network no backend needs stays joined before the LB leaves it. */
  lingerMs?: number;
}

export const DEFAULT_NETWORK_LINGER_MS = 5000;

interface LbEndpoint {
  NetworkID?: string;
  IPAddress?: string;
  IPPrefixLen?: number;
}

export class LbNetworks {
  private chain: Promise<unknown> = Promise.resolve();
  private latest: readonly string[] = [];
  /** Networks the LB is on that no address needs, and since when. */
  private readonly unneededSince = new Map<string, number>();
  private lingerTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly docker: Dockerode,
    /** The LB container's ID (it changes when the stack guard recreates the LB). */
    private readonly lbId: () => string,
    /** The stack's own network: the LB never leaves it. */
    private readonly stackNetwork: string,
    private readonly timeline: Timeline,
    private readonly options: LbNetworksOptions = {},
  ) {}

  /**
   * Puts the LB on the network of each address, and schedules leaving those no address
   * needs. Resolves with, for each address it could not place, why (the probe still decides).
   */
  sync(addresses: readonly string[]): Promise<Map<string, string>> {
    this.latest = addresses;
    const run = this.chain.then(() => this.syncNow(addresses));
    this.chain = run.catch(() => undefined);
    return run;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.lingerTimer);
  }

  private async syncNow(addresses: readonly string[]): Promise<Map<string, string>> {
    const problems = new Map<string, string>();
    if (this.stopped) return problems;
    const lb = this.docker.getContainer(this.lbId());
    const info = await lb.inspect();
    const lbNetworks = new Map<string, LbEndpoint>(Object.entries(info.NetworkSettings.Networks ?? {}));
    const needed = new Set<string>();
    let containers: Dockerode.ContainerInfo[] | undefined;
    for (const address of new Set(addresses)) {
      const onLb = [...lbNetworks].find(([, e]) => sameSubnet(address, e.IPAddress, e.IPPrefixLen))?.[0];
      if (onLb !== undefined) {
        needed.add(onLb);
        continue;
      }
      containers ??= await this.docker.listContainers();
      const owner = ownerOf(address, containers, info.Id);
      if (!owner) {
        problems.set(
          address,
          'no running container on this Docker host has this address, and it is on none of the LB’s networks',
        );
        continue;
      }
      if (owner.network === 'host' || owner.network === 'none') {
        problems.set(
          address,
          `its container uses Docker's "${owner.network}" network, which the LB cannot join`,
        );
        continue;
      }
      needed.add(owner.network);
      if (lbNetworks.has(owner.network)) continue;
      try {
        await this.docker.getNetwork(owner.networkId || owner.network).connect({ Container: info.Id });
        const joined = (await lb.inspect()).NetworkSettings.Networks?.[owner.network];
        lbNetworks.set(owner.network, joined ?? {});
        this.timeline.record({
          kind: 'lb-network',
          message: `the LB joined the Docker network ${JSON.stringify(owner.network)} to reach ${owner.containerName} (${address})`,
          containerId: owner.containerId,
        });
      } catch (error) {
        problems.set(
          address,
          `the LB cannot join the Docker network ${JSON.stringify(owner.network)}: ${errorMessage(error)}`,
        );
      }
    }
    await this.leaveUnneeded(info.Id, lbNetworks, needed);
    return problems;
  }

  private async leaveUnneeded(
    lbId: string,
    lbNetworks: ReadonlyMap<string, LbEndpoint>,
    needed: ReadonlySet<string>,
  ): Promise<void> {
    const now = Date.now();
    const linger = this.options.lingerMs ?? DEFAULT_NETWORK_LINGER_MS;
    let waiting = false;
    for (const name of [...this.unneededSince.keys()])
      if (!lbNetworks.has(name) || needed.has(name)) this.unneededSince.delete(name);
    for (const [name, endpoint] of lbNetworks) {
      if (name === this.stackNetwork || needed.has(name)) continue;
      const since = this.unneededSince.get(name) ?? now;
      this.unneededSince.set(name, since);
      if (now - since < linger) {
        waiting = true;
        continue;
      }
      try {
        await this.docker.getNetwork(endpoint.NetworkID || name).disconnect({ Container: lbId });
        this.unneededSince.delete(name);
        this.timeline.record({
          kind: 'lb-network',
          message: `the LB left the Docker network ${JSON.stringify(name)}: no registered backend is on it any more`,
        });
      } catch (error) {
        // Gone already (the network was removed) or refused: tried again at the next sync.
        if (!/not connected|no such network|not found/i.test(errorMessage(error)))
          this.timeline.record({
            kind: 'warning',
            message: `the LB could not leave the Docker network ${JSON.stringify(name)}: ${errorMessage(error)}`,
          });
        else this.unneededSince.delete(name);
      }
    }
    clearTimeout(this.lingerTimer);
    if (waiting && !this.stopped) {
      this.lingerTimer = setTimeout(() => void this.sync(this.latest).catch(() => undefined), linger + 100);
      this.lingerTimer.unref();
    }
  }
}

interface Owner {
  containerId: string;
  containerName: string;
  network: string;
  networkId: string;
}

/** The running container (not the LB) with an endpoint at `address`, and that endpoint's network. */
export function ownerOf(
  address: string,
  containers: readonly Dockerode.ContainerInfo[],
  lbId: string,
): Owner | undefined {
  for (const c of containers) {
    if (c.Id === lbId) continue;
    for (const [network, endpoint] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
      if (endpoint.IPAddress === address || endpoint.GlobalIPv6Address === address)
        return {
          containerId: c.Id,
          containerName: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
          network,
          networkId: endpoint.NetworkID ?? '',
        };
    }
  }
  return undefined;
}

/** Whether IPv4 `address` is in the subnet of the LB's endpoint `lbAddress/prefix`. */
export function sameSubnet(
  address: string,
  lbAddress: string | undefined,
  prefix: number | undefined,
): boolean {
  const a = ipv4(address);
  const b = lbAddress ? ipv4(lbAddress) : undefined;
  if (a === undefined || b === undefined || prefix === undefined || prefix <= 0 || prefix > 32) return false;
  const mask = prefix === 32 ? 0xffffffff : ~(0xffffffff >>> prefix) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}
