/**
 * Who may register a service ID. SERVICE_ID is set by whoever starts a
 * container, so it cannot be trusted: registering an ID replaces whatever
 * Consul's agent has under it, and deregistering it later removes that. So an
 * ID is refused to a container when another running container holds it (or
 * two containers would deregister each other), and when Consul has it from
 * someone else (no `dt-owner` meta of ours): then it is theirs, and it is left
 * alone.
 */
import { quoteValue } from '../text-limits.js';
import { CONTAINER_META_KEY, OWNER_META_KEY, isOwnedBy, type AgentServiceEntry } from './ownership.js';

export interface IdHolder {
  containerId: string;
  containerName: string;
}

export type Refusal = { kind: 'held'; holder: IdHolder } | { kind: 'foreign'; entry: AgentServiceEntry };

/** The service IDs this registrator's containers hold right now. */
export class ServiceIdClaims {
  private readonly holders = new Map<string, IdHolder>();

  /** Takes `id` for the container, unless another container holds it: then that one is returned. */
  claim(id: string, holder: IdHolder): IdHolder | undefined {
    const current = this.holders.get(id);
    if (current && current.containerId !== holder.containerId) return current;
    this.holders.set(id, holder);
    return undefined;
  }

  /** Lets go of `id` if the container holds it. */
  release(id: string, containerId: string): void {
    if (this.holders.get(id)?.containerId === containerId) this.holders.delete(id);
  }

  releaseAll(containerId: string): void {
    for (const [id, holder] of this.holders) if (holder.containerId === containerId) this.holders.delete(id);
  }

  holderOf(id: string): IdHolder | undefined {
    return this.holders.get(id);
  }

  replaceAll(holders: ReadonlyMap<string, IdHolder>): void {
    this.holders.clear();
    for (const [id, holder] of holders) this.holders.set(id, holder);
  }
}

/** Whether Consul's agent has `id` from someone else (an entry we did not register). */
export function foreignEntry(
  agent: Readonly<Record<string, AgentServiceEntry>>,
  id: string,
  owner: string,
): AgentServiceEntry | undefined {
  const entry = Object.hasOwn(agent, id) ? agent[id] : undefined;
  return entry && !isOwnedBy(entry, owner) ? entry : undefined;
}

export interface IdCandidate {
  holder: IdHolder;
  /** Docker's State.StartedAt: with no other way to decide, the container that started first wins. */
  startedAt?: string;
  ids: readonly string[];
}

/**
 * For a full resync: decides every contested ID at once. An ID Consul has from
 * someone else goes to nobody; otherwise to the container that holds it now,
 * else to the one Consul's entry names, else to the one that started first.
 */
export function assignServiceIds(
  candidates: readonly IdCandidate[],
  current: ServiceIdClaims,
  agent: Readonly<Record<string, AgentServiceEntry>>,
  owner: string,
): { holders: Map<string, IdHolder>; refusals: Map<string, Map<string, Refusal>> } {
  const wanting = new Map<string, IdCandidate[]>();
  for (const candidate of candidates)
    for (const id of candidate.ids) wanting.set(id, [...(wanting.get(id) ?? []), candidate]);

  const holders = new Map<string, IdHolder>();
  const refusals = new Map<string, Map<string, Refusal>>();
  const refuse = (containerId: string, id: string, refusal: Refusal): void => {
    const mine = refusals.get(containerId) ?? new Map<string, Refusal>();
    mine.set(id, refusal);
    refusals.set(containerId, mine);
  };
  for (const [id, claimants] of wanting) {
    const foreign = foreignEntry(agent, id, owner);
    if (foreign) {
      for (const c of claimants) refuse(c.holder.containerId, id, { kind: 'foreign', entry: foreign });
      continue;
    }
    const named = Object.hasOwn(agent, id) ? agent[id]?.Meta?.[CONTAINER_META_KEY] : undefined;
    const winner =
      claimants.find((c) => c.holder.containerId === current.holderOf(id)?.containerId) ??
      claimants.find((c) => c.holder.containerId === named) ??
      [...claimants].sort(
        (a, b) =>
          (a.startedAt ?? '').localeCompare(b.startedAt ?? '') ||
          a.holder.containerId.localeCompare(b.holder.containerId),
      )[0]!;
    holders.set(id, winner.holder);
    for (const c of claimants)
      if (c !== winner) refuse(c.holder.containerId, id, { kind: 'held', holder: winner.holder });
  }
  return { holders, refusals };
}

/** The warning a refused container gets, naming what to change. */
export function refusalMessage(label: string, id: string, refusal: Refusal): string {
  if (refusal.kind === 'held')
    return (
      `${label}: service ID ${quoteValue(id)} is already used by container ${refusal.holder.containerName}; not registered ` +
      `(give each container its own SERVICE_ID, or restart this one once ${refusal.holder.containerName} is gone)`
    );
  const owner = refusal.entry.Meta?.[OWNER_META_KEY];
  return (
    `${label}: service ID ${quoteValue(id)} is already registered in Consul by someone else ` +
    `(service ${quoteValue(refusal.entry.Service)}${owner ? `, owner ${quoteValue(owner)}` : ''}); ` +
    `not registered, and theirs is left alone (choose another SERVICE_ID)`
  );
}
