/**
 * One stage of `npm run bench`: a named group of figures that runs on its own
 * (`npm run bench -- --only NAME`), returns its keys for bench/results.json and
 * its section of bench/results.md. bench/index.ts runs the registered stages in
 * order and merges what they return; a new stage is one file and one line there.
 */
import type Dockerode from 'dockerode';

export interface BenchContext {
  docker: Dockerode;
  /** `--quick`: fewer sizes and trials, for development; the figures are indicative only. */
  quick: boolean;
  log: (message: string) => void;
}

export interface StageResult {
  /** Keys merged into bench/results.json (each stage owns its keys). */
  json: Record<string, unknown>;
  /** Its section of bench/results.md (markdown, ending with a blank line). */
  markdown: string;
}

export interface BenchStage {
  name: string;
  run: (context: BenchContext) => Promise<StageResult>;
}
