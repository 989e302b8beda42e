/**
 * Image progress from Docker's real progress streams, recorded in
 * test/fixtures (a pull through a local registry, the same pull cut and
 * retried, the simple-web build that pulls its base, a build whose base is
 * missing), replayed on their own clock.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ImageProgressTracker,
  formatImageProgress,
  type DockerProgressEvent,
  type ImageProgress,
} from '../../main/engine/stack/image-progress.js';

interface Recording {
  image: string;
  events: { t: number; event: DockerProgressEvent }[];
}

function recording(name: string): Recording {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8')) as Recording;
}

/** Replays a recording; returns what was emitted, and the figure after each event. */
function replay(
  name: string,
  kind: 'pull' | 'build',
  throttleMs = 250,
): { emitted: ImageProgress[]; after: ImageProgress[]; tracker: ImageProgressTracker; rec: Recording } {
  const rec = recording(name);
  let now = 0;
  const emitted: ImageProgress[] = [];
  const tracker = new ImageProgressTracker(rec.image, kind, (p) => emitted.push(p), {
    throttleMs,
    now: () => now,
  });
  tracker.start('');
  const after: ImageProgress[] = [];
  for (const { t, event } of rec.events) {
    now = t;
    tracker.event(event);
    after.push(tracker.snapshot());
  }
  return { emitted, after, tracker, rec };
}

/** The largest size Docker gave for each layer it downloaded. */
function layerSizes(rec: Recording): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const { event } of rec.events) {
    if (event.status === 'Downloading' && event.id && event.progressDetail?.total)
      sizes.set(event.id, Math.max(sizes.get(event.id) ?? 0, event.progressDetail.total));
  }
  return sizes;
}

describe('a pull', () => {
  it('sums the layers: three to fetch, one already there, bytes of the fetched ones', () => {
    const { after, tracker, rec } = replay('docker-pull-events', 'pull');
    const sizes = layerSizes(rec);
    expect(sizes.size).toBe(3);
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    const last = after.at(-1)!;
    expect(last).toMatchObject({
      phase: 'pulling',
      layersDone: 4,
      layersTotal: 4,
      bytesDone: total,
      bytesTotal: total,
      percent: 99,
      message: `Status: Downloaded newer image for ${rec.image}`,
    });
    expect(tracker.finish()).toMatchObject({ phase: 'done', percent: 100, bytesDone: total });
  });

  it('rises steadily: never back, and through the middle, not in one jump at the end', () => {
    const { after } = replay('docker-pull-events', 'pull');
    const percents = after.map((p) => p.percent).filter((p): p is number => p !== null);
    for (let i = 1; i < percents.length; i += 1) expect(percents[i]).toBeGreaterThanOrEqual(percents[i - 1]!);
    const middle = new Set(percents.filter((p) => p > 10 && p < 90).map((p) => Math.floor(p / 10)));
    expect(middle.size).toBeGreaterThanOrEqual(5);
  });

  it('counts a layer by what was downloaded of it until it is complete', () => {
    const { after, rec } = replay('docker-pull-events', 'pull');
    // The first moment the 7 MB layer is complete while the 24 MB one is still on its way.
    const sizes = layerSizes(rec);
    const medium = [...sizes].find(([, size]) => size > 1e6 && size < 1e7)![0];
    const index = rec.events.findIndex(
      (e) => e.event.id === medium && e.event.status === 'Download complete',
    );
    const large = [...sizes].find(([, size]) => size > 1e7)![0];
    const largeSoFar = rec.events
      .slice(0, index + 1)
      .filter((e) => e.event.id === large && e.event.status === 'Downloading')
      .at(-1)?.event.progressDetail?.current;
    const figure = after[index]!;
    expect(figure.bytesDone).toBe(
      sizes.get(medium)! +
        sizes.get([...sizes.keys()].find((id) => sizes.get(id)! < 1000)!)! +
        (largeSoFar ?? 0),
    );
    expect(figure.layersDone).toBe(1); // the one that already existed: downloaded is not yet in place
    expect(figure.percent).toBeGreaterThan(0);
    expect(figure.percent).toBeLessThan(80);
  });

  it('sends a figure at most every 250 ms of the stream, plus the first and the last', () => {
    const { emitted, rec, tracker } = replay('docker-pull-events', 'pull');
    tracker.finish();
    const span = rec.events.at(-1)!.t - rec.events[0]!.t;
    expect(emitted.length).toBeLessThanOrEqual(Math.ceil(span / 250) + 2);
    expect(emitted.length).toBeGreaterThanOrEqual(Math.floor(span / 250) / 2);
    expect(emitted[0]).toMatchObject({ phase: 'pulling', percent: null, layersTotal: 0 });
    expect(emitted.at(-1)).toMatchObject({ phase: 'done', percent: 100 });
    expect(emitted.filter((p) => p.phase === 'done')).toHaveLength(1);
  });

  it('starts a cut layer over when Docker retries it, and says so', () => {
    const { after, tracker } = replay('docker-pull-retry-events', 'pull');
    const retrying = after.find((p) => p.message.includes('Retrying in 5 seconds'))!;
    expect(retrying.message).toMatch(/^[0-9a-f]{12}: Retrying in 5 seconds$/);
    const before = after[after.indexOf(retrying) - 1]!;
    expect(retrying.bytesDone).toBeLessThan(before.bytesDone);
    expect(tracker.finish()).toMatchObject({ phase: 'done', layersDone: 4, layersTotal: 4 });
  });

  it('reads as one line of text for logs', () => {
    const { after } = replay('docker-pull-events', 'pull');
    const middle = after.find((p) => p.percent !== null && p.percent >= 40)!;
    expect(formatImageProgress(middle)).toMatch(
      /^pulling 127\.0\.0\.1:5001\/discovery-tray-test\/pull-demo:rec: [1-3]\/4 layers, \d+\.\d MB of 31\.\d MB \(\d\d%\)$/,
    );
    expect(formatImageProgress({ ...after.at(-1)!, phase: 'done' })).toBe(
      '127.0.0.1:5001/discovery-tray-test/pull-demo:rec ready (31.0 MB pulled)',
    );
  });
});

