/**
 * A config that differs from the running one only in its backend addresses goes live without
 * `nginx -t` (config-shape.ts); any other config is still checked (real nginx in the local LB image).
 * To tell a skipped check from a passed one, the test breaks the file `nginx -t` reads
 * (the candidate's main config): a checked apply is then refused, a swap still goes live.
 */
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execInContainer } from '../../main/engine/docker/exec.js';
import type { LbController } from '../../main/engine/lb/lb-controller.js';
import { CANDIDATE_CONF, mainConfig } from '../../main/engine/lb/nginx-files.js';
import type { Timeline } from '../../main/engine/timeline.js';
import { startTestLb, type TestLb } from '../support/lb-fixture.js';
import { freshGetText } from '../support/fresh-get.js';

/** Backends inside the LB itself (ports 8081…), each answering its own name, behind one upstream. */
function config(backends: readonly number[], extra = ''): string {
  const servers = backends
    .map((port) => `  server 127.0.0.1:${port} max_fails=3 fail_timeout=60 weight=1;`)
    .join('\n');
  const answers = [8081, 8082, 8083]
    .map((port) => `server {\n  listen ${port};\n  location / { return 200 "b${port}\\n"; }\n}`)
    .join('\n');
  return `upstream app {\n${servers}\n}\n${answers}\nserver {\n  listen 80 default_server;\n  location / { proxy_pass http://app; }\n}\n${extra}`;
}

describe('configs that only change backend addresses (real nginx)', () => {
  let testLb: TestLb;
  let lbUrl: string;
  let container: Dockerode.Container;
  let lb: LbController;
  let timeline: Timeline;

  beforeAll(async () => {
    testLb = await startTestLb({ reloadTimeoutMs: 2000 });
    ({ url: lbUrl, container, lb, timeline } = testLb);
  });

  afterAll(async () => {
    await testLb?.remove();
  });

  /** The answers of `count` requests in a row (bounded: each within 2 s). */
  async function answers(count: number): Promise<Set<string>> {
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) {
      seen.add(await freshGetText(lbUrl));
    }
    return seen;
  }

  async function breakTheCheck(broken: boolean): Promise<void> {
    const text = broken ? 'this is not an nginx config;\n' : mainConfig('candidate');
    const result = await execInContainer(container, [
      'sh',
      '-c',
      `printf '%s' "$1" > ${CANDIDATE_CONF}`,
      'write',
      text,
    ]);
    expect(result.exitCode).toBe(0);
  }

  const skipped = (): number =>
    timeline.list().filter((e) => e.kind === 'lb-reloaded' && e.message.includes('no nginx -t needed'))
      .length;

  it('skips the check for new backend addresses only, and checks everything else', async () => {
    // The first config of an LB is always checked.
    expect(await lb.apply(config([8081]))).toHaveProperty('applied');
    expect(skipped()).toBe(0);
    expect(await answers(3)).toEqual(new Set(['b8081']));

    await breakTheCheck(true);
    try {
      // One more backend, another one: only addresses changed, so no `nginx -t` (which would now fail).
      expect(await lb.apply(config([8081, 8082]))).toHaveProperty('applied');
      expect(await answers(4)).toEqual(new Set(['b8081', 'b8082']));
      expect(await lb.apply(config([8082, 8083]))).toHaveProperty('applied');
      expect(await answers(4)).toEqual(new Set(['b8082', 'b8083']));
      expect(skipped()).toBe(2);

      // Another line changed: checked, and the broken check refuses it; the last good config serves on.
      const outcome = await lb.apply(config([8081], '# another shape\n'));
      expect(outcome).toHaveProperty('refused');
      expect(await answers(4)).toEqual(new Set(['b8082', 'b8083']));
    } finally {
      await breakTheCheck(false);
    }

    // With the check whole again, the same config passes it.
    expect(await lb.apply(config([8081], '# another shape\n'))).toHaveProperty('applied');
    expect(await answers(3)).toEqual(new Set(['b8081']));
    expect(skipped()).toBe(2);
  });
});
