/**
 * A log stream that breaks while its lines reach the engine late (a loaded machine) is resumed
 * from where Docker logged the last line delivered, so that the lines still on their way when it
 * broke are delivered again and none is lost (real Docker; a socket in front of it delays each
 * answer by 1.5 s and cuts the stream). Resuming from when the engine received the last line
 * skipped about a second of lines here.
 */
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CounterDedupe } from '../../main/engine/hits/resume-dedupe.js';
import { ResumingLogStream } from '../../main/engine/hits/resuming-log-stream.js';
import { TestResources } from '../support/docker-fixtures.js';
import { testImages } from '../support/images.js';
import { DockerSocketProxy } from '../support/docker-socket-proxy.js';
import { waitFor } from '../support/wait.js';

const LAG_MS = 1500;

describe('a log stream resumed after a break while its lines lag (real Docker)', () => {
  const resources = new TestResources();
  const proxy = new DockerSocketProxy(undefined, undefined, LAG_MS);

  beforeAll(async () => {
    await proxy.listen();
  });

  afterAll(async () => {
    await proxy.close();
    await resources.cleanup();
  });

  it('delivers every line once: none of those on their way is lost, none is counted twice', async () => {
    const container = await resources.run({
      image: testImages.busybox,
      // About 100 numbered lines a second, for at most two minutes.
      cmd: ['sh', '-c', 'i=0; while [ $i -lt 12000 ]; do i=$((i+1)); echo "line $i"; sleep 0.01; done'],
    });
    const dedupe = new CounterDedupe();
    const counted: number[] = [];
    const stream = new ResumingLogStream(
      new Dockerode({ socketPath: proxy.socketPath }).getContainer(container.id),
      (line) => {
        const n = Number(/^line (\d+)$/.exec(line.text)?.[1]);
        if (Number.isInteger(n) && dedupe.accept(n)) counted.push(n);
      },
      { sinceSeconds: 0, onResume: () => dedupe.resumed() },
    );
    try {
      await waitFor('lines through the lagging socket', () => counted.length >= 200 || undefined, {
        timeoutMs: 20_000,
        intervalMs: 50,
      });
      const beforeCut = counted.at(-1)!;
      expect(stream.open).toBe(true);
      proxy.cut();
      // Lines logged well after the cut arrive through the reopened stream.
      await waitFor('lines logged after the cut', () => counted.at(-1)! > beforeCut + 400 || undefined, {
        timeoutMs: 30_000,
        intervalMs: 50,
      });
      expect(stream.resumes).toBeGreaterThanOrEqual(1);
      const missing: number[] = [];
      const seen = new Set(counted);
      for (let n = 1; n <= counted.at(-1)!; n++) if (!seen.has(n)) missing.push(n);
      console.info(
        `cut after line ${beforeCut}; ${counted.length} lines counted up to ${counted.at(-1)}, ${missing.length} missing${missing.length > 0 ? ` (${missing[0]}–${missing.at(-1)})` : ''}`,
      );
      expect(missing).toEqual([]);
      expect(counted.length).toBe(seen.size);
    } finally {
      stream.close();
      await stream.done;
    }
  }, 90_000);
});
