/** The messages between the template loop and its render thread (render-worker.ts). */
import type { RenderLimits, TemplateDependency } from '../template/index.js';
import type { TemplateSnapshot } from './render-snapshot.js';

export interface RenderRequest {
  id: number;
  /** The template's name and source; the thread keeps the last compiled ones. */
  name: string;
  source: string;
  snapshot: TemplateSnapshot;
  limits: Partial<RenderLimits>;
}

export type RenderReply =
  | {
      id: number;
      ok: true;
      output: string;
      dependencies: TemplateDependency[];
      complete: boolean;
      /** Environment variables the template read that the snapshot did not have. */
      envMisses: string[];
    }
  | { id: number; ok: false; message: string; line?: number; column?: number };

/**
 * The thread's first message, once its modules are loaded: a render's time limit counts from
 * here, not from the thread's start (loading takes seconds on a busy machine, or through tsx).
 */
export interface WorkerReady {
  ready: true;
}

/** Shared with the thread: element 0 is the source offset of the node it works on. */
export const PROGRESS_SLOTS = 1;
