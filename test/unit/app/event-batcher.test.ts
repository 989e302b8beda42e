import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HitsSnapshot, TimelineEvent } from '../../../preload/api.js';
import { EVENT_INTERVAL_MS, EventBatcher } from '../../../main/app/event-batcher.js';
import { EVENTS } from '../../../main/app/ipc-channels.js';
import { fakeAppEngine, readyStatus, view } from './fixtures.js';

function timelineEvent(seq: number): TimelineEvent {
  return { seq, at: 1000 + seq, kind: 'registered', message: `event ${seq}` };
}

function setup() {
  const engine = fakeAppEngine();
  const sent: { channel: string; payload: unknown }[] = [];
  const target = {
    ready: true,
    canSend: () => target.ready,
    send: (channel: string, payload: unknown) => sent.push({ channel, payload }),
  };
  const batcher = new EventBatcher(engine, target);
  return { engine, sent, target, batcher, channels: () => sent.map((s) => s.channel) };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the event batcher', () => {
  it('sends about once a second, coalescing many changes into one status', () => {
    const { engine, sent, batcher } = setup();
    batcher.start();
    vi.advanceTimersByTime(EVENT_INTERVAL_MS);
    expect(sent).toEqual([{ channel: EVENTS.status, payload: engine.current.status }]);

    engine.current = view('ready', readyStatus(3));
    for (let i = 0; i < 25; i++) engine.emit();
    expect(sent).toHaveLength(1); // nothing before the tick
    vi.advanceTimersByTime(EVENT_INTERVAL_MS);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual({ channel: EVENTS.status, payload: engine.current.status });

    vi.advanceTimersByTime(5 * EVENT_INTERVAL_MS); // no change: nothing new
    expect(sent).toHaveLength(2);
    batcher.stop();
  });

  it('sends new timeline events once, as one array, and asks only for what is new', () => {
    const { engine, sent, batcher } = setup();
    engine.timeline.mockImplementation((after: number) =>
      [1, 2, 3].filter((seq) => seq > after).map(timelineEvent),
    );
    batcher.start();
    vi.advanceTimersByTime(EVENT_INTERVAL_MS);
    expect(sent.filter((s) => s.channel === EVENTS.timeline)).toEqual([
      { channel: EVENTS.timeline, payload: [timelineEvent(1), timelineEvent(2), timelineEvent(3)] },
    ]);
    vi.advanceTimersByTime(EVENT_INTERVAL_MS);
    expect(engine.timeline).toHaveBeenLastCalledWith(3);
    expect(sent.filter((s) => s.channel === EVENTS.timeline)).toHaveLength(1);
    batcher.stop();
  });

  it('holds everything back until the window can receive, then sends the latest', () => {
    const { engine, sent, target, batcher, channels } = setup();
    target.ready = false;
    engine.timeline.mockImplementation((after: number) => (after < 7 ? [timelineEvent(7)] : []));
    batcher.start();
    vi.advanceTimersByTime(3 * EVENT_INTERVAL_MS);
    expect(sent).toEqual([]);
    target.ready = true;
    vi.advanceTimersByTime(EVENT_INTERVAL_MS);
    expect(channels()).toEqual([EVENTS.status, EVENTS.timeline]);
    batcher.stop();
  });

  it('sends hits and traffic when the engine has them, only when they changed', () => {
    const { engine, sent, batcher } = setup();
    let hits: HitsSnapshot = { at: 1, source: 'web-logs', backends: [], recent: [] };
    engine.hitsAvailable.mockReturnValue(true);
    engine.hits.mockImplementation(() => hits);
    engine.current = view('ready', readyStatus(1), {
      traffic: { running: true, sent: 5, succeeded: 5, failed: 0, byBackend: {} },
    });
    batcher.start();
    vi.advanceTimersByTime(EVENT_INTERVAL_MS);
    vi.advanceTimersByTime(EVENT_INTERVAL_MS);
    expect(sent.filter((s) => s.channel === EVENTS.hits)).toHaveLength(1);
    expect(sent.filter((s) => s.channel === EVENTS.traffic)).toHaveLength(1);
    hits = { ...hits, at: 2 };
    vi.advanceTimersByTime(EVENT_INTERVAL_MS);
    expect(sent.filter((s) => s.channel === EVENTS.hits).map((s) => (s.payload as HitsSnapshot).at)).toEqual([
      1, 2,
    ]);
    batcher.stop();
  });

  it('after a reload, sends the status and the whole timeline again', () => {
    const { engine, sent, batcher } = setup();
    engine.timeline.mockImplementation((after: number) => (after < 1 ? [timelineEvent(1)] : []));
    batcher.start();
    vi.advanceTimersByTime(EVENT_INTERVAL_MS);
    expect(sent).toHaveLength(2);
    batcher.resync();
    vi.advanceTimersByTime(EVENT_INTERVAL_MS);
    expect(sent.map((s) => s.channel)).toEqual([
      EVENTS.status,
      EVENTS.timeline,
      EVENTS.status,
      EVENTS.timeline,
    ]);
    batcher.stop();
    vi.advanceTimersByTime(10 * EVENT_INTERVAL_MS);
    expect(sent).toHaveLength(4);
  });
});
