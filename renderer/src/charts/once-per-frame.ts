/**
 * Runs `task` at most once per animation frame, however often it is requested in between. The
 * chart redraws here rather than inside the push that changed its data: a push then is one task
 * (parse, store, Vue's patch) and the redraw another (the next frame's), instead of one long one;
 * pushes that land in the same frame are one redraw, and a hidden page (no frames) draws none
 * until it is shown again.
 */
export interface FrameScheduled {
  request(): void;
  cancel(): void;
}

export function oncePerFrame(task: () => void): FrameScheduled {
  let frame: number | undefined;
  return {
    request() {
      if (frame !== undefined) return;
      frame = requestAnimationFrame(() => {
        frame = undefined;
        task();
      });
    },
    cancel() {
      if (frame !== undefined) cancelAnimationFrame(frame);
      frame = undefined;
    },
  };
}
