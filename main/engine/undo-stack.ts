/**
 * What a half-done start has to take back: each step that started something pushes how to stop
 * it, and run() stops them newest first. A step that fails to stop is reported and the rest
 * still run, so nothing is left behind because one part was stubborn.
 */
import { errorMessage } from './errors.js';

export class UndoStack {
  private readonly steps: { what: string; undo: () => unknown }[] = [];

  push(what: string, undo: () => unknown): void {
    this.steps.push({ what, undo });
  }

  /** Runs every step, newest first; resolves with the failures (empty when all went well). */
  async run(): Promise<string[]> {
    const failures: string[] = [];
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.undo();
      } catch (error) {
        failures.push(`${step.what}: ${errorMessage(error)}`);
      }
    }
    return failures;
  }

  get size(): number {
    return this.steps.length;
  }
}
