/**
 * A log stream resumed while its lines reach the engine late (a loaded machine) delivers every
 * line once: it goes on from where Docker logged the last line delivered, so the lines still on
 * their way are asked for again, and the replayed ones are dropped (real Docker; a socket in front
 * of it hands each answer on 1.5 s late, and cuts the stream). Resuming from when the engine got
 * the last line skipped a second and more of lines here.
 */
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResumingLogStream } from '../../main/engine/hits/resuming-log-stream.js';
import { DockerSocketProxy } from '../support/docker-socket-proxy.js';
import { TestResources } from '../support/docker-fixtures.js';
import { testImages } from '../support/images.js';
import { waitFor } from '../support/wait.js';

const LAG_MS = 1500;
/** About 100 numbered lines a second, for at most two minutes. */
const COUNTING = ['sh', '-c', 'i=0; while [ $i -lt 12000 ]; do i=$((i+1)); echo "line $i"; sleep 0.01; done'];

/** Line numbers as they are delivered. */
function collector(): { numbers: number[]; onLine: (line: { text: string }) => void } {
  const numbers: number[] = [];
  return {
    numbers,
    onLine: (line) => {
      const n = Number(/^line (\d+)$/.exec(line.text)?.[1]);
      if (Number.isInteger(n)) numbers.push(n);
    },
  };
}

/** 1..last each exactly once, in order. */
function expectEveryLineOnce(numbers: number[], what: string): void {
  const last = numbers.at(-1)!;
  const seen = new Set(numbers);
  const missing: number[] = [];
  for (let n = 1; n <= last; n++) if (!seen.has(n)) missing.push(n);
  console.info(
    `${what}: ${numbers.length} lines delivered up to ${last}, ${missing.length} missing${missing.length > 0 ? ` (${missing[0]}–${missing.at(-1)})` : ''}, ${numbers.length - seen.size} twice`,
  );
  expect(missing).toEqual([]);
  expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  expect(numbers.length).toBe(seen.size);
}

describe('a log stream that goes on after a break while its lines lag (real Docker)', () => {
  const resources = new TestResources();
  const proxy = new DockerSocketProxy(undefined, undefined, LAG_MS);
  const viaProxy = (): Dockerode => new Dockerode({ socketPath: proxy.socketPath });

  beforeAll(async () => {
    await proxy.listen();
  });

  afterAll(async () => {
    await proxy.close();
    await resources.cleanup();
  });

  it('delivers every line once after its connection is cut: none on its way is lost, none twice', async () => {
    const container = await resources.run({ image: testImages.busybox, cmd: COUNTING });
    const { numbers, onLine } = collector();
    let resumed = 0;
    const stream = new ResumingLogStream(viaProxy().getContainer(container.id), onLine, {
      sinceSeconds: 0,
      onResumed: () => resumed++,
    });
    try {
      await waitFor('lines through the lagging socket', () => numbers.length >= 200 || undefined, {
        timeoutMs: 20_000,
        intervalMs: 50,
      });
      const beforeCut = numbers.at(-1)!;
      expect(stream.open).toBe(true);
      proxy.cut();
      // Lines logged well after the cut arrive through the reopened stream.
      await waitFor('lines logged after the cut', () => numbers.at(-1)! > beforeCut + 400 || undefined, {
        timeoutMs: 30_000,
        intervalMs: 50,
      });
      expect(resumed).toBeGreaterThanOrEqual(1);
      expectEveryLineOnce(numbers, `cut after line ${beforeCut}`);
    } finally {
      stream.close();
      await stream.done;
    }
  }, 90_000);

  it('goes on exactly where a closed stream stopped, when given its position (a host that is back)', async () => {
    const container = await resources.run({ image: testImages.busybox, cmd: COUNTING });
    const { numbers, onLine } = collector();
    const first = new ResumingLogStream(viaProxy().getContainer(container.id), onLine, { sinceSeconds: 0 });
    await waitFor('lines through the lagging socket', () => numbers.length >= 200 || undefined, {
      timeoutMs: 20_000,
      intervalMs: 50,
    });
    first.close();
    const closedAt = numbers.at(-1)!;
    await first.done;
    // Lines that were on their way when it closed were not delivered, and never will be by it.
    expect(numbers.at(-1)).toBe(closedAt);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const second = new ResumingLogStream(viaProxy().getContainer(container.id), onLine, {
      position: first.position,
    });
    try {
      await waitFor('lines logged after the close', () => numbers.at(-1)! > closedAt + 300 || undefined, {
        timeoutMs: 30_000,
        intervalMs: 50,
      });
      expectEveryLineOnce(numbers, `closed after line ${closedAt}`);
    } finally {
      second.close();
      await second.done;
    }
  }, 90_000);
});
