/**
 * What the engine pushes to every dashboard, declared once: each topic at most about once a
 * second, coalesced (many changes in a second are one message), over IPC to the window and as
 * Server-Sent Events to a browser.
 */
import { returns, type OperationName, type Returns } from './operations.js';
import type { Settings } from './settings.js';
import type { EngineStatus, HitsSnapshot, ImageProgress, TimelineEvent, TrafficStatus } from './views.js';

export const PUSH_INTERVAL_MS = 1000;

/**
 * Each topic, with the operation that reads its current value (a client without the push stream
 * polls that; the timeline's with `{after: <last seq>}`).
 */
export const TOPICS = {
  /** The whole status, when anything in it changed. */
  status: { payload: returns<EngineStatus>(), readBy: 'getStatus' },
  /** The latest hits snapshot (the engine makes one a second while hits come in). */
  hits: { payload: returns<HitsSnapshot>(), readBy: 'getHits' },
  /** The timeline events a subscriber has not had yet, oldest first. */
  timeline: { payload: returns<TimelineEvent[]>(), readBy: 'getTimeline' },
  /** The traffic generator's counts: every push while it runs, and its start and end. */
  traffic: { payload: returns<TrafficStatus>(), readBy: 'getTraffic' },
  /** The settings, when any of them changed (from any front end). */
  settings: { payload: returns<Settings>(), readBy: 'getSettings' },
  /** Each image the engine pulls or builds while it starts (bytes, layers, percent), when one moved. */
  progress: { payload: returns<ImageProgress[]>(), readBy: 'getProgress' },
} as const satisfies Record<string, { payload: Returns<unknown>; readBy: OperationName }>;

export type TopicName = keyof typeof TOPICS;
export const TOPIC_NAMES = Object.keys(TOPICS) as TopicName[];
export type TopicPayload<T extends TopicName> =
  (typeof TOPICS)[T]['payload'] extends Returns<infer P> ? P : never;

export function isTopicName(name: unknown): name is TopicName {
  return typeof name === 'string' && Object.hasOwn(TOPICS, name);
}

export type TopicListener<T extends TopicName> = (payload: TopicPayload<T>) => void;

/** How any dashboard subscribes; the returned function unsubscribes. */
export interface PushSubscriber {
  subscribe<T extends TopicName>(topic: T, listener: TopicListener<T>): () => void;
}
