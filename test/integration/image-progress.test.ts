/**
 * Progress of the app's own image work against the real Docker engine: the
 * simple-web build reports its steps and ends done; a pull or a build that
 * cannot reach its registry ends failed, with Docker's reason, and a text line
 * for each figure.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../main/engine/errors.js';
import type { ImageProgress } from '../../main/engine/stack/image-progress.js';
import { buildSimpleWeb, pullImage } from '../../main/engine/stack/images.js';
import { docker } from '../support/docker-fixtures.js';
import { testImages } from '../support/images.js';

/** A registry address that refuses at once, on the test's own loopback. */
const NO_REGISTRY = '127.0.0.1:1';

function recorder(): {
  lines: string[];
  figures: ImageProgress[];
  report: (m: string, p?: ImageProgress) => void;
} {
  const lines: string[] = [];
  const figures: ImageProgress[] = [];
  return {
    lines,
    figures,
    report: (message, progress) => {
      lines.push(message);
      if (progress) figures.push(progress);
    },
  };
}

describe('image progress (real Docker)', () => {
  const tag = `discovery-tray-test/progress-web:${randomBytes(4).toString('hex')}`;

  afterAll(async () => {
    await docker
      .getImage(tag)
      .remove({ force: true })
      .catch(() => undefined);
  });

  it('the simple-web build goes through its steps to done, one figure per step at least', async () => {
    const { lines, figures, report } = recorder();
    await buildSimpleWeb(docker, tag, testImages.python, report);
    expect(figures.every((f) => f.image === tag)).toBe(true);
    expect(figures[0]).toMatchObject({ phase: 'building', percent: null, stepsTotal: 0 });
    const last = figures.at(-1)!;
    expect(last).toMatchObject({ phase: 'done', percent: 100 });
    expect(last.stepsDone).toBe(last.stepsTotal);
    expect(last.stepsTotal).toBeGreaterThanOrEqual(5);
    const steps = figures.filter((f) => f.phase === 'building' && f.stepsTotal > 0).map((f) => f.stepsDone);
    expect(new Set(steps).size).toBe(last.stepsTotal);
    expect(lines).toHaveLength(figures.length);
    expect(lines[0]).toBe(`building ${tag} from the simple-web recipe on ${testImages.python}`);
    expect(lines.at(-1)).toBe(`${tag} ready`);
  });

  it('a build whose base cannot be pulled ends failed, with the reason, and a UserError', async () => {
    const { figures, report } = recorder();
    const base = `${NO_REGISTRY}/discovery-tray-test/no-such-base:1`;
    const error = await buildSimpleWeb(docker, `${tag}-failed`, base, report).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(figures.at(-1)).toMatchObject({ phase: 'failed' });
    expect(figures.at(-1)!.message).toMatch(/127\.0\.0\.1:1/);
    expect(figures.filter((f) => f.phase === 'failed')).toHaveLength(1);
  });

  it('a pull that cannot reach its registry ends failed, with the reason, and a UserError', async () => {
    const { lines, figures, report } = recorder();
    const image = `${NO_REGISTRY}/discovery-tray-test/nothing:1`;
    const error = await pullImage(docker, image, '--web-image', report).catch((e: unknown) => e);
    expect((error as UserError).message).toMatch(/^Could not pull 127\.0\.0\.1:1\/.* --web-image\.$/);
    expect(figures.map((f) => f.phase)).toEqual(['pulling', 'failed']);
    expect(lines[0]).toBe(`pulling ${image}`);
    expect(lines[1]).toMatch(new RegExp(`^${image.replace(/[.]/g, '\\.')} failed: .*connection refused`));
  });
});
