/**
 * One command in a running container, with its combined output and exit code.
 * Each exec costs three API round trips (create, start, inspect), about 100 ms
 * here, so callers batch their work into one script.
 */
import type Dockerode from 'dockerode';
import type DockerModem from 'docker-modem';
import { PassThrough } from 'node:stream';

export interface ExecResult {
  exitCode: number;
  output: string;
}

/** Runs `cmd`; `env` adds variables to this one process (a cheap way to hand it data). */
export async function execInContainer(
  container: Dockerode.Container,
  cmd: string[],
  env: string[] = [],
): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: cmd, Env: env, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  (container.modem as DockerModem).demuxStream(stream, sink, sink);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  const info = await exec.inspect();
  return { exitCode: info.ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8') };
}