describe('a build', () => {
  it('follows the steps, with the base image pull inside its FROM step', () => {
    const { emitted, tracker } = replay('docker-build-events', 'build');
    tracker.finish();
    const steps = emitted.filter((p) => p.stepsTotal > 0).map((p) => p.stepsDone);
    expect(steps[0]).toBe(0);
    expect(new Set(steps)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
    for (let i = 1; i < steps.length; i += 1) expect(steps[i]).toBeGreaterThanOrEqual(steps[i - 1]!);
    const duringFrom = emitted.filter((p) => p.stepsDone === 1 && p.layersTotal > 0);
    expect(duringFrom.length).toBeGreaterThan(3);
    expect(duringFrom.at(-1)!.percent!).toBeGreaterThan(duringFrom[0]!.percent!);
    expect(duringFrom.every((p) => p.percent! >= 14 && p.percent! < 29)).toBe(true);
    expect(emitted.at(-1)).toMatchObject({ phase: 'done', stepsDone: 7, stepsTotal: 7, percent: 100 });
  });

  it('reads as lines of text: the step, and the base pull while it runs', () => {
    const { emitted } = replay('docker-build-events', 'build');
    const lines = emitted.map(formatImageProgress);
    expect(lines).toContain('building discovery-tray-test/recorded-web:rec: step 1/7 (0%)');
    expect(
      lines.some((l) => /: step 2\/7, pulling its base: 1\/4 layers, .* MB of .* MB \(\d+%\)$/.test(l)),
    ).toBe(true);
  });

  it("fails with Docker's own words when the base is missing", () => {
    const { emitted, tracker } = replay('docker-build-fail-events', 'build');
    expect(tracker.error).toMatch(
      /^manifest for 127\.0\.0\.1:5001\/discovery-tray-test\/missing:rec not found/,
    );
    expect(emitted.at(-1)).toMatchObject({ phase: 'failed', stepsDone: 1, stepsTotal: 7 });
    expect(formatImageProgress(emitted.at(-1)!)).toMatch(
      /^discovery-tray-test\/recorded-web:fail failed: manifest/,
    );
    // Nothing after the end changes the figure, nor sends another.
    const count = emitted.length;
    tracker.finish();
    tracker.event({ stream: 'Step 3/7 : COPY server.py /simple-web/server.py' });
    expect(emitted).toHaveLength(count);
  });
});
