/**
 * Follows a container's log (Docker's multiplexed stream, demultiplexed) and
 * hands over complete lines, each at most MAX_LOG_LINE_CHARS long (longer
 * ones are skipped, see LineSplitter). Closing it ends the HTTP stream: no leaked
 * connections when a container goes away.
 */
import type Dockerode from 'dockerode';
import type DockerModem from 'docker-modem';
import { PassThrough, type Readable } from 'node:stream';
import { LineSplitter } from './line-splitter.js';

export { MAX_LOG_LINE_CHARS } from './line-splitter.js';

export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
  /** When Docker took the line in (epoch ms), with the `timestamps` option. */
  loggedAtMs?: number;
}

export interface LogFollower {
  close(): void;
  /** Resolves when the stream has ended (container gone, or closed). */
  readonly ended: Promise<void>;
}

export interface FollowLogsOptions {
  /** Epoch seconds; only lines from then on. Defaults to now (no history). */
  sinceSeconds?: number;
  /** Whether the container has a TTY (then the stream is not multiplexed). */
  tty?: boolean;
  /** Ask Docker for each line's time (it prefixes RFC 3339 time and a space; handed over as `loggedAtMs`). */
  timestamps?: boolean;
}

/** Docker's `timestamps` prefix: RFC 3339 with up to nanoseconds, then one space. */
const TIMESTAMP_PREFIX = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;

/** Splits off Docker's time; a line without one (it cannot happen, but) keeps its text whole. */
export function withLoggedTime(kind: LogLine['stream'], raw: string): LogLine {
  const match = TIMESTAMP_PREFIX.exec(raw);
  const loggedAtMs = match ? Date.parse(match[1]!) : NaN;
  return Number.isFinite(loggedAtMs)
    ? { stream: kind, text: raw.slice(match![0].length), loggedAtMs }
    : { stream: kind, text: raw };
}

function splitLines(
  stream: Readable,
  kind: LogLine['stream'],
  timestamps: boolean,
  onLine: (line: LogLine) => void,
): void {
  const splitter = new LineSplitter((text) =>
    onLine(timestamps ? withLoggedTime(kind, text) : { stream: kind, text }),
  );
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => splitter.push(chunk));
}

export async function followLogs(
  container: Dockerode.Container,
  onLine: (line: LogLine) => void,
  options: FollowLogsOptions = {},
): Promise<LogFollower> {
  const raw = (await container.logs({
    follow: true,
    stdout: true,
    stderr: true,
    since: options.sinceSeconds ?? Math.floor(Date.now() / 1000),
    timestamps: options.timestamps === true,
  })) as unknown as Readable;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const timestamps = options.timestamps === true;
  splitLines(stdout, 'stdout', timestamps, onLine);
  splitLines(stderr, 'stderr', timestamps, onLine);
  if (options.tty) raw.pipe(stdout);
  else (container.modem as DockerModem).demuxStream(raw, stdout, stderr);
  const ended = new Promise<void>((resolve) => {
    const done = (): void => {
      stdout.end();
      stderr.end();
      resolve();
    };
    raw.once('end', done);
    raw.once('close', done);
    raw.once('error', done);
  });
  return {
    close: () => raw.destroy(),
    ended,
  };
}
