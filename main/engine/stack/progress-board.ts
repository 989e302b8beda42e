/**
 * The images of the current start, each with its latest progress figure, for every front end at
 * once (the `progress` topic, and the status while the engine starts). A new start clears it; the
 * figures of the last start stay afterwards, so that a dashboard that opens late still sees how
 * each image ended (ready, or failed and why).
 */
import { Emitter, type ImageProgress } from '../../../contract/index.js';

export class ProgressBoard {
  private readonly images = new Map<string, ImageProgress>();
  /** A figure changed (the tracker sends at most a few a second per image). */
  readonly changed = new Emitter<void>();

  /** Forgets the last start's images. */
  clear(): void {
    if (this.images.size === 0) return;
    this.images.clear();
    this.changed.emit();
  }

  update(progress: ImageProgress): void {
    this.images.set(progress.image, progress);
    this.changed.emit();
  }

  /** In the order the images started. */
  list(): ImageProgress[] {
    return [...this.images.values()];
  }
}
