/**
 * The registrator's warnings, per container, as `status` shows them. Their
 * text quotes what containers set, so the book is bounded three ways: each
 * message is cut to MAX_WARNING_CHARS, each container keeps at most
 * MAX_WARNINGS_PER_CONTAINER (the last one saying how many more there were),
 * and all containers together at most MAX_WARNINGS (past that, one line says
 * how many containers' warnings are not kept; their timeline still has one).
 */
import { clipText } from '../text-limits.js';

export const MAX_WARNING_CHARS = 400;
export const MAX_WARNINGS_PER_CONTAINER = 10;
export const MAX_WARNINGS = 200;
const MAX_CONTAINER_NAME_CHARS = 128;

export interface ContainerWarning {
  container: string;
  message: string;
}

interface Entry {
  container: string;
  messages: string[];
}

export class WarningBook {
  private readonly entries = new Map<string, Entry>();
  /** Containers with warnings that did not fit (ID → how many). */
  private readonly unkept = new Map<string, number>();
  private kept = 0;

  /**
   * Replaces a container's warnings (none: forgets them). Returns the messages
   * that are new since the last call, for the timeline.
   */
  set(containerId: string, containerName: string, messages: readonly string[]): string[] {
    const before = new Set(this.entries.get(containerId)?.messages ?? []);
    const wasUnkept = this.unkept.has(containerId);
    this.delete(containerId);
    if (messages.length === 0) return [];
    const bounded = boundPerContainer(messages);
    if (this.kept + bounded.length > MAX_WARNINGS) {
      this.unkept.set(containerId, messages.length);
      return wasUnkept
        ? []
        : [
            clipText(
              `${clipText(containerName, MAX_CONTAINER_NAME_CHARS)}: ${messages.length} warnings, not kept (over ${MAX_WARNINGS} warnings in all); the first: ${messages[0]}`,
              MAX_WARNING_CHARS,
            ),
          ];
    }
    this.entries.set(containerId, {
      container: clipText(containerName, MAX_CONTAINER_NAME_CHARS),
      messages: bounded,
    });
    this.kept += bounded.length;
    return bounded.filter((message) => !before.has(message));
  }

  delete(containerId: string): void {
    const entry = this.entries.get(containerId);
    if (entry) this.kept -= entry.messages.length;
    this.entries.delete(containerId);
    this.unkept.delete(containerId);
  }

  has(containerId: string): boolean {
    return this.entries.has(containerId) || this.unkept.has(containerId);
  }

  list(): ContainerWarning[] {
    const list = [...this.entries.values()].flatMap(({ container, messages }) =>
      messages.map((message) => ({ container, message })),
    );
    if (this.unkept.size > 0) {
      const count = [...this.unkept.values()].reduce((a, b) => a + b, 0);
      list.push({
        container: `${this.unkept.size} more containers`,
        message: `${count} warnings not kept (over ${MAX_WARNINGS} warnings in all): fix the settings above first`,
      });
    }
    return list;
  }
}

function boundPerContainer(messages: readonly string[]): string[] {
  const clipped = messages.map((message) => clipText(message, MAX_WARNING_CHARS));
  if (clipped.length <= MAX_WARNINGS_PER_CONTAINER) return clipped;
  const shown = clipped.slice(0, MAX_WARNINGS_PER_CONTAINER - 1);
  shown.push(`… and ${clipped.length - shown.length} more warnings for this container`);
  return shown;
}
