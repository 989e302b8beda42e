/**
 * A Docker log stream resumed with `since` (whole seconds) replays the lines
 * of that second and possibly more: these filters drop what was already
 * counted, so that a reconnect never counts a request twice. Outside a
 * replay every line counts: concurrent requests may log slightly out of order.
 */

/** For lines that carry a counter that grows with every request (simple-web's page line). */
export class CounterDedupe {
  private highest = -Infinity;
  private replayFloor = -Infinity;

  /** Call when the stream is reopened: lines up to the highest count seen are repeats. */
  resumed(): void {
    this.replayFloor = this.highest;
  }

  /** True when the line is new. */
  accept(count: number): boolean {
    if (count <= this.replayFloor) return false;
    if (count > this.highest) this.highest = count;
    return true;
  }
}

/**
 * For lines ordered by a timestamp that several lines can share (nginx's
 * $msec): during a replay, lines before the last time seen are repeats, and so
 * are the first N lines at exactly that time, N being how many were counted.
 */
export class TimeOrderDedupe {
  private lastTime = -Infinity;
  private countAtLastTime = 0;
  private replaying = false;
  private replaySkip = 0;

  /** Call when the stream is reopened: the lines that follow may repeat. */
  resumed(): void {
    this.replaying = true;
    this.replaySkip = this.countAtLastTime;
  }

  accept(time: number): boolean {
    if (this.replaying) {
      if (time < this.lastTime) return false;
      if (time === this.lastTime && this.replaySkip > 0) {
        this.replaySkip--;
        return false;
      }
      this.replaying = false;
    }
    if (time === this.lastTime) this.countAtLastTime++;
    else if (time > this.lastTime) {
      this.lastTime = time;
      this.countAtLastTime = 1;
    }
    return true;
  }
}
