/**
 * An apply that timed out on the LB channel can still reach the supervisor
 * later, after a newer config went live by docker exec. It must not replace
 * the newer config (real nginx in the local LB image).
 */
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execInContainer } from '../../main/engine/docker/exec.js';
import type { LbController } from '../../main/engine/lb/lb-controller.js';
import { SUPERVISOR_SCRIPT } from '../../main/engine/lb/nginx-files.js';
import { startTestLb, type TestLb } from '../support/lb-fixture.js';
import { freshGetText } from '../support/fresh-get.js';
import { waitFor } from '../support/wait.js';

function answering(text: string): string {
  return `server {\n  listen 80 default_server;\n  location / { return 200 "${text}\\n"; }\n}\n`;
}

describe('stale LB applies (real nginx)', () => {
  let testLb: TestLb;
  let lbUrl: string;
  let container: Dockerode.Container;
  let lb: LbController;

  beforeAll(async () => {
    testLb = await startTestLb({ reloadTimeoutMs: 1000 });
    ({ url: lbUrl, container, lb } = testLb);
  });

  afterAll(async () => {
    await testLb?.remove();
  });

  async function served(): Promise<string> {
    return freshGetText(lbUrl);
  }

  /** The supervisor's reader: the second process running the supervisor script (PID 1 is the first). */
  async function readerPid(): Promise<number> {
    const script = `for d in /proc/[0-9]*; do p=\${d#/proc/}; case "$p" in 1|$$) continue ;; esac; case "$(tr '\\0' ' ' < $d/cmdline 2>/dev/null)" in *${SUPERVISOR_SCRIPT}*) echo $p ;; esac; done`;
    // The supervisor's subshells of a request just served carry the same command line for a
    // moment (eight of them once in CI, on a slow machine): the reader is the one that stays.
    return waitFor(
      'one supervisor reader',
      async () => {
        const { output } = await execInContainer(container, ['sh', '-c', script]);
        const pids = output.split(/\s+/).filter(Boolean).map(Number);
        return pids.length === 1 ? pids[0] : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
  }

  it('refuses an apply older than the newest one it has applied', async () => {
    expect(await lb.apply(answering('first'))).toHaveProperty('applied');
    expect(await served()).toBe('first');

    // The supervisor stalls (a busy machine): the next request times out on the channel.
    const reader = await readerPid();
    await execInContainer(container, ['kill', '-STOP', String(reader)]);
    try {
      // Times out on the channel, then goes by exec.
      expect(await lb.apply(answering('older'))).toHaveProperty('applied');
      expect(await lb.apply(answering('newest'))).toHaveProperty('applied');
      expect(await served()).toBe('newest');
    } finally {
      await execInContainer(container, ['kill', '-CONT', String(reader)]);
    }
    // The stalled supervisor now reads the request that timed out, and its apply takes well under 2 s.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await served()).toBe('newest');
    expect(lb.status().config).toBe(answering('newest'));
  });
});
