/**
 * The progress of a real start reaches a front end that only speaks HTTP: the engine builds
 * simple-web (its name is the default and the image is missing, so a real build runs) while a
 * client reads GET /api/events; `progress` frames carry the typed figures of that build up to
 * done at 100 %, and GET /api/progress answers the same last figure afterwards.
 * Real Docker, Consul and nginx; a user's own simple-web, if there is one, is set aside and put back.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, ImageProgress } from '../../contract/index.js';
import { Engine } from '../../main/engine/engine.js';
import { DEFAULT_WEB_IMAGE } from '../../main/engine/stack/stack-config.js';
import type { ControlServer } from '../../main/server/control-server.js';
import { sseFrames } from '../../main/server/sse-frames.js';
import { DiscoveryService } from '../../main/service/discovery-service.js';
import { docker } from '../support/docker-fixtures.js';
import { controlServerFor, removeTestStack, testEngineConfig } from '../support/engine-fixture.js';
import { testImages } from '../support/images.js';
import { waitFor } from '../support/wait.js';

const TOKEN = 'progress-test-token-0123456789abcdef';
/** A build on the local Python base takes seconds; a busy shared machine gets ample slack. */
const START_TIMEOUT_MS = 150_000;

interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads the stream's frames into `events` until `abort` fires. */
async function readEvents(url: string, events: SseEvent[], abort: AbortController): Promise<void> {
  const response = await fetch(url, { signal: abort.signal });
  expect(response.status).toBe(200);
  try {
    for await (const { event, data } of sseFrames(response.body as AsyncIterable<Uint8Array>)) {
      events.push({ event, data: JSON.parse(data) as unknown });
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  }
}

/** Where a user's own simple-web waits while the test builds its own under the default name. */
const ASIDE = `discovery-tray-test/aside-simple-web:${randomBytes(4).toString('hex')}`;

async function imageExists(name: string): Promise<boolean> {
  return docker
    .getImage(name)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

/** Moves the tag `from` to `to`, keeping the image (another tag still names it). */
async function moveTag(from: string, to: string): Promise<void> {
  const [repo, tag] = [to.slice(0, to.lastIndexOf(':')), to.slice(to.lastIndexOf(':') + 1)];
  await docker.getImage(from).tag({ repo, tag });
  await docker.getImage(from).remove({ noprune: true });
}

describe('progress over the event stream (real Docker, Consul, nginx)', () => {
  let engine: Engine | undefined;
  let app: DiscoveryService;
  let server: ControlServer | undefined;
  let setAside = false;

  beforeAll(async () => {
    setAside = await imageExists(DEFAULT_WEB_IMAGE);
    if (setAside) await moveTag(DEFAULT_WEB_IMAGE, ASIDE);
    const config = await testEngineConfig({
      webCount: 1,
      images: {
        consul: testImages.consul,
        lb: testImages.lb,
        web: DEFAULT_WEB_IMAGE,
        webBase: testImages.python,
      },
    });
    engine = new Engine(config);
    app = new DiscoveryService(engine);
    server = controlServerFor(app, TOKEN);
    await server.listen();
  });

  afterAll(async () => {
    await server?.close();
    await removeTestStack({ engine });
    // The image this test built goes; the user's own comes back under its name.
    await docker
      .getImage(DEFAULT_WEB_IMAGE)
      .remove({ force: true })
      .catch(() => undefined);
    if (setAside) await moveTag(ASIDE, DEFAULT_WEB_IMAGE);
  });

  it(
    'streams typed progress frames of the simple-web build up to done at 100 %, and getProgress agrees',
    async () => {
      const api = server!.address.url;
      const events: SseEvent[] = [];
      const abort = new AbortController();
      const reading = readEvents(`${api}/api/events?token=${TOKEN}`, events, abort);
      await waitFor('the event stream to be open', () => server!.eventClients === 1, { timeoutMs: 5000 });

      const webFigures = (): ImageProgress[] =>
        events
          .filter((e) => e.event === 'progress')
          .flatMap((e) => e.data as ImageProgress[])
          .filter((p) => p.image === DEFAULT_WEB_IMAGE);
      try {
        await app.startDemo();
        // The hub batches: the last frame may follow the start by about a second.
        await waitFor('the build to be reported done over the stream', () =>
          webFigures().some((p) => p.phase === 'done'),
        );
      } finally {
        abort.abort();
        await reading;
      }

      const figures = webFigures();
      // Intermediate figures are batched away when they come fast; a building one and the last one are not.
      expect(figures.some((p) => p.phase === 'building')).toBe(true);
      expect(figures.filter((p) => p.phase === 'failed')).toEqual([]);
      const last = figures.at(-1)!;
      expect(last).toMatchObject({ image: DEFAULT_WEB_IMAGE, phase: 'done', percent: 100 });
      expect(last.stepsTotal).toBeGreaterThanOrEqual(5);
      expect(last.stepsDone).toBe(last.stepsTotal);
      // Typed: every field of ImageProgress, with its type, in every frame.
      const typeOf = (value: unknown): string => (value === null ? 'null' : typeof value);
      for (const figure of figures) {
        expect(
          Object.fromEntries(Object.entries(figure).map(([key, value]) => [key, typeOf(value)])),
        ).toEqual({
          image: 'string',
          phase: 'string',
          layersDone: 'number',
          layersTotal: 'number',
          bytesDone: 'number',
          bytesTotal: 'number',
          stepsDone: 'number',
          stepsTotal: 'number',
          percent: figure.phase === 'done' ? 'number' : typeOf(figure.percent),
          message: 'string',
        });
        expect(['pulling', 'building', 'done', 'failed']).toContain(figure.phase);
        if (figure.percent !== null)
          expect(figure.percent).toBeLessThanOrEqual(figure.phase === 'done' ? 100 : 99);
      }
      const percents = figures.map((p) => p.percent).filter((p): p is number => p !== null);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));

      const reply = await fetch(`${api}/api/progress`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(reply.status).toBe(200);
      const board = (await reply.json()) as ApiResult<ImageProgress[]>;
      expect(board).toHaveProperty('result');
      const answered =
        'result' in board ? board.result.find((p) => p.image === DEFAULT_WEB_IMAGE) : undefined;
      expect(answered).toEqual(last);
    },
    START_TIMEOUT_MS + 30_000,
  );
});
