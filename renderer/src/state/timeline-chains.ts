/** Groups the timeline into one chain of discovery steps per container, newest container first. */
import type { TimelineEvent } from '../../../contract/index';

export interface Chain {
  containerId: string;
  steps: TimelineEvent[];
  /** From the chain's first step to its last. */
  totalMs: number;
  lastAt: number;
}

export function containerChains(events: TimelineEvent[], limit = 8): Chain[] {
  const byContainer = new Map<string, TimelineEvent[]>();
  for (const event of events) {
    if (!event.containerId) continue;
    const list = byContainer.get(event.containerId) ?? [];
    // A container that starts again begins a new chain.
    if (event.kind === 'container-started') list.length = 0;
    list.push(event);
    byContainer.set(event.containerId, list);
  }
  return [...byContainer.entries()]
    .map(([containerId, steps]) => ({
      containerId,
      steps,
      totalMs: (steps[steps.length - 1]?.at ?? 0) - (steps[0]?.at ?? 0),
      lastAt: steps[steps.length - 1]?.at ?? 0,
    }))
    .sort((a, b) => b.lastAt - a.lastAt)
    .slice(0, limit);
}

export function engineEvents(events: TimelineEvent[], limit = 8): TimelineEvent[] {
  return events
    .filter((e) => !e.containerId)
    .slice(-limit)
    .reverse();
}
