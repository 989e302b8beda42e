/**
 * The one push policy, behind both senders (IPC to the window, Server-Sent Events to browsers):
 * each topic is sent at most once per interval and only when it changed (many changes in a second
 * are one message), every subscriber gets the whole picture when it attaches, and the timeline goes
 * as the events each subscriber has not had yet. One timer, running only while someone listens.
 */
import {
  PUSH_INTERVAL_MS,
  type EngineStatus,
  type HitsSnapshot,
  type ImageProgress,
  type Settings,
  type TimelineEvent,
  type TopicName,
  type TopicPayload,
  type TrafficStatus,
} from '../../contract/index.js';

/** Where the hub reads each topic and learns that it changed. */
export interface PushFeeds {
  status(): EngineStatus;
  hits(): HitsSnapshot;
  traffic(): TrafficStatus;
  settings(): Settings;
  /** The images of the current (or last) start, with their progress. */
  progress(): ImageProgress[];
  /** Events with a sequence number above `afterSeq`, oldest first. */
  timelineAfter(afterSeq: number): TimelineEvent[];
  /** The newest event's sequence number (0 before the first). */
  latestSeq(): number;
  /** Calls `listener(topic)` whenever that topic changed; returns an unsubscribe function. */
  onChange(listener: (topic: TopicName) => void): () => void;
}

export interface PushSender {
  send<T extends TopicName>(topic: T, payload: TopicPayload<T>): void;
}

interface Subscriber {
  sender: PushSender;
  lastSeq: number;
}

export class PushHub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly dirty = new Set<TopicName>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly feeds: PushFeeds,
    private readonly intervalMs = PUSH_INTERVAL_MS,
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  /**
   * Sends the whole picture now (status, hits, traffic, settings, progress, and the timeline after `afterSeq` when
   * given), then batched changes until the returned function detaches it.
   */
  attach(sender: PushSender, options: { afterSeq?: number } = {}): () => void {
    const subscriber: Subscriber = { sender, lastSeq: options.afterSeq ?? this.feeds.latestSeq() };
    this.subscribers.add(subscriber);
    if (this.subscribers.size === 1) this.startFeeding();
    sender.send('status', this.feeds.status());
    sender.send('hits', this.feeds.hits());
    sender.send('traffic', this.feeds.traffic());
    sender.send('settings', this.feeds.settings());
    sender.send('progress', this.feeds.progress());
    if (options.afterSeq !== undefined) this.sendTimeline(subscriber);
    return () => this.detach(subscriber);
  }

  /** Sends what changed since the last flush (the timer calls this; tests may too). */
  flush(): void {
    const traffic = this.feeds.traffic();
    // While traffic runs its counts move every second; its start and end are changes too.
    if (traffic.running) this.dirty.add('traffic');
    const payloads: { [T in TopicName]?: TopicPayload<T> } = {};
    if (this.dirty.has('status')) payloads.status = this.feeds.status();
    if (this.dirty.has('hits')) payloads.hits = this.feeds.hits();
    if (this.dirty.has('traffic')) payloads.traffic = traffic;
    if (this.dirty.has('settings')) payloads.settings = this.feeds.settings();
    if (this.dirty.has('progress')) payloads.progress = this.feeds.progress();
    const timelineDirty = this.dirty.has('timeline');
    this.dirty.clear();
    for (const subscriber of this.subscribers) {
      if (payloads.status) subscriber.sender.send('status', payloads.status);
      if (payloads.hits) subscriber.sender.send('hits', payloads.hits);
      if (payloads.traffic) subscriber.sender.send('traffic', payloads.traffic);
      if (payloads.settings) subscriber.sender.send('settings', payloads.settings);
      if (payloads.progress) subscriber.sender.send('progress', payloads.progress);
      if (timelineDirty) this.sendTimeline(subscriber);
    }
  }

  close(): void {
    this.subscribers.clear();
    this.stopFeeding();
  }

  private sendTimeline(subscriber: Subscriber): void {
    const events = this.feeds.timelineAfter(subscriber.lastSeq);
    const last = events.at(-1);
    if (!last) return;
    subscriber.lastSeq = last.seq;
    subscriber.sender.send('timeline', events);
  }

  private detach(subscriber: Subscriber): void {
    if (!this.subscribers.delete(subscriber)) return;
    if (this.subscribers.size === 0) this.stopFeeding();
  }

  private startFeeding(): void {
    this.dirty.clear();
    this.unsubscribe = this.feeds.onChange((topic) => this.dirty.add(topic));
    this.timer = setInterval(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  private stopFeeding(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
