/**
 * A render or apply that fails is tried again on its own. The loop's watches are set up by a
 * render that worked, so before this a first render that failed (an LB that did not answer, a
 * render thread that loaded slowly on a busy machine) left the loop waiting for a Consul change
 * that never came: the LB served nothing until someone scaled (seen as "no answer in 30 s" in
 * the bench). Real Consul and nginx; the LB container is paused by the test for the first render.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { RenderHarness } from '../support/render-harness.js';

const TEMPLATE = 'server {\n  listen 80 default_server;\n  location / { return 200 "rendered\\n"; }\n}\n';

describe('a first render that fails is tried again (real Consul and nginx)', () => {
  let harness: RenderHarness | undefined;
  afterAll(async () => {
    await harness?.stop();
  });

  it('applies the config once the LB answers again, with no change in Consul to wake it', async () => {
    let paused: (() => Promise<void>) | undefined;
    harness = await RenderHarness.start(TEMPLATE, {
      beforeLoop: async (lb) => {
        await lb.pause();
        paused = () => lb.unpause();
      },
    });
    const failed = (): boolean => harness!.timeline.list().some((e) => e.kind === 'lb-error');
    await expect.poll(failed, { timeout: 20_000, interval: 50 }).toBe(true);
    expect(harness.lb.status().config).toBeUndefined();
    await paused!();
    const config = await harness.waitForConfig(
      'the first config, applied on a retry',
      (c) => c === TEMPLATE,
      40_000,
    );
    expect(config).toBe(TEMPLATE);
    const response = await fetch(`${harness.lbUrl}/`, { signal: AbortSignal.timeout(5000) });
    expect(await response.text()).toBe('rendered\n');
  });
});
