/**
 * `--docker-host` given once or more: the first is the local engine (it runs the stack, as with one
 * engine); every further one is a followed host (docker-host-spec.ts has its syntax).
 */
import type { EngineConfig } from '../engine-config.js';
import { checkDistinctNames, parseFollowedHost } from './docker-host-spec.js';
import { LOCAL_HOST_NAME } from './followed-hosts.js';

/** Throws an Error whose message says what to write instead. */
export function dockerHostFlags(
  values: readonly string[],
): Pick<EngineConfig, 'dockerHost' | 'followedHosts'> {
  const [local, ...others] = values;
  if (!local) return {};
  if (local.includes(','))
    throw new Error(
      `--docker-host ${local}: the first --docker-host is the local engine (it runs Consul, the LB and the demo web) and takes no options; put ip=/name= on the further ones`,
    );
  const followedHosts = others.map(parseFollowedHost);
  checkDistinctNames(followedHosts, LOCAL_HOST_NAME);
  return { dockerHost: local, ...(followedHosts.length > 0 ? { followedHosts } : {}) };
}
