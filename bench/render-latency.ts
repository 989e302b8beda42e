/**
 * Registered in Consul → rendered, for the classic template with 10 instances
 * already in the upstream, against a real Consul and the real nginx LB: the
 * clock starts when Consul has acknowledged an 11th registration and stops
 * at the loop's "template rendered" event. Each sample also waits for the
 * apply, so that the next one starts from a settled loop.
 *
 *   npx tsx bench/render-latency.ts            # 40 samples
 *   COUNT=100 npx tsx bench/render-latency.ts
 */
import { readFile } from 'node:fs/promises';
import { assetPath } from '../main/engine/package-root.js';
import { preciseNow, type TimelineEvent } from '../main/engine/timeline.js';
import { RenderHarness } from '../test/support/render-harness.js';
import { summarize, type Summary } from './stats.js';

export async function measureRenderLatency(count: number): Promise<Summary> {
  const template = await readFile(assetPath('templates', 'nginx.ctmpl'), 'utf8');
  const harness = await RenderHarness.start(template);
  try {
    const register = (n: number): Promise<boolean> =>
      harness.register({
        ID: `bench-${n}`,
        Name: 'web',
        Address: `10.0.1.${n}`,
        Port: 80,
        Tags: ['backend'],
      });
    for (let n = 1; n <= 10; n++) await register(n);
    await harness.waitForConfig('10 instances', (c) => c.includes('10.0.1.10:80'));
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const rendered = new Promise<TimelineEvent>((resolve) => {
        const off = harness.timeline.subscribe((event) => {
          if (event.kind !== 'template-rendered') return;
          off();
          resolve(event);
        });
      });
      await register(11);
      const registeredAt = preciseNow();
      samples.push((await rendered).at - registeredAt);
      await harness.waitForConfig('the 11th instance', (c) => c.includes('10.0.1.11:80'));
      await harness.deregister('bench-11');
      await harness.waitForConfig('the 11th instance to go', (c) => !c.includes('10.0.1.11:80'));
    }
    return summarize(samples);
  } finally {
    await harness.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const summary = await measureRenderLatency(Number(process.env.COUNT ?? 40));
  console.log(
    `registered → rendered (classic template, 10 instances): p50 ${summary.p50} ms, p95 ${summary.p95} ms (n=${summary.n})`,
  );
}
