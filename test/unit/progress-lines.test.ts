/**
 * The terminal renderer of image progress, fed with Docker's recorded streams
 * (test/fixtures) through the real tracker. A TTY's output is played on a small
 * screen model (the ANSI moves it uses: cursor up, clear line, clear below), so
 * the tests look at what a person sees, not at escape codes.
 */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressLines } from '../../main/cli/progress-lines.js';
import { ImageProgressTracker, type DockerProgressEvent } from '../../main/engine/stack/image-progress.js';

interface Recording {
  image: string;
  events: { t: number; event: DockerProgressEvent }[];
}

function recording(name: string): Recording {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8')) as Recording;
}

/** What a terminal shows after `text`: lines of characters, the cursor moved by \n, \r and CSI A/K/J. */
class Screen {
  lines: string[] = [''];
  private row = 0;
  private col = 0;

  play(text: string): void {
    for (let i = 0; i < text.length; i += 1) {
      const c = text[i]!;
      if (c === '\x1b') {
        const match = /^\[(\d*)([AKJ])/.exec(text.slice(i + 1));
        if (!match) throw new Error(`unexpected escape at ${JSON.stringify(text.slice(i, i + 8))}`);
        const n = Number(match[1] || '0');
        if (match[2] === 'A') this.row = Math.max(0, this.row - (n || 1));
        if (match[2] === 'K' && n === 2) this.lines[this.row] = '';
        if (match[2] === 'J' && n === 0) {
          this.lines[this.row] = (this.lines[this.row] ?? '').slice(0, this.col);
          this.lines.length = this.row + 1;
        }
        i += match[0].length;
      } else if (c === '\n') {
        this.row += 1;
        this.col = 0;
        if (this.lines.length <= this.row) this.lines.push('');
      } else if (c === '\r') {
        this.col = 0;
      } else {
        const line = (this.lines[this.row] ?? '').padEnd(this.col);
        this.lines[this.row] = line.slice(0, this.col) + c + line.slice(this.col + 1);
        this.col += 1;
      }
    }
  }

  /** The lines with text, without the empty one the cursor waits on. */
  get text(): string[] {
    return this.lines.filter((line, i) => line !== '' || i < this.lines.length - 1);
  }
}

function terminal(
  tty: boolean,
  columns = 200,
): { out: PassThrough & { isTTY?: boolean; columns?: number }; written: () => string } {
  const out = Object.assign(new PassThrough(), { isTTY: tty, columns });
  const chunks: string[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return { out, written: () => chunks.join('') };
}

/** Plays recordings side by side on one clock, as an engine pulling and building at once would. */
function playTogether(
  lines: ProgressLines,
  recordings: { name: string; kind: 'pull' | 'build' }[],
  each?: () => void,
): void {
  let now = 0;
  const streams = recordings.map(({ name, kind }) => {
    const rec = recording(name);
    const tracker = new ImageProgressTracker(rec.image, kind, (p) => lines.image(p), { now: () => now });
    tracker.start(kind === 'build' ? 'from the simple-web recipe' : '');
    return { rec, tracker, next: 0 };
  });
  for (;;) {
    const open = streams.filter((s) => s.next < s.rec.events.length);
    if (open.length === 0) break;
    const soonest = open.reduce((a, b) => (a.rec.events[a.next]!.t <= b.rec.events[b.next]!.t ? a : b));
    const { t, event } = soonest.rec.events[soonest.next]!;
    now = t;
    soonest.tracker.event(event);
    soonest.next += 1;
    if (soonest.next === soonest.rec.events.length) soonest.tracker.finish();
    each?.();
  }
}

describe('image progress in a TTY', () => {
  it('keeps one redrawn line per image in progress, and leaves each one its last line', () => {
    const { out, written } = terminal(true);
    const lines = new ProgressLines(out);
    const screen = new Screen();
    let seen = 0;
    let mostLive = 0;
    lines.message('starting Consul on 127.0.0.1:8500');
    playTogether(
      lines,
      [
        { name: 'docker-pull-events', kind: 'pull' },
        { name: 'docker-build-events', kind: 'build' },
      ],
      () => {
        const all = written();
        screen.play(all.slice(seen));
        seen = all.length;
        const live = screen.text.filter((l) => l.includes('] '));
        mostLive = Math.max(mostLive, live.length);
        // Never two lines for one image.
        expect(live.filter((l) => l.includes('pull-demo:rec:')).length).toBeLessThanOrEqual(1);
        expect(live.filter((l) => l.includes('recorded-web:rec:')).length).toBeLessThanOrEqual(1);
      },
    );
    lines.message('waiting for Consul');
    screen.play(written().slice(seen));
    expect(mostLive).toBe(2);
    expect(screen.text).toEqual([
      '  … starting Consul on 127.0.0.1:8500',
      '  … 127.0.0.1:5001/discovery-tray-test/pull-demo:rec ready (31.0 MB pulled)',
      '  … discovery-tray-test/recorded-web:rec ready (31.0 MB pulled)',
      '  … waiting for Consul',
    ]);
  });

  it('shows a bar and the figures while it runs', () => {
    const { out, written } = terminal(true);
    const lines = new ProgressLines(out);
    const rec = recording('docker-pull-events');
    const tracker = new ImageProgressTracker(rec.image, 'pull', (p) => lines.image(p), { throttleMs: 0 });
    const half = rec.events.findIndex((e) => e.t >= 2500);
    for (const { event } of rec.events.slice(0, half)) tracker.event(event);
    const screen = new Screen();
    screen.play(written());
    expect(screen.text).toHaveLength(1);
    expect(screen.text[0]).toMatch(
      /^ {2}… \[#{8,11}-{9,12}\]  ?\d\d% pulling 127\.0\.0\.1:5001\/discovery-tray-test\/pull-demo:rec: 1\/4 layers, \d+\.\d MB of 31\.0 MB$/,
    );
  });

  it('cuts a line to the terminal width, so that no line wraps', () => {
    const { out, written } = terminal(true, 40);
    const lines = new ProgressLines(out);
    const rec = recording('docker-pull-events');
    const tracker = new ImageProgressTracker(rec.image, 'pull', (p) => lines.image(p), { throttleMs: 0 });
    for (const { event } of rec.events.slice(0, 30)) tracker.event(event);
    const screen = new Screen();
    screen.play(written());
    expect(screen.text).toHaveLength(1);
    expect(screen.text[0]!.length).toBeLessThan(40);
    expect(screen.text[0]!.endsWith('…')).toBe(true);
  });
});

describe('image progress without a TTY', () => {
  it('writes a line per phase and per tenth, never a redraw', () => {
    const { out, written } = terminal(false);
    const lines = new ProgressLines(out);
    playTogether(lines, [{ name: 'docker-pull-events', kind: 'pull' }]);
    const text = written();
    expect(text.includes('\x1b')).toBe(false);
    const printed = text.trimEnd().split('\n');
    expect(printed[0]).toBe('  … pulling 127.0.0.1:5001/discovery-tray-test/pull-demo:rec');
    expect(printed.at(-1)).toBe(
      '  … 127.0.0.1:5001/discovery-tray-test/pull-demo:rec ready (31.0 MB pulled)',
    );
    expect(printed.length).toBeGreaterThanOrEqual(8);
    expect(printed.length).toBeLessThanOrEqual(12);
    const tenths = printed.slice(1, -1).map((l) => Math.floor(Number(/\((\d+)%\)$/.exec(l)![1]) / 10));
    expect(new Set(tenths).size).toBe(tenths.length);
  });

  it('writes the failure of a build', () => {
    const { out, written } = terminal(false);
    const lines = new ProgressLines(out);
    playTogether(lines, [{ name: 'docker-build-fail-events', kind: 'build' }]);
    expect(written().trimEnd().split('\n')).toEqual([
      '  … building discovery-tray-test/recorded-web:fail from the simple-web recipe',
      '  … building discovery-tray-test/recorded-web:fail: step 1/7 (0%)',
      '  … building discovery-tray-test/recorded-web:fail: step 2/7 (14%)',
      '  … discovery-tray-test/recorded-web:fail failed: manifest for 127.0.0.1:5001/discovery-tray-test/missing:rec not found: manifest unknown: manifest unknown',
    ]);
  });
});
