/**
 * The parts of `docker inspect` that decide a container's services. Dockerode's
 * ContainerInspectInfo satisfies it; tests can write the few fields they need.
 */
export interface PortBinding {
  HostIp?: string;
  HostPort?: string;
}

export interface ContainerFacts {
  Id: string;
  /** Docker's name with its leading slash, as inspect returns it. */
  Name: string;
  Config: {
    Image: string;
    Env?: string[] | null;
    Labels?: Record<string, string> | null;
    ExposedPorts?: Record<string, unknown> | null;
    Healthcheck?: { Test?: string[] | null } | null;
  };
  HostConfig?: { NetworkMode?: string; PortBindings?: Record<string, PortBinding[] | null> | null } | null;
  NetworkSettings: {
    IPAddress?: string;
    Ports?: Record<string, PortBinding[] | null> | null;
    Networks?: Record<
      string,
      { IPAddress?: string; IPAMConfig?: { IPv4Address?: string; IPv6Address?: string } | null } | null
    > | null;
  };
  State?: {
    Running?: boolean;
    Pid?: number;
    /** RFC 3339, as Docker reports it: decides which of two containers wanting one service ID keeps it. */
    StartedAt?: string;
    Health?: { Status?: string } | null;
  } | null;
}

/** A container with a Docker HEALTHCHECK is registered only while Docker calls it healthy. */
export function hasDockerHealthcheck(container: ContainerFacts): boolean {
  const test = container.Config.Healthcheck?.Test;
  if (test && test.length > 0) return test[0] !== 'NONE';
  return Boolean(container.State?.Health?.Status);
}

export function containerName(container: ContainerFacts): string {
  return container.Name.replace(/^\//, '');
}
