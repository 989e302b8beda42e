/**
 * A new replica of a Compose service, made the way `docker compose up --scale` makes one, but from
 * a running replica's configuration (the engine has no compose file): the same image, command,
 * entrypoint, environment, labels (with the next container number), working directory, user,
 * exposed ports, healthcheck, host config (restart policy, volumes and mounts, resources), and the
 * same networks with the same aliases. Pure: the Docker calls are compose-replicas.ts's.
 *
 * What Compose does and this follows:
 * - named `<project>-<service>-<n>` (v2) or `<project>_<service>_<n>` (v1), as the source is;
 * - aliases on each network: the service name and the configured aliases; the replica's own
 *   container name and ID are its own (Compose v2 adds the container name, Docker the short ID);
 * - named volumes and bind mounts are shared; anonymous volumes are new for each replica;
 * - a published port with a fixed host port cannot be scaled (the second replica cannot bind it;
 *   Compose fails the same way), nor a fixed address, nor a fixed container_name: refused.
 */
import type Dockerode from 'dockerode';
import {
  COMPOSE_NUMBER_LABEL,
  COMPOSE_REPLACE_LABEL,
  composeReplicaOf,
  composeTarget,
  namingOf,
  replicaName,
  type ComposeNaming,
} from './compose-labels.js';

/** What decides whether a replica can be copied: fields of `docker inspect` (the registrator's facts have them). */
export interface ReplicaFacts {
  Name: string;
  Config: { Labels?: Record<string, string> | null };
  HostConfig?: {
    PortBindings?: Record<string, readonly { HostIp?: string; HostPort?: string }[] | null> | null;
  } | null;
  NetworkSettings: {
    Networks?: Record<
      string,
      { IPAMConfig?: { IPv4Address?: string; IPv6Address?: string } | null } | null
    > | null;
  };
}

/**
 * Why no replica can be added by copying this one, with what to change; undefined when it can be
 * copied (or is no Compose replica at all).
 */
