/**
 * What the hits are counted under. An address alone names a backend on one Docker engine; with
 * several engines two hosts may hand out the same container IP (both default bridges are
 * 172.17.0.0/16, and a container's own IP is what an unregistered one is known by), so a backend
 * carries its host into the key. With one engine no backend has a host: the key is the bare
 * address, as before.
 */

export interface KeyedBackend {
  /** ip:port, as nginx and Consul know it (or the container's own ip:80 before it is registered). */
  address: string;
  /** The Docker host it runs on, as the status names it (`local`, or a followed host's name). */
  host?: string;
}

export function backendKey(backend: KeyedBackend): string {
  return backend.host === undefined ? backend.address : `${backend.host}/${backend.address}`;
}
