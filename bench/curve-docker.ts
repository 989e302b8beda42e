/**
 * The Docker side of the curve: N containers of the web image started with the
 * Docker API alone (the floor a scale is compared with), and what a running
 * container of the image costs in memory, as its cgroup counts it.
 */
import { readFile } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { STACK_LABEL, stackNetworkName } from '../main/engine/stack/stack-config.js';

export interface DirectStart {
  /** Wall time from the first create to the last start answered. */
  ms: number;
  containers: Dockerode.Container[];
}

/** Creates and starts `count` containers at once on the stack's network, labelled so the stack's cleanup removes them. */
export async function startDirect(
  docker: Dockerode,
  options: { project: string; image: string; count: number; prefix: string; env?: string[] },
): Promise<DirectStart> {
  const started = performance.now();
  const containers = await Promise.all(
    Array.from({ length: options.count }, async (_, i) => {
      const container = await docker.createContainer({
        name: `${options.project}-${options.prefix}-${i}`,
        Image: options.image,
        Env: options.env ?? ['SERVICE_IGNORE=true'],
        Labels: { [STACK_LABEL]: options.project },
        HostConfig: { NetworkMode: stackNetworkName(options.project) },
      });
      await container.start();
      return container;
    }),
  );
  return { ms: performance.now() - started, containers };
}

export async function removeAll(containers: readonly Dockerode.Container[]): Promise<void> {
  await Promise.all(containers.map((c) => c.remove({ force: true }).catch(() => undefined)));
}

interface MemoryStats {
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}

/**
 * A container's memory as `docker stats` shows it: the cgroup's usage less the
 * page cache it could drop (inactive_file on cgroup v2, total_inactive_file on v1).
 */
export async function containerMemoryBytes(container: Dockerode.Container): Promise<number> {
  const stats = (await container.stats({ stream: false, 'one-shot': true } as {
    stream: false;
  })) as MemoryStats;
  const usage = stats.memory_stats?.usage ?? Number.NaN;
  const inner = stats.memory_stats?.stats ?? {};
  return usage - (inner.inactive_file ?? inner.total_inactive_file ?? 0);
}

/** The machine's available memory (MemAvailable of /proc/meminfo), in bytes. */
export async function memAvailableBytes(): Promise<number> {
  const match = /MemAvailable:\s+(\d+) kB/.exec(await readFile('/proc/meminfo', 'utf8'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}
