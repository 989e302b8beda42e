/**
 * The engine's open line to the LB container's supervisor (see
 * supervisorScript): requests go to the container's stdin over one attached
 * connection, answers come back on its stdout among nginx's own log lines.
 * Answers are matched to requests by number, so a slow request (a probe) and
 * an apply may be under way together; any failure closes the line, and the
 * caller falls back to a docker exec until a new line is open.
 */
import type Dockerode from 'dockerode';
import type DockerModem from 'docker-modem';
import type { Socket } from 'node:net';
import { PassThrough, type Duplex } from 'node:stream';
import { REPLY_PREFIX } from './nginx-files.js';

export interface ChannelReply {
  exitCode: number;
  output: string;
}

interface Pending {
  id: number;
  resolve: (reply: ChannelReply) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class LbChannel {
  private stream: Duplex | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private buffered = '';
  /** The newest apply number the supervisor had seen when the line opened. */
  newestSeq = 0;

  private constructor(private readonly container: Dockerode.Container) {}

  /**
   * Attaches to the container and checks that the supervisor answers; undefined when it does not.
   * `numbered`: a version 3 supervisor, whose requests carry a number and who answers the
   * ping with the newest apply number it has seen (kept in `newestSeq`).
   */
  static async open(
    container: Dockerode.Container,
    numbered: boolean,
    timeoutMs = 2000,
  ): Promise<LbChannel | undefined> {
    const channel = new LbChannel(container);
    try {
      await channel.attach();
      const pong = await channel.request('ping', numbered ? '0 -' : '', timeoutMs);
      if (pong.exitCode === 0 && /^pong( \d+)?$/.test(pong.output)) {
        channel.newestSeq = Number(/\d+/.exec(pong.output)?.[0] ?? 0);
        return channel;
      }
    } catch {
      // Not a supervisor that answers: the caller uses docker exec.
    }
    channel.close();
    return undefined;
  }

  get isOpen(): boolean {
    return this.stream !== undefined;
  }

  private async attach(): Promise<void> {
    const stream = (await this.container.attach({
      stream: true,
      stdin: true,
      stdout: true,
      stderr: true,
      hijack: true,
    })) as unknown as Duplex;
    const stdout = new PassThrough();
    stdout.setEncoding('utf8');
    stdout.on('data', (chunk: string) => this.onOutput(chunk));
    (this.container.modem as DockerModem).demuxStream(stream, stdout, new PassThrough().resume());
    const lost = (): void => this.lost(new Error('the connection to the LB container closed'));
    stream.on('end', lost);
    stream.on('close', lost);
    stream.on('error', (error: Error) => this.lost(error));
    // An idle line to the LB must not keep a finished process (e.g. the CLI) alive.
    (stream as Partial<Socket>).unref?.();
    this.stream = stream;
  }

  /**
   * Sends one request (`<id> <op> <args>`, args without a newline) and waits for its answer.
   * Throws (and closes the line) on timeout or loss.
   */
  request(
    op: 'apply' | 'swap' | 'check' | 'ping' | 'probe',
    args: string,
    timeoutMs: number,
  ): Promise<ChannelReply> {
    const stream = this.stream;
    if (!stream) return Promise.reject(new Error('the LB channel is closed'));
    const id = this.nextId++;
    return new Promise<ChannelReply>((resolve, reject) => {
      const timer = setTimeout(
        () => this.lost(new Error(`the LB did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.pending.set(id, { id, resolve, reject, timer });
      stream.write(`${id} ${op} ${args}\n`);
    });
  }

  close(): void {
    this.lost(new Error('the LB channel was closed'));
  }

  private onOutput(chunk: string): void {
    this.buffered += chunk;
    let newline: number;
    while ((newline = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      if (line.startsWith(`${REPLY_PREFIX} `)) this.onReply(line);
    }
    // nginx's log lines are not ours; never let an endless line grow memory.
    if (this.buffered.length > 1_000_000) this.buffered = '';
  }

  private onReply(line: string): void {
    const reply = parseReply(line);
    const pending = reply && this.pending.get(reply.id);
    if (!reply || !pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(pending.id);
    pending.resolve({ exitCode: reply.exitCode, output: reply.output });
  }

  private lost(error: Error): void {
    const stream = this.stream;
    this.stream = undefined;
    stream?.removeAllListeners();
    stream?.on('error', () => undefined);
    stream?.destroy();
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(error);
    }
  }
}

/**
 * One answer of the supervisor: `dt-reply <id> <exit code> <base64 output>`, or
 * `… =<output>` for an output of one line of plain characters (version 5).
 */
export function parseReply(line: string): (ChannelReply & { id: number }) | undefined {
  const match = /^\S+ (\d+) (\d+) ?(.*)$/.exec(line);
  if (!match) return undefined;
  const [, id, code, payload = ''] = match;
  return {
    id: Number(id),
    exitCode: Number(code),
    output: payload.startsWith('=') ? payload.slice(1) : Buffer.from(payload, 'base64').toString('utf8'),
  };
}
