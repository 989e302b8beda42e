/**
 * Keys for the served-by strip's cells that survive a push. The strip shows the last 50
 * requests, oldest first; a push a second later is the same list moved left by the requests
 * since. Keyed by position, every cell changed key each push and Vue removed and created all 50
 * elements every second (the largest part of a hits push at 100 backends); keyed here, the cells
 * still shown keep their key (and their element), and only the new requests get new ones.
 */
export class StripKeys {
  private addresses: readonly string[] = [];
  private keys: number[] = [];
  private next = 0;

  /** Keys for `recent`, in its order: a cell carried over from the last list keeps its key. */
  keysFor(recent: readonly string[]): number[] {
    const shift = this.shiftFrom(recent);
    const kept = this.keys.slice(shift, shift + recent.length);
    const keys = [...kept];
    while (keys.length < recent.length) keys.push(this.next++);
    this.addresses = [...recent];
    this.keys = keys;
    return keys;
  }

  /**
   * How far the last list moved: the smallest k where its tail from k is the new list's head
   * (k = its length when nothing is shared). Any k that matches shows the same cells; the
   * smallest keeps the most elements.
   */
  private shiftFrom(recent: readonly string[]): number {
    const old = this.addresses;
    for (let k = 0; k < old.length; k++) {
      const overlap = Math.min(old.length - k, recent.length);
      let same = true;
      for (let i = 0; i < overlap && same; i++) same = old[k + i] === recent[i];
      if (same) return k;
    }
    return old.length;
  }
}
