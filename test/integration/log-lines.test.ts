/**
 * A container that writes one endless line cannot grow the engine's memory:
 * log lines are capped (real Docker, a busybox container writing 20 MB without
 * a newline), the overlong line is skipped, and the lines after it still arrive.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_LOG_LINE_CHARS, followLogs, type LogLine } from '../../main/engine/docker/log-lines.js';
import { TestResources, docker } from '../support/docker-fixtures.js';
import { testImages } from '../support/images.js';
import { waitFor } from '../support/wait.js';

const OVERLONG_BYTES = 20 * 1024 * 1024;

describe('log lines from a container (real Docker)', () => {
  const resources = new TestResources();

  afterAll(async () => {
    await resources.cleanup();
  });

  it('skips a 20 MB line without ever holding it, and delivers the lines after it', async () => {
    const container = await resources.run({
      image: testImages.busybox,
      cmd: [
        'sh',
        '-c',
        `echo before; head -c ${OVERLONG_BYTES} /dev/zero | tr '\\0' x; sleep 1; echo; echo after; sleep 60`,
      ],
    });
    const lines: LogLine[] = [];
    let longest = 0;
    const follower = await followLogs(
      docker.getContainer(container.id),
      (line) => {
        longest = Math.max(longest, line.text.length);
        // Keep only short lines: the test must not hold the 20 MB either.
        if (line.text.length < 100) lines.push(line);
      },
      { sinceSeconds: 0 },
    );
    try {
      await waitFor('the line after the overlong one', () => lines.some((l) => l.text === 'after'), {
        timeoutMs: 60_000,
        intervalMs: 100,
      });
      expect(lines.map((l) => l.text)).toEqual(['before', 'after']);
      expect(longest).toBeLessThanOrEqual(MAX_LOG_LINE_CHARS);
    } finally {
      follower.close();
    }
  });
});
