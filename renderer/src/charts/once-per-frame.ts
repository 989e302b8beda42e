/**
 * Runs `task` at most once per animation frame, however often it is requested in between, as a
 * task of its own right after that frame. The chart redraws here rather than inside the push
 * that changed its data, and not inside the frame either (where the browser lays out and paints
 * what the push changed in the page): push, frame and redraw are three short tasks instead of
 * one long one. Pushes that land in the same frame are one redraw; a hidden page (no frames)
 * draws none until it is shown again.
 */
export interface FrameScheduled {
  request(): void;
  cancel(): void;
}

export function oncePerFrame(task: () => void): FrameScheduled {
  let frame: number | undefined;
  let after: ReturnType<typeof setTimeout> | undefined;
  return {
    request() {
      if (frame !== undefined) return;
      frame = requestAnimationFrame(() => {
        after = setTimeout(() => {
          frame = after = undefined;
          task();
        }, 0);
      });
    },
    cancel() {
      if (frame !== undefined) cancelAnimationFrame(frame);
      clearTimeout(after);
      frame = after = undefined;
    },
  };
}
