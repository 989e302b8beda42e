/**
 * What the scaler needs of the registrations: whether a container is routed, taking one out
 * ahead of stopping it, and a signal when anything changed. The local Registrator is one; with
 * several Docker engines, multi/all-registrations.ts is one over the local and every followed host's.
 */
export interface RegistrationSource {
  /** Service IDs registered for a container (empty when none). */
  serviceIdsOf(containerId: string): string[];
  isDraining(containerId: string): boolean;
  /**
   * Takes a container out of Consul ahead of stopping it; resolves with the IDs it had. `host`
   * (a Docker host's name) says whose registrator it belongs to, when the source spans several.
   */
  drain(containerId: string, host?: string): Promise<string[]>;
  status(): { services: readonly { containerId: string; name: string }[] };
  onChange(listener: () => void): () => void;
}
