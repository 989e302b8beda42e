/**
 * Whether a container's process listens on a TCP port yet, read from the
 * host's /proc (the container's network namespace, through its init pid): a
 * file read, no packet sent to the container. Only where the engine shares
 * /proc with Docker (a Linux engine on the same host): `procShowsContainer`
 * tells at once whether it does, since elsewhere (Docker Desktop's VM, a
 * remote or rootless engine, podman machine) that pid is another process or
 * none at all.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const TCP_LISTEN = '0A';

export type ListenState = 'listening' | 'not-yet' | 'unknown';
export type WaitOutcome = 'listening' | 'timeout' | 'unknown';

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

/**
 * True when `<procRoot>/<pid>` is that container's process: its cgroup path
 * names the container ID (/docker/<id>, docker-<id>.scope, libpod-<id>.scope),
 * whatever the cgroup driver or version. One small file read.
 */
export async function procShowsContainer(
  pid: number,
  containerId: string,
  procRoot = '/proc',
): Promise<boolean> {
  try {
    const cgroup = await readFile(join(procRoot, String(pid), 'cgroup'), 'utf8');
    return cgroup.includes(containerId);
  } catch {
    return false;
  }
}

/** 'listening', 'not-yet', or 'unknown' when /proc of that pid cannot be read. */
export async function tcpPortState(pid: number, port: number, procRoot = '/proc'): Promise<ListenState> {
  let readAny = false;
  for (const file of ['tcp', 'tcp6']) {
    try {
      const text = await readFile(join(procRoot, String(pid), 'net', file), 'utf8');
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
 * `timeoutMs`: 'listening', 'timeout', or 'unknown' when it cannot be told
 * (the caller goes on either way).
 */
export async function waitUntilListening(
  pid: number,
  port: number,
  options: { timeoutMs: number; intervalMs: number; procRoot?: string },
): Promise<WaitOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const state = await tcpPortState(pid, port, options.procRoot);
    if (state === 'listening') return 'listening';
    if (state === 'unknown') return 'unknown';
    if (Date.now() >= deadline) return 'timeout';
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
