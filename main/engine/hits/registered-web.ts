/**
 * The web instances registered right now, for the hits: the local registrator's and, with several
 * engines, every followed host's that is not lost, each with its host as the status names it (its
 * `dt-host` meta). Asked for at every hit, so it is listed again only when a registrator's count
 * of changes moved or a host came or went: a hit costs the same at 100 backends as at one.
 */
import { HOST_META_KEY } from '../multi/host-meta.js';
import type { FollowedHosts } from '../multi/followed-hosts.js';
import type { Registrator } from '../registrator/registrator.js';
import type { WebBackend } from './hits-service.js';

export function registeredWeb(local: Registrator, followed?: FollowedHosts): () => WebBackend[] {
  const hosts = followed?.list() ?? [];
  // The versions the list was made at: the local registrator's, then each followed host's (-1: lost).
  const seen: number[] = [];
  let backends: WebBackend[] = [];
  const versionAt = (i: number): number =>
    i === 0 ? local.registeredVersion : (hosts[i - 1]!.registeredVersion() ?? -1);
  const changed = (): boolean => {
    let moved = seen.length === 0;
    for (let i = 0; i <= hosts.length; i++) {
      const version = versionAt(i);
      if (seen[i] !== version) moved = true;
      seen[i] = version;
    }
    return moved;
  };
  return () => {
    if (changed()) {
      const services = followed ? followed.merged(local.status()).services : local.status().services;
      backends = services
        .filter((s) => s.name === 'web')
        .map((s) => ({
          containerId: s.containerId,
          containerName: s.containerName,
          address: s.address,
          port: s.port,
          ...(s.meta[HOST_META_KEY] !== undefined ? { host: s.meta[HOST_META_KEY] } : {}),
        }));
    }
    return backends;
  };
}
