/**
 * After a HUP, nginx's master starts the new worker and tells the old one to stop only 100 ms
 * later; until then the old worker takes new connections and routes them by the old config. The
 * apply script tells the old workers itself as soon as a new one runs (nginx-files.ts applyScript).
 * Real nginx in the local LB image.
 */
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LbController } from '../../main/engine/lb/lb-controller.js';
import type { Timeline } from '../../main/engine/timeline.js';
import { shellNumber, startTestLb, type TestLb } from '../support/lb-fixture.js';

/** One upstream over backends inside the LB itself (ports 8081, 8082), each answering its name. */
function config(port: number): string {
  const answers = [8081, 8082]
    .map((p) => `server {\n  listen ${p};\n  location / { return 200 "b${p}\\n"; }\n}`)
    .join('\n');
  return `upstream app {\n  server 127.0.0.1:${port} max_fails=3 fail_timeout=60 weight=1;\n}\n${answers}\nserver {\n  listen 80 default_server;\n  location / { proxy_pass http://app; }\n}\n`;
}

describe('the hand-over from old to new nginx workers on an apply (real nginx)', () => {
  let testLb: TestLb;
  let container: Dockerode.Container;
  let lb: LbController;
  let timeline: Timeline;

  beforeAll(async () => {
    testLb = await startTestLb();
    ({ container, lb, timeline } = testLb);
  });

  afterAll(async () => {
    await testLb?.remove();
  });

  /** The LB's processes titled as a worker that takes connections (not one shutting down). */
  async function acceptingWorkers(): Promise<number> {
    return shellNumber(
      container,
      'n=0; for f in /proc/[0-9]*/cmdline; do t=""; read -r t < $f 2>/dev/null; case "$t" in *"worker process") n=$((n+1)) ;; esac; done; echo $n',
    );
  }

  it('stops the old worker taking connections as soon as the new one runs, not 100 ms later', async () => {
    expect(await lb.apply(config(8081))).toHaveProperty('applied');
    const handovers: number[] = [];
    for (let i = 0; i < 6; i++) {
      const port = i % 2 === 0 ? 8082 : 8081;
      const since = performance.timeOrigin + performance.now();
      expect(await lb.apply(config(port))).toHaveProperty('applied');
      const marks = timeline.marks(since);
      const serving = marks.findLast((m) => m.step === 'workers-serving');
      const answered = marks.findLast((m) => m.step === 'apply-answered');
      // From the new worker's first sight to the last old one no longer accepting, on the LB's clock.
      handovers.push(answered!.at - serving!.at);
      const response = await fetch(testLb.url, { signal: AbortSignal.timeout(2000) });
      expect((await response.text()).trim()).toBe(`b${port}`);
      // Past nginx's own 100 ms: the next HUP is not held by the master's wait after this one.
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    handovers.sort((a, b) => a - b);
    // nginx alone: never under ~90 ms (its master waits 100 ms after starting the new worker).
    expect(handovers[Math.floor(handovers.length / 2)]).toBeLessThan(60);
    // The old workers exit once idle, and the master starts none in their place: one worker serves.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await acceptingWorkers()).toBe(1);
  });
});
