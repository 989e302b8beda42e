/**
 * consul-template's `wait` (quiescence): after a change, render once things
 * have been quiet for `minMs`, but never later than `maxMs` after the first
 * change of a burst. Without a wait, render on the next turn of the event
 * loop (changes arriving together still make one render).
 */
export interface QuiescenceWindow {
  minMs: number;
  maxMs: number;
}

export class Quiescence {
  private minTimer: NodeJS.Timeout | undefined;
  private maxTimer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;

  constructor(
    private readonly fire: () => void,
    private readonly window?: QuiescenceWindow,
  ) {}

  poke(): void {
    if (!this.window || this.window.maxMs <= 0) {
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        this.fire();
      });
      return;
    }
    clearTimeout(this.minTimer);
    this.minTimer = setTimeout(() => this.flush(), this.window.minMs);
    this.maxTimer ??= setTimeout(() => this.flush(), this.window.maxMs);
  }

  cancel(): void {
    clearTimeout(this.minTimer);
    clearTimeout(this.maxTimer);
    if (this.immediate) clearImmediate(this.immediate);
    this.minTimer = this.maxTimer = this.immediate = undefined;
  }

  private flush(): void {
    this.cancel();
    this.fire();
  }
}

/** "MIN:MAX" or "MIN" (then MAX = 4 × MIN, as consul-template does), in Go-style durations. */
export function parseWait(text: string): QuiescenceWindow {
  const toMs = (part: string): number => {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(part.trim());
    if (!match) throw new Error(`"${part}" is not a duration (use e.g. 500ms, 2s)`);
    const value = Number(match[1]);
    return match[2] === 'm' ? value * 60_000 : match[2] === 'ms' ? value : value * 1000;
  };
  const [min, max] = text.split(':');
  const minMs = toMs(min ?? '');
  const maxMs = max !== undefined ? toMs(max) : minMs * 4;
  if (maxMs < minMs) throw new Error(`wait ${text}: the maximum must not be below the minimum`);
  return { minMs, maxMs };
}
