/** What the Consul failover tests read: Consul's HTTP API, the LB's config and the engine's timeline. */
import type { Engine } from '../../main/engine/engine.js';
import { waitFor } from './wait.js';

export interface HealthEntry {
  Node: { Node: string };
  Service: { ID: string };
  Checks: { CheckID: string; Status: string }[];
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  return (await response.json()) as T;
}

/** How many backends the LB's live config routes. */
export function routedBackends(engine: Engine): number {
  return (engine.status().lb.config ?? '').match(/server \d+\.\d+\.\d+\.\d+:\d+ max_fails/g)?.length ?? 0;
}

/** The IDs of the web instances the engine registered, sorted. */
export function webInstanceIds(engine: Engine): string[] {
  return engine
    .status()
    .services.flatMap((svc) => (svc.name === 'web' ? svc.instances.map((i) => i.id) : []))
    .sort();
}

/** The engine's last timeline events, one line each, for a failure's log. */
export function recentTimeline(engine: Engine, count = 40): string {
  return engine.timeline
    .recent(count)
    .map((e) => `${new Date(e.at).toISOString()} ${e.kind} ${e.message}`)
    .join('\n');
}

/** Waits until the engine uses another Consul agent than `url` and is connected; resolves with its URL. */
export function engineMovedOff(engine: Engine, url: string): Promise<string> {
  return waitFor(
    'the engine on another Consul agent',
    () => {
      const consul = engine.status().consul;
      return consul.url !== url && consul.connected ? consul.url : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );
}
