/**
 * Where the demo's web replicas go when a scale names a placement (`scale web=N --host NAME` or
 * `--host spread`), as pure functions of what runs where:
 * - no placement: today's behaviour — new replicas on the local engine, the highest numbers go first;
 * - a host: new replicas on it; on the way down, that host's replicas go first (highest numbers
 *   first), then the highest numbers elsewhere;
 * - spread: each new replica on the host with the fewest running web replicas (ties: the first host
 *   in order, local first); on the way down, each time from the host with the most (ties: the host
 *   whose highest number is highest), its highest number first.
 */
import { LOCAL_HOST_NAME } from './host-meta.js';

/** The placement keyword that spreads the replicas over every connected host. */
export const SPREAD = 'spread';

/** A host name, SPREAD, or undefined (today's behaviour). */
export type Placement = string | undefined;

export interface PlacedReplica {
  number: number;
  /** The Docker host it runs on; undefined is the local engine. */
  host?: string;
}

const hostOf = (replica: PlacedReplica): string => replica.host ?? LOCAL_HOST_NAME;

/**
 * The host of each of `count` new replicas. `hosts` are the hosts a replica may go to (connected
 * ones, local first); `running` the replicas that run and are not on their way out.
 */
export function chooseHosts(
  count: number,
  placement: Placement,
  hosts: readonly string[],
  running: readonly PlacedReplica[],
): string[] {
  if (placement !== SPREAD) return Array.from({ length: count }, () => placement ?? LOCAL_HOST_NAME);
  const counts = new Map(hosts.map((host) => [host, 0]));
  for (const replica of running) {
    const host = hostOf(replica);
    if (counts.has(host)) counts.set(host, counts.get(host)! + 1);
  }
  const chosen: string[] = [];
  for (let i = 0; i < count; i++) {
    let best: string | undefined;
    for (const [host, n] of counts) if (best === undefined || n < counts.get(best)!) best = host;
    if (best === undefined) break;
    chosen.push(best);
    counts.set(best, counts.get(best)! + 1);
  }
  return chosen;
}

/** The `count` replicas to take away, in the order they go. */
export function chooseVictims<R extends PlacedReplica>(
  running: readonly R[],
  count: number,
  placement: Placement,
): R[] {
  const highestFirst = [...running].sort((a, b) => b.number - a.number);
  if (placement === undefined) return highestFirst.slice(0, count);
  if (placement !== SPREAD) {
    const there = highestFirst.filter((r) => hostOf(r) === placement);
    const elsewhere = highestFirst.filter((r) => hostOf(r) !== placement);
    return [...there, ...elsewhere].slice(0, count);
  }
  const byHost = new Map<string, R[]>();
  for (const replica of highestFirst)
    byHost.set(hostOf(replica), [...(byHost.get(hostOf(replica)) ?? []), replica]);
  const taken: R[] = [];
  while (taken.length < count) {
    let from: R[] | undefined;
    for (const list of byHost.values()) {
      if (list.length === 0) continue;
      if (
        !from ||
        list.length > from.length ||
        (list.length === from.length && list[0]!.number > from[0]!.number)
      )
        from = list;
    }
    if (!from) break;
    taken.push(from.shift()!);
  }
  return taken;
}
