/**
 * Image progress in a terminal. In a TTY, one line per image that is still
 * being pulled or built, redrawn in place (cursor up, clear line) under the
 * other messages; an image's last line (ready, failed) stays. Elsewhere (a
 * pipe, a log file, CI) plain lines, only when an image's phase changes or it
 * passes another tenth, so that a log is not a wall of percentages.
 */
import type { ImageProgress } from '../engine/stack/image-progress.js';
import { formatImageProgress } from '../engine/stack/image-progress.js';

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const UP = (lines: number): string => `\x1b[${lines}A`;
const CLEAR_LINE = '\r\x1b[2K';
const CLEAR_BELOW = '\x1b[0J';
const BAR_WIDTH = 20;

function bar(percent: number | null): string {
  if (percent === null) return `[${'.'.repeat(BAR_WIDTH)}]     `;
  const filled = Math.round((percent / 100) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(percent).padStart(3)}%`;
}

/** The live line of an image in a TTY: a bar, then what is happening. */
function liveLine(progress: ImageProgress): string {
  const text = formatImageProgress(progress).replace(/ \(\d+%\)$/, '');
  return `${bar(progress.percent)} ${text}`;
}

export class ProgressLines {
  private readonly tty: boolean;
  /** Images in progress, in the order they started: the block at the bottom of a TTY. */
  private readonly live = new Map<string, ImageProgress>();
  private drawn = 0;
  /** Per image, for plain output: the phase and tenth last printed. */
  private readonly printed = new Map<string, { phase: string; tenth: number }>();

  constructor(
    private readonly out: ProgressOutput,
    private readonly options: { prefix?: string; tty?: boolean } = {},
  ) {
    this.tty = options.tty ?? out.isTTY === true;
  }

  /** A line that is not an image's figure ("starting Consul …"). */
  message(text: string): void {
    if (!this.tty) {
      this.out.write(`${this.prefix}${text}\n`);
      return;
    }
    this.out.write(`${this.erase()}${this.fit(`${this.prefix}${text}`)}\n${this.block()}`);
  }

  /** An image's figure. */
  image(progress: ImageProgress): void {
    if (this.tty) this.redraw(progress);
    else this.plain(progress);
  }

  private get prefix(): string {
    return this.options.prefix ?? '  … ';
  }

  private plain(progress: ImageProgress): void {
    const tenth = progress.percent === null ? -1 : Math.floor(progress.percent / 10);
    const last = this.printed.get(progress.image);
    if (last && last.phase === progress.phase && last.tenth >= tenth) return;
    this.printed.set(progress.image, { phase: progress.phase, tenth });
    this.out.write(`${this.prefix}${formatImageProgress(progress)}\n`);
  }

  private redraw(progress: ImageProgress): void {
    const finished = progress.phase === 'done' || progress.phase === 'failed';
    let settled = '';
    if (finished) {
      this.live.delete(progress.image);
      settled = `${this.fit(`${this.prefix}${formatImageProgress(progress)}`)}\n`;
    } else {
      this.live.set(progress.image, progress);
    }
    this.out.write(`${this.erase()}${settled}${this.block()}`);
  }

  /** Moves to the top of the live block and clears it. */
  private erase(): string {
    const text = this.drawn > 0 ? `${UP(this.drawn)}${CLEAR_LINE}${CLEAR_BELOW}` : CLEAR_LINE;
    this.drawn = 0;
    return text;
  }

  /** The live block, one line per image in progress; the cursor ends below it. */
  private block(): string {
    const lines = [...this.live.values()].map((p) => `${this.fit(`${this.prefix}${liveLine(p)}`)}\n`);
    this.drawn = lines.length;
    return lines.join('');
  }

  /** A line that wraps would break the count of lines to go back up: cut it to the terminal's width. */
  private fit(line: string): string {
    const width = this.out.columns;
    if (!width || line.length < width) return line;
    return `${line.slice(0, Math.max(1, width - 2))}…`;
  }
}
