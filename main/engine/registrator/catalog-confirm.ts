/**
 * A registration put on an agent is not yet in the catalog: the agent copies it there in the
 * background (its anti-entropy sync), and when that copy fails — as it does while the cluster is
 * choosing a new leader, just when the engine has moved off a server that stopped — Consul tries
 * again only on the agent's next change or its next full sync, up to a minute later. Meanwhile the
 * catalog lists the copies on the node the engine left, and once that node is declared failed,
 * nothing: an empty upstream. So after registrations are put back, this asks the catalog whether
 * the agent's node lists them, and sends the missing ones again (each registration makes the
 * agent sync its changes again) until it does, within a bound.
 */
import type Consul from 'consul';
import { delay } from '../backoff.js';
import { callTimeout } from '../consul/consul-connection.js';

export const CATALOG_CONFIRM_LIMITS = {
  /** How long to wait for the catalog before going on without it (and saying so). */
  boundMs: 20_000,
  /** The first look comes at once; the next ones back off to this. */
  maxIntervalMs: 1000,
  /** Missing this long after being put back: sent again, to make the agent sync again. */
  resendAfterMs: 500,
  callTimeoutMs: 2000,
} as const;

export type CatalogConfirmation =
  /** Every ID is listed on the agent's node. */
  | { state: 'confirmed' }
  /** The agent or catalog cannot be asked (no node name, an ACL token without node:read): not checked. */
  | { state: 'unknown' }
  /** Still missing at the bound. */
  | { state: 'timed-out'; missing: string[] }
  | { state: 'aborted' };

export interface CatalogConfirmOptions {
  consul: Consul;
  /** The service IDs the agent should have now (read again on every look: they may change). */
  ids: () => readonly string[];
  /** Puts these registrations on the agent again. */
  resend: (ids: readonly string[]) => Promise<void>;
  signal: AbortSignal;
  limits?: Partial<typeof CATALOG_CONFIRM_LIMITS>;
}

export async function confirmInCatalog(options: CatalogConfirmOptions): Promise<CatalogConfirmation> {
  const limits = { ...CATALOG_CONFIRM_LIMITS, ...options.limits };
  const startedAt = Date.now();
  const node = await agentNode(options.consul, limits.callTimeoutMs);
  if (!node) return { state: 'unknown' };
  let intervalMs = 50;
  let lastResendAt = startedAt;
  for (;;) {
    if (options.signal.aborted) return { state: 'aborted' };
    const listed = await nodeServiceIds(options.consul, node, limits.callTimeoutMs);
    if (listed === 'forbidden') return { state: 'unknown' };
    // No answer (no leader yet, a timeout): every ID counts as missing, and the next look comes.
    const missing = options.ids().filter((id) => !listed?.has(id));
    if (missing.length === 0) return { state: 'confirmed' };
    const now = Date.now();
    if (now - startedAt >= limits.boundMs) return { state: 'timed-out', missing };
    if (now - lastResendAt >= limits.resendAfterMs) {
      lastResendAt = now;
      await options.resend(missing).catch(() => undefined);
    }
    await delay(intervalMs, options.signal);
    intervalMs = Math.min(intervalMs * 2, limits.maxIntervalMs);
  }
}

async function agentNode(consul: Consul, timeoutMs: number): Promise<string | undefined> {
  try {
    const self = (await consul.agent.self(callTimeout(timeoutMs))) as { Config?: { NodeName?: string } };
    return self.Config?.NodeName || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The IDs the catalog lists on `node` (none for a node it does not know yet); undefined when the
 * catalog did not answer; 'forbidden' when the token may not read it (it never will).
 */
async function nodeServiceIds(
  consul: Consul,
  node: string,
  timeoutMs: number,
): Promise<Set<string> | 'forbidden' | undefined> {
  try {
    const answer = (await consul.catalog.node.services({ node, ...callTimeout(timeoutMs) })) as {
      Services?: Record<string, { ID?: string }> | null;
    } | null;
    return new Set(Object.values(answer?.Services ?? {}).map((s) => s.ID ?? ''));
  } catch (error) {
    const status = (error as { response?: { statusCode?: number } }).response?.statusCode;
    return status === 403 ? 'forbidden' : undefined;
  }
}