export function scaleBlocker(source: ReplicaFacts): string | undefined {
  const replica = composeReplicaOf(source.Config.Labels);
  if (!replica) return undefined;
  const name = source.Name.replace(/^\//, '');
  const target = composeTarget(replica);
  if (!namingOf(name, replica))
    return (
      `${target} has a fixed container name (${name}, container_name in the compose file): no second ` +
      `container can have it, and Compose refuses to scale it too. Remove container_name to scale it.`
    );
  for (const [port, bindings] of Object.entries(source.HostConfig?.PortBindings ?? {})) {
    for (const binding of bindings ?? []) {
      const hostPort = binding.HostPort ?? '';
      if (!/^\d+$/.test(hostPort) || Number(hostPort) === 0) continue;
      const containerPort = port.replace(/\/tcp$/, '');
      return (
        `${target} publishes ${port} on host port ${hostPort} (ports: "${hostPort}:${containerPort}"): a ` +
        `second replica could not bind it (Compose fails the same way). To scale it, publish only the ` +
        `container port ("${containerPort}") or a range of host ports ("${hostPort}-${Number(hostPort) + 9}:${containerPort}").`
      );
    }
  }
  for (const [network, endpoint] of Object.entries(source.NetworkSettings.Networks ?? {})) {
    const fixed = endpoint?.IPAMConfig?.IPv4Address || endpoint?.IPAMConfig?.IPv6Address;
    if (fixed)
      return (
        `${target} has the fixed address ${fixed} on the network ${network} (ipv4_address or ` +
        `ipv6_address in the compose file): no second replica can have it. Remove it to scale it.`
      );
  }
  return undefined;
}

/** The parts of `docker inspect` a replica is copied from. */
export type ReplicaSource = Pick<
  Dockerode.ContainerInspectInfo,
  'Id' | 'Name' | 'Config' | 'HostConfig' | 'NetworkSettings'
>;

export interface ReplicaSpec {
  name: string;
  number: number;
  /** For docker.createContainer: the container and its first network. */
  create: Dockerode.ContainerCreateOptions;
  /** The other networks, connected after the create and before the start (API < 1.44 takes one at create). */
  connect: { network: string; endpoint: Dockerode.EndpointSettings }[];
}

/** How the replicas of the source's service are named; undefined when they cannot be (see scaleBlocker). */
export function namingOfSource(source: ReplicaFacts): ComposeNaming | undefined {
  const replica = composeReplicaOf(source.Config.Labels);
  return replica ? namingOf(source.Name, replica) : undefined;
}

/**
 * The replica numbered `number`, copied from `source`. `image` is what to create it from: the
 * source's image name when it still names the source's image, else the image ID (so that a tag
 * moved since is not picked up: a replica is the same as the others).
 */
export function replicaSpec(source: ReplicaSource, number: number, image: string): ReplicaSpec {
  const replica = composeReplicaOf(source.Config.Labels);
  const naming = namingOfSource(source);
  if (!replica || !naming || scaleBlocker(source))
    throw new Error(`${source.Name} cannot be copied: ${scaleBlocker(source) ?? 'it is no Compose replica'}`);
  const name = replicaName(naming, replica, number);
  const sourceName = source.Name.replace(/^\//, '');
  const config = source.Config as ReplicaSource['Config'] & {
    StopSignal?: string;
    StopTimeout?: number;
    Domainname?: string;
    Shell?: string[];
  };
  const labels: Record<string, string> = { ...config.Labels, [COMPOSE_NUMBER_LABEL]: String(number) };
  delete labels[COMPOSE_REPLACE_LABEL];

  const networks = Object.entries(source.NetworkSettings.Networks ?? {});
  const networkMode = source.HostConfig.NetworkMode ?? '';
  // The network given at create: the one NetworkMode names (by name, or by ID on some engines).
  const primary = networks.find(
    ([name, endpoint]) => name === networkMode || endpoint.NetworkID === networkMode,
  )?.[0];
  const endpoint = (network: string): Dockerode.EndpointSettings =>
    endpointCopy(source.NetworkSettings.Networks[network]!, source.Id, sourceName, name);

  const create: Dockerode.ContainerCreateOptions = {
    name,
    Image: image,
    // Docker's default hostname is the container's short ID: a replica gets its own.
    ...(config.Hostname && config.Hostname !== source.Id.slice(0, 12) ? { Hostname: config.Hostname } : {}),
    ...(config.Domainname ? { Domainname: config.Domainname } : {}),
    User: config.User,
    Tty: config.Tty,
    OpenStdin: config.OpenStdin,
    StdinOnce: config.StdinOnce,
    Env: config.Env,
    Cmd: config.Cmd,
    ...(config.Entrypoint !== undefined && config.Entrypoint !== null
      ? { Entrypoint: config.Entrypoint }
      : {}),
    WorkingDir: config.WorkingDir,
    Labels: labels,
    ...(config.ExposedPorts ? { ExposedPorts: config.ExposedPorts } : {}),
    // Anonymous volumes (an image's VOLUME, or `- /data` in the compose file) are new for each replica.
    ...(config.Volumes ? { Volumes: config.Volumes } : {}),
    ...(config.Healthcheck ? { Healthcheck: config.Healthcheck } : {}),
    ...(config.StopSignal ? { StopSignal: config.StopSignal } : {}),
    ...(config.StopTimeout !== undefined && config.StopTimeout !== null
      ? { StopTimeout: config.StopTimeout }
      : {}),
    // Binds, Mounts (named volumes and bind mounts are shared, as Compose shares them), restart
    // policy, resources, capabilities, namespaces: all as the source has them. Only what names the
    // source itself goes (its ID file).
    HostConfig: { ...source.HostConfig, ContainerIDFile: '' },
    ...(primary ? { NetworkingConfig: { EndpointsConfig: { [primary]: endpoint(primary) } } } : {}),
  };
  const connect = networks
    .filter(([network]) => network !== primary)
    .map(([network]) => ({ network, endpoint: endpoint(network) }));
  return { name, number, create, connect };
}

/**
 * A network endpoint as the source has it, minus what is the source's own: its addresses and MAC
 * (Docker gives the replica its own), and its container name and short ID among the aliases (the
 * replica's name takes the place of the source's, as Compose v2 gives each replica its name).
 */
function endpointCopy(
  source: Dockerode.NetworkInfo,
  sourceId: string,
  sourceName: string,
  name: string,
): Dockerode.EndpointSettings {
  const own = new Set([sourceName, sourceId, sourceId.slice(0, 12)]);
  const given = (source.Aliases as string[] | null | undefined) ?? [];
  const aliases = [
    ...(given.includes(sourceName) ? [name] : []),
    ...given.filter((alias) => !own.has(alias)),
  ];
  const ipam = source.IPAMConfig as Dockerode.IPAMConfig | null | undefined;
  const links = source.Links as string[] | null | undefined;
  const driverOpts = (source as { DriverOpts?: Record<string, string> | null }).DriverOpts;
  return {
    ...(aliases.length > 0 ? { Aliases: aliases } : {}),
    // Only link-local addresses can be left here: a fixed address was refused before (scaleBlocker).
    ...(ipam?.LinkLocalIPs?.length ? { IPAMConfig: { LinkLocalIPs: ipam.LinkLocalIPs } } : {}),
    ...(links?.length ? { Links: links } : {}),
    ...(driverOpts ? { DriverOpts: driverOpts } : {}),
  };
}
