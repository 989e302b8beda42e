/**
 * Whether a container listens on a TCP port, asked from inside it: one
 * `docker exec` of a POSIX shell loop that reads the container's own
 * /proc/net/tcp and tcp6 (the same table listening-ports.ts reads from the
 * host) until the port is in LISTEN state. For engines whose /proc the app
 * cannot see: Docker Desktop, remote, rootless, podman machine. No packet is
 * sent to the container, and it needs nothing in the image but `sh` and
 * `sleep` (busybox, dash and bash all do: only shell builtins read the table).
 */
import type Dockerode from 'dockerode';
import { execInContainer } from './exec.js';
import type { WaitOutcome } from './listening-ports.js';

/** $1: the port as /proc writes it (4 upper-case hex digits); $2: rounds; $3: pause in seconds. */
const LISTEN_LOOP = [
  'n=0',
  'while [ "$n" -lt "$2" ]; do',
  '  for f in /proc/net/tcp /proc/net/tcp6; do',
  '    [ -r "$f" ] || continue',
  '    while read -r _ local _ state _; do',
  '      case "$local:$state" in *:"$1":0A) exit 0 ;; esac',
  '    done < "$f"',
  '  done',
  '  n=$((n + 1))',
  '  sleep "$3"',
  'done',
  'exit 3',
].join('\n');

const TIMED_OUT = 3;

export async function waitUntilListeningInside(
  container: Dockerode.Container,
  port: number,
  options: { timeoutMs: number; intervalMs: number },
): Promise<WaitOutcome> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const rounds = Math.max(1, Math.ceil(options.timeoutMs / options.intervalMs));
  const pause = (options.intervalMs / 1000).toFixed(3);
  const check = execInContainer(container, [
    'sh',
    '-c',
    LISTEN_LOOP,
    'listen-check',
    hexPort,
    String(rounds),
    pause,
  ])
    .then((result): WaitOutcome => {
      if (result.exitCode === 0) return 'listening';
      // Any other exit (no sh in the image: 126/127, the container gone) cannot tell.
      return result.exitCode === TIMED_OUT ? 'timeout' : 'unknown';
    })
    .catch((): WaitOutcome => 'unknown');
  // The loop's rounds take longer than their pauses: bound the wait here too, with room for the exec.
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<WaitOutcome>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs + 1000);
  });
  try {
    return await Promise.race([check, limit]);
  } finally {
    clearTimeout(timer);
  }
}
