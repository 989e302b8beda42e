/**
 * The N-th backend, timed: with N - 1 web backends routed, `web` is scaled to
 * N while two probes ask the LB on 127.0.0.1 every 10 ms (one request every
 * 5 ms); the clock stops at the first answer from the new container. Read from
 * the engine's timeline: from its start event (what the user feels) and from its
 * registration (the registration → new config serving figure).
 */
import { probe } from '../main/engine/traffic/http-probe.js';
import type { TestEngine } from '../test/support/engine-fixture.js';

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export interface NthBackend {
  startToServedMs: number;
  registeredToServedMs: number;
  /** Where that went, from the registration: the config rendered with it, nginx reloaded with it. */
  registeredToRenderedMs: number;
  registeredToReloadedMs: number;
}

export async function timeNthBackend({ engine, app }: TestEngine, n: number): Promise<NthBackend> {
  const instances = (): { containerId: string; address: string; containerName: string }[] =>
    app.getStatus().services.find((s) => s.name === 'web')?.instances ?? [];
  const url = app.getStatus().lb.url;
  const served: { at: number; backend: string }[] = [];
  let probing = true;
  // Bounded: at most 6,000 requests or 30 s (a scale at 100 backends renders a larger config).
  const deadline = Date.now() + 30_000;
  let budget = 6000;
  const prober = async (offsetMs: number): Promise<void> => {
    let next = performance.now() + offsetMs;
    while (probing && budget-- > 0 && Date.now() < deadline) {
      await sleep(next - performance.now());
      next += 10;
      const result = await probe(url, 'get', { timeoutMs: 5000 });
      if (result.ok && result.backend) served.push({ at: now(), backend: result.backend });
    }
  };
  const before = new Set(instances().map((i) => i.containerId));
  const probers = [prober(0), prober(5)];
  try {
    const result = await app.call('scale', { service: 'web', count: n });
    if (result.running !== n)
      throw new Error(`scale to ${n} ended with ${result.running}: ${result.warnings.join('; ')}`);
    const fresh = instances().find((i) => !before.has(i.containerId));
    if (!fresh) throw new Error(`the scale to ${n} made no new instance`);
    const first = (): { at: number } | undefined => served.find((s) => s.backend === fresh.address);
    while (!first() && Date.now() < deadline) await sleep(5);
    const events = engine.timeline.list().filter((e) => e.containerId === fresh.containerId);
    const started = events.find((e) => e.kind === 'container-started');
    const registered = events.find((e) => e.kind === 'registered');
    const answer = first();
    if (!started || !registered || !answer)
      throw new Error(
        `${fresh.containerName} at N=${n}: ${answer ? 'missing timeline steps' : 'no answer in 30 s'} ` +
          `(${events.map((e) => e.kind).join(', ') || 'no timeline'})`,
      );
    const after = (kind: string): number =>
      (events.find((e) => e.kind === kind && e.at >= registered.at)?.at ?? Number.NaN) - registered.at;
    return {
      startToServedMs: answer.at - started.at,
      registeredToServedMs: answer.at - registered.at,
      registeredToRenderedMs: after('template-rendered'),
      registeredToReloadedMs: after('lb-reloaded'),
    };
  } finally {
    probing = false;
    await Promise.all(probers);
  }
}
