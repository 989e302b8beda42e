/**
 * Whether a container's process listens on a TCP port yet, read from the
 * host's /proc (the container's network namespace, through its init pid): a
 * file read, no packet sent to the container. Only where the engine runs on
 * the Docker host itself (Linux); elsewhere (Docker Desktop's VM, a remote
 * engine, no permission) the answer is "cannot tell".
 */
import { readFile } from 'node:fs/promises';

const TCP_LISTEN = '0A';

/** The ports in LISTEN state in the text of /proc/<pid>/net/tcp or tcp6. */
export function listeningPorts(procNetTcp: string): Set<number> {
  const ports = new Set<number>();
  for (const line of procNetTcp.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (!local || fields[3] !== TCP_LISTEN) continue;
    const port = Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    if (Number.isInteger(port)) ports.add(port);
  }
  return ports;
}

/** 'listening', 'not-yet', or 'unknown' when /proc of that pid cannot be read. */
export async function tcpPortState(pid: number, port: number): Promise<'listening' | 'not-yet' | 'unknown'> {
  let readAny = false;
  for (const file of ['tcp', 'tcp6']) {
    try {
      const text = await readFile(`/proc/${pid}/net/${file}`, 'utf8');
      readAny = true;
      if (listeningPorts(text).has(port)) return 'listening';
    } catch {
      // No such pid (the container is gone), no IPv6, not Linux, or not allowed.
    }
  }
  return readAny ? 'not-yet' : 'unknown';
}

/**
 * Waits until `pid` listens on `port`, polling every `intervalMs`, for at most
 * `timeoutMs`. Resolves true when it listens, false when it cannot be told or
 * the time ran out (the caller goes on either way).
 */
export async function waitUntilListening(
  pid: number,
  port: number,
  options: { timeoutMs: number; intervalMs: number },
): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const state = await tcpPortState(pid, port);
    if (state === 'listening') return true;
    if (state === 'unknown' || Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
