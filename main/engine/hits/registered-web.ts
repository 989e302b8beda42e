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
  let listed: { version: string; backends: WebBackend[] } | undefined;
  const version = (): string => {
    let text = String(local.registeredVersion);
    for (const host of followed?.list() ?? []) text += `|${host.registeredVersion() ?? '-'}`;
    return text;
  };
  return () => {
    const now = version();
    if (listed?.version !== now) {
      const services = followed ? followed.merged(local.status()).services : local.status().services;
      listed = {
        version: now,
        backends: services
          .filter((s) => s.name === 'web')
          .map((s) => ({
            containerId: s.containerId,
            containerName: s.containerName,
            address: s.address,
            port: s.port,
            ...(s.meta[HOST_META_KEY] !== undefined ? { host: s.meta[HOST_META_KEY] } : {}),
          })),
      };
    }
    return listed.backends;
  };
}
