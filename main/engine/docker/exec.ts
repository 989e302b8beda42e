/**
 * One command in a running container, with its combined output and exit code.
 * Each exec costs three API round trips (create, start, inspect), about 100 ms
 * here, so callers batch their work into one script. Every exec has a
 * deadline: a hung command (or Docker engine) must not hold up the callers
 * queued behind it (every later config apply waits for the one before).
 */
import type Dockerode from 'dockerode';
import type DockerModem from 'docker-modem';
import { PassThrough, type Duplex } from 'node:stream';

export interface ExecResult {
  exitCode: number;
  output: string;
}

export const DEFAULT_EXEC_TIMEOUT_MS = 30_000;

export class ExecTimeoutError extends Error {
  override name = 'ExecTimeoutError';
}

/**
 * Runs `cmd`; `env` adds variables to this one process (a cheap way to hand it data).
 * Throws ExecTimeoutError after `timeoutMs` (the command may still finish in the
 * container: Docker has no way to stop an exec).
 */
export async function execInContainer(
  container: Dockerode.Container,
  cmd: string[],
  env: string[] = [],
  timeoutMs = DEFAULT_EXEC_TIMEOUT_MS,
): Promise<ExecResult> {
  let stream: Duplex | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      stream?.destroy();
      reject(new ExecTimeoutError(`docker exec ${cmd[0] ?? ''} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const run = async (): Promise<ExecResult> => {
    const exec = await container.exec({ Cmd: cmd, Env: env, AttachStdout: true, AttachStderr: true });
    stream = await exec.start({ hijack: true, stdin: false });
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (chunk: Buffer) => chunks.push(chunk));
    (container.modem as DockerModem).demuxStream(stream, sink, sink);
    await new Promise<void>((resolve, reject) => {
      stream?.on('end', resolve);
      stream?.on('close', resolve);
      stream?.on('error', reject);
    });
    const info = await exec.inspect();
    return { exitCode: info.ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8') };
  };
  const running = run();
  // Whatever the exec does after the deadline, nobody waits for it.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
