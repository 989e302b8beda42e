/**
 * The engine's one timeline: every step of discovery (container started,
 * registered, rendered, reloaded, first request served, and the reverse) as a
 * typed event with its timestamp. Kept in a bounded buffer, each message cut
 * to a bounded length, so that a long session (or a hostile value quoted in a
 * warning) cannot grow memory; subscribers see each event as it is recorded.
 */

import { Emitter, type TimelineEvent } from '../../contract/index.js';
import { clipText } from './text-limits.js';

export type { TimelineEvent, TimelineKind } from '../../contract/index.js';

export type TimelineInput = Omit<TimelineEvent, 'seq' | 'at' | 'sincePreviousMs'> & { at?: number };

export type TimelineListener = (event: TimelineEvent) => void;

/**
 * A step inside the pipeline too fine for the user's timeline (a probe answered, a render
 * finished, nginx -t passed): kept apart, in a bounded buffer, so that the benchmark can
 * say where the time between "registered" and "first request" goes without guessing.
 */
export interface PipelineMark {
  step: string;
  at: number;
  /** What the step was about (a probe target, an apply number), when it says. */
  detail?: string;
}

export const MAX_PIPELINE_MARKS = 2000;

export const DEFAULT_TIMELINE_CAPACITY = 2000;
/** A message that quotes outside values is cut here, so that the whole timeline stays a few MB at most. */
export const MAX_TIMELINE_MESSAGE_CHARS = 1000;

/** performance.timeOrigin + now() is wall-clock time with sub-millisecond resolution. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

export class Timeline {
  private readonly events: TimelineEvent[] = [];
  private readonly recorded = new Emitter<TimelineEvent>();
  private readonly lastStepOfContainer = new Map<string, number>();
  private nextSeq = 1;
  private readonly pipelineMarks: PipelineMark[] = [];

  constructor(private readonly capacity = DEFAULT_TIMELINE_CAPACITY) {}

  record(input: TimelineInput): TimelineEvent {
    const at = input.at ?? preciseNow();
    const event: TimelineEvent = {
      ...input,
      message: clipText(input.message, MAX_TIMELINE_MESSAGE_CHARS),
      at,
      seq: this.nextSeq++,
    };
    if (input.containerId) {
      const previous = this.lastStepOfContainer.get(input.containerId);
      if (previous !== undefined && input.kind !== 'container-started') event.sincePreviousMs = at - previous;
      // Delete first so that the map's order is least recently used first.
      this.lastStepOfContainer.delete(input.containerId);
      this.lastStepOfContainer.set(input.containerId, at);
      if (this.lastStepOfContainer.size > this.capacity) {
        const oldest = this.lastStepOfContainer.keys().next().value;
        if (oldest !== undefined) this.lastStepOfContainer.delete(oldest);
      }
    }
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.splice(0, this.events.length - this.capacity);
    this.recorded.emit(event);
    return event;
  }

  /** Events newer than `afterSeq` (all kept events by default), oldest first. */
  list(afterSeq = 0): TimelineEvent[] {
    return this.events.filter((event) => event.seq > afterSeq);
  }

  /** The newest event's sequence number (0 before the first). */
  get latestSeq(): number {
    return this.nextSeq - 1;
  }

  /** The newest `count` events, oldest first. */
  recent(count: number): TimelineEvent[] {
    return this.events.slice(-count);
  }

  /** Notes a pipeline step (see PipelineMark); costs one push. */
  mark(step: string, detail?: string, at = preciseNow()): void {
    this.pipelineMarks.push(detail === undefined ? { step, at } : { step, at, detail });
    if (this.pipelineMarks.length > MAX_PIPELINE_MARKS)
      this.pipelineMarks.splice(0, this.pipelineMarks.length - MAX_PIPELINE_MARKS);
  }

  /** Pipeline marks at or after `since` (epoch ms), oldest first. */
  marks(since = 0): PipelineMark[] {
    return this.pipelineMarks.filter((m) => m.at >= since);
  }

  subscribe(listener: TimelineListener): () => void {
    return this.recorded.on(listener);
  }
}
