/**
 * Renders run on a thread of their own: the engine's event loop keeps
 * answering while a hostile template burns its budget, and the render ends
 * with an over-budget error that says where.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RenderThread, type RenderFailure } from '../../main/engine/render/render-thread.js';
import type { TemplateSnapshot } from '../../main/engine/render/render-snapshot.js';
import { compileTemplate, renderTemplate } from '../../main/engine/template/index.js';
import { FakeDataSource, instances } from './template/helpers.js';

/** Stays inside the step budget for a good while, then exceeds it. */
const HOSTILE = 'upstream x {\n  {{ range 100000000 }}{{ if eq . -1 }}x{{ end }}{{ end }}\n}';
/**
 * Four times the default step budget: about half a second to a second of work here. The step limit
 * is what stops it: a generous clock, so that a busy machine does not trip the time limit first.
 */
const LIMITS = { maxSteps: 4_000_000, maxMilliseconds: 30_000 };

function snapshot(overrides: Partial<TemplateSnapshot> = {}): TemplateSnapshot {
  return {
    services: new Map([['service:backend.web|passing', instances(3)]]),
    catalog: undefined,
    keys: new Map(),
    env: new Map(),
    ...overrides,
  };
}

interface Responsiveness<T> {
  /** The longest time between two ticks of a 5 ms timer. */
  pauseMs: number;
  ticks: number;
  tookMs: number;
  result: PromiseSettledResult<T>;
}

/** How a 5 ms timer fared while `work` ran. */
async function timerDuring<T>(work: () => Promise<T>): Promise<Responsiveness<T>> {
  let last = performance.now();
  let pauseMs = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    pauseMs = Math.max(pauseMs, now - last);
    last = now;
    ticks++;
  }, 5);
  const started = performance.now();
  const [result] = await Promise.allSettled([work()]);
  const tookMs = performance.now() - started;
  clearInterval(timer);
  pauseMs = Math.max(pauseMs, performance.now() - last);
  return { pauseMs, ticks, tookMs, result };
}

describe('the render thread', () => {
  let thread: RenderThread | undefined;
  afterEach(() => thread?.close());

  it('renders with the snapshot and reports dependencies, missing data and missing env', async () => {
    thread = new RenderThread();
    const template = compileTemplate(
      '{{ range service "backend.web" }}{{ .Address }} {{ end }}{{ key "app/x" }}{{ env "HOME" }}{{ env "REGION" }}',
      'test',
    );
    const result = await thread.render(template, snapshot({ env: new Map([['REGION', 'eu']]) }));
    expect(result.output).toBe('10.0.0.1 10.0.0.2 10.0.0.3 eu');
    expect(result.complete).toBe(false);
    expect(result.dependencies.map((d) => d.key)).toEqual(['service:backend.web|passing', 'key:app/x']);
    // The thread has no environment of its own: HOME is not readable unless the snapshot has it.
    expect(result.envMisses).toEqual(['HOME']);
  });

  it('keeps the event loop answering while a hostile template renders, and stops it over budget', async () => {
    thread = new RenderThread();
    const template = compileTemplate(HOSTILE, 'hostile.ctmpl');
    await thread.render(compileTemplate('warm', 'warm'), snapshot());

    // In the engine's own thread, the same render stops every timer until it is done.
    const inline = await timerDuring(() =>
      Promise.resolve().then(() => renderTemplate(template, new FakeDataSource({ services: {} }), LIMITS)),
    );
    expect(inline.result.status).toBe('rejected');
    expect(inline.pauseMs).toBeGreaterThan(200);
    expect(inline.ticks).toBeLessThanOrEqual(1);

    // On its own thread, the timer keeps firing (the machine may be busy: compare, and count ticks).
    const threaded = await timerDuring(() => thread!.render(template, snapshot(), LIMITS));
    expect(threaded.tookMs).toBeGreaterThan(200);
    expect(threaded.pauseMs).toBeLessThan(inline.pauseMs / 3);
    expect(threaded.ticks).toBeGreaterThan(threaded.tookMs / 5 / 4);
    expect(threaded.result.status).toBe('rejected');
    const error = (threaded.result as PromiseRejectedResult).reason as RenderFailure;
    expect(error.message).toMatch(
      /^hostile\.ctmpl:2:\d+: executing "hostile\.ctmpl" at <.*>: evaluation exceeds the maxSteps limit of 4000000 steps$/,
    );
    expect(error.line).toBe(2);
  });

  it('ends a thread stuck in one call past its time limit, says where, and renders on a new one', async () => {
    thread = new RenderThread(200);
    await thread.render(compileTemplate('warm', 'warm'), snapshot());
    // A nested quantifier that cannot match: JavaScript's backtracking engine tries about 2^40
    // ways in one call, far past any limit (toTitle over a million runes was used here before,
    // and a fast machine finished it within the 200 ms grace).
    const stuck = compileTemplate(
      '{{ $s := "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" }}\n{{ regexMatch "^(a+)+$" $s }}',
      'stuck',
    );
    const error = await thread
      .render(stuck, snapshot(), { maxSteps: Number.MAX_SAFE_INTEGER, maxMilliseconds: 1 })
      .then(
        () => undefined,
        (e: unknown) => e as RenderFailure,
      );
    expect(error?.message).toMatch(
      /^stuck:2:\d+: evaluation exceeds the maxMilliseconds limit of 1 ms; the render was stopped$/,
    );
    const next = await thread.render(compileTemplate('ok', 'next'), snapshot());
    expect(next.output).toBe('ok');
  });

  it("counts a render's time limit from when its thread has loaded, not from the thread's start", async () => {
    // A cold thread loads its modules first (through tsx here: far longer than 30 ms). On a busy
    // machine that took longer than the limit and the first render of a start failed, which
    // left the template loop with nothing to watch.
    thread = new RenderThread(10);
    const result = await thread.render(compileTemplate('cold start', 'cold'), snapshot(), {
      maxMilliseconds: 20,
    });
    expect(result.output).toBe('cold start');
  });

  it('fails a render with a clear message when its thread does not load in time', async () => {
    thread = new RenderThread(10, 1);
    await expect(thread.render(compileTemplate('cold', 'x'), snapshot())).rejects.toThrow(
      /render thread did not start within 0.001 s/,
    );
  });
});
