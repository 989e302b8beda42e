/** The one push policy behind IPC and Server-Sent Events. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_SETTINGS,
  Emitter,
  type ImageProgress,
  type TimelineEvent,
  type TopicName,
} from '../../../contract/index.js';
import { PushHub, type PushFeeds } from '../../../main/service/push-hub.js';
import { readyStatus } from '../app/fixtures.js';

function feeds() {
  const changed = new Emitter<TopicName>();
  const timeline: TimelineEvent[] = [];
  let status = readyStatus(1);
  let trafficRunning = false;
  let images: ImageProgress[] = [];
  const reads = { status: 0, hits: 0 };
  const source: PushFeeds = {
    status: () => {
      reads.status++;
      return status;
    },
    hits: () => {
      reads.hits++;
      return { at: 1, source: 'web-logs', backends: [], recent: [] };
    },
    traffic: () => ({ running: trafficRunning, sent: 0, succeeded: 0, failed: 0, byBackend: {} }),
    settings: () => ({ ...DEFAULT_SETTINGS }),
    progress: () => images,
    timelineAfter: (after) => timeline.filter((e) => e.seq > after),
    latestSeq: () => timeline.at(-1)?.seq ?? 0,
    onChange: (listener) => changed.on(listener),
  };
  const record = (n: number): void => {
    for (let i = 0; i < n; i++) {
      timeline.push({
        seq: timeline.length + 1,
        at: Date.now(),
        kind: 'registered',
        message: `e${timeline.length + 1}`,
      });
      changed.emit('timeline');
    }
  };
  return {
    source,
    changed,
    record,
    reads,
    setStatus: (web: number) => {
      status = readyStatus(web);
      changed.emit('status');
    },
    setProgress: (next: ImageProgress[]) => {
      images = next;
      changed.emit('progress');
    },
    setTraffic: (running: boolean) => {
      trafficRunning = running;
      changed.emit('traffic');
    },
  };
}

function recorder() {
  const sent: { topic: TopicName; payload: unknown }[] = [];
  return {
    sent,
    sender: { send: (topic: TopicName, payload: unknown) => sent.push({ topic, payload }) },
    topics: () => sent.map((m) => m.topic),
  };
}

afterEach(() => vi.useRealTimers());

describe('the push hub', () => {
  it('gives a new subscriber the whole picture at once, and the timeline it missed when it says where it was', () => {
    const f = feeds();
    f.record(3);
    const hub = new PushHub(f.source, 1000);
    const fresh = recorder();
    hub.attach(fresh.sender);
    expect(fresh.topics()).toEqual(['status', 'hits', 'traffic', 'settings', 'progress']);
    const resuming = recorder();
    hub.attach(resuming.sender, { afterSeq: 1 });
    expect(resuming.topics()).toEqual(['status', 'hits', 'traffic', 'settings', 'progress', 'timeline']);
    expect((resuming.sent[5]!.payload as TimelineEvent[]).map((e) => e.seq)).toEqual([2, 3]);
    hub.close();
  });

  it('coalesces: many changes in an interval are one message per topic, computed once for all subscribers', () => {
    vi.useFakeTimers();
    const f = feeds();
    const hub = new PushHub(f.source, 1000);
    const a = recorder();
    const b = recorder();
    hub.attach(a.sender);
    hub.attach(b.sender);
    a.sent.length = 0;
    b.sent.length = 0;
    const readsBefore = f.reads.status;
    for (let web = 2; web <= 10; web++) f.setStatus(web);
    f.record(5);
    vi.advanceTimersByTime(1000);
    expect(a.topics()).toEqual(['status', 'timeline']);
    expect(b.topics()).toEqual(['status', 'timeline']);
    expect(f.reads.status - readsBefore).toBe(1);
    expect((a.sent[0]!.payload as { services: { running: number }[] }).services[0]!.running).toBe(10);
    expect((a.sent[1]!.payload as TimelineEvent[]).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    // Nothing changed: nothing is sent.
    vi.advanceTimersByTime(3000);
    expect(a.sent).toHaveLength(2);
    hub.close();
  });

  it('sends image progress as one coalesced message per interval, the latest figures only', () => {
    vi.useFakeTimers();
    const f = feeds();
    const hub = new PushHub(f.source, 1000);
    const a = recorder();
    hub.attach(a.sender);
    a.sent.length = 0;
    const figure = (percent: number): ImageProgress => ({
      image: 'nginx:1.27-alpine',
      phase: 'pulling',
      layersDone: 1,
      layersTotal: 7,
      bytesDone: percent * 1000,
      bytesTotal: 100_000,
      stepsDone: 0,
      stepsTotal: 0,
      percent,
      message: '',
    });
    for (const percent of [10, 20, 45]) f.setProgress([figure(percent)]);
    vi.advanceTimersByTime(1000);
    expect(a.topics()).toEqual(['progress']);
    expect((a.sent[0]!.payload as ImageProgress[])[0]!.percent).toBe(45);
    hub.close();
  });

  it('sends traffic every interval while it runs, and once when it stops', () => {
    vi.useFakeTimers();
    const f = feeds();
    const hub = new PushHub(f.source, 1000);
    const a = recorder();
    hub.attach(a.sender);
    a.sent.length = 0;
    f.setTraffic(true);
    vi.advanceTimersByTime(3000);
    f.setTraffic(false);
    vi.advanceTimersByTime(2000);
    expect(a.topics().filter((t) => t === 'traffic')).toHaveLength(4);
    hub.close();
  });

  it('runs its timer and listens to the feeds only while someone is attached', () => {
    vi.useFakeTimers();
    const f = feeds();
    const hub = new PushHub(f.source, 1000);
    expect(f.changed.size).toBe(0);
    const detach = hub.attach(recorder().sender);
    expect(f.changed.size).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    detach();
    expect(f.changed.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(hub.size).toBe(0);
  });
});
