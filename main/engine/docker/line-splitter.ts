/**
 * Text in, complete lines out, with a cap on a line's length: a container
 * that writes without ever writing a newline must not grow the engine's memory
 * (nor cost a search through everything buffered on every chunk). A line over
 * the cap is dropped whole: what was buffered is let go at once, and the rest
 * is skipped until the next newline.
 */

/** Far above any line the engine reads (page lines and access log lines are under 200 characters). */
export const MAX_LOG_LINE_CHARS = 16 * 1024;

export class LineSplitter {
  private buffered = '';
  private skipping = false;
  private dropped = 0;

  constructor(
    private readonly onLine: (text: string) => void,
    private readonly maxChars = MAX_LOG_LINE_CHARS,
  ) {}

  /** Lines dropped so far for being longer than the cap. */
  get droppedLines(): number {
    return this.dropped;
  }

  /** Characters held while waiting for a newline: never more than the cap. */
  get bufferedChars(): number {
    return this.buffered.length;
  }

  push(chunk: string): void {
    let start = 0;
    for (let newline = chunk.indexOf('\n'); newline >= 0; newline = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, newline);
      start = newline + 1;
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      const text = (this.buffered + piece).replace(/\r$/, '');
      this.buffered = '';
      if (text.length > this.maxChars) this.dropped++;
      else this.onLine(text);
    }
    if (this.skipping || start === chunk.length) return;
    if (this.buffered.length + chunk.length - start > this.maxChars) {
      this.buffered = '';
      this.skipping = true;
      this.dropped++;
    } else {
      this.buffered += chunk.slice(start);
    }
  }
}
