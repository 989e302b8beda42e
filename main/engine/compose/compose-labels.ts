/**
 * Docker Compose's container labels, and what they say about a container: which project and
 * service it is a replica of, its number, and how Compose named it. Compose v2 names replicas
 * `<project>-<service>-<n>`, v1 `<project>_<service>_<n>`; a service with `container_name` has
 * one fixed name, which Compose itself refuses to scale.
 */
export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';
export const COMPOSE_NUMBER_LABEL = 'com.docker.compose.container-number';
/** "True" on `docker compose run` containers: one-off tasks, never replicas. */
export const COMPOSE_ONEOFF_LABEL = 'com.docker.compose.oneoff';
/** Set by Compose v2 on the container that is about to replace another (a recreate in progress). */
export const COMPOSE_REPLACE_LABEL = 'com.docker.compose.replace';

export interface ComposeReplicaIdentity {
  project: string;
  service: string;
  /** com.docker.compose.container-number: a whole number from 1. */
  number: number;
}

/**
 * The replica a container is, by its labels; undefined for anything that is not a replica of a
 * Compose service (no labels, a one-off `run` container, or no valid number). Only these are ever
 * started or stopped by the engine as Compose replicas.
 */
export function composeReplicaOf(
  labels: Readonly<Record<string, string>> | null | undefined,
): ComposeReplicaIdentity | undefined {
  const project = labels?.[COMPOSE_PROJECT_LABEL];
  const service = labels?.[COMPOSE_SERVICE_LABEL];
  const number = labels?.[COMPOSE_NUMBER_LABEL];
  if (!project || !service || !number || !/^[1-9]\d{0,8}$/.test(number)) return undefined;
  if (labels[COMPOSE_ONEOFF_LABEL]?.toLowerCase() === 'true') return undefined;
  return { project, service, number: Number(number) };
}

/** The scale target of a Compose service, as `scale` takes it. */
export function composeTarget(identity: { project: string; service: string }): string {
  return `${identity.project}/${identity.service}`;
}

export type ComposeNaming = 'v2' | 'v1';

/** How Compose named this replica, or undefined for a custom `container_name`. */
export function namingOf(name: string, replica: ComposeReplicaIdentity): ComposeNaming | undefined {
  const bare = name.replace(/^\//, '');
  if (bare === replicaName('v2', replica, replica.number)) return 'v2';
  if (bare === replicaName('v1', replica, replica.number)) return 'v1';
  return undefined;
}

export function replicaName(
  naming: ComposeNaming,
  replica: { project: string; service: string },
  number: number,
): string {
  const separator = naming === 'v2' ? '-' : '_';
  return [replica.project, replica.service, String(number)].join(separator);
}
