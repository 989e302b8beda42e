import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  listeningPorts,
  procShowsContainer,
  tcpPortState,
} from '../../main/engine/docker/listening-ports.js';

const TCP = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4888048 1',
  '   1: 0100007F:1F90 0100007F:D2A4 01 00000000:00000000 00:00000000 00000000     0        0 4888050 1',
  '   2: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4888051 1',
  '',
].join('\n');

const TCP6 = [
  '  sl  local_address                         remote_address                        st tx_queue',
  '   0: 00000000000000000000000000000000:1BB8 00000000000000000000000000000000:0000 0A 00000000:00000000',
].join('\n');

describe('listening ports from /proc/<pid>/net/tcp', () => {
  it('lists only sockets in LISTEN state, IPv4 and IPv6', () => {
    expect([...listeningPorts(TCP)].sort((a, b) => a - b)).toEqual([80, 8081]);
    expect([...listeningPorts(TCP6)]).toEqual([7096]);
  });

  it('ignores the header, blank and malformed lines', () => {
    expect(listeningPorts('header only\n\n  garbage\n').size).toBe(0);
  });

  it('says it cannot tell for a pid that does not exist', async () => {
    expect(await tcpPortState(2 ** 22 + 12345, 80)).toBe('unknown');
  });

  it('sees a port this very process listens on', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      expect(await tcpPortState(process.pid, port)).toBe('listening');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await tcpPortState(process.pid, port)).toBe('not-yet');
  });
});

describe("whether the host's /proc shows a container's process", () => {
  const id = 'd3b2f5a9c1e84f7a9b0c6d2e1f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a';

  it("reads the pid's cgroup: Docker (cgroup v1 and v2, either driver) and Podman name the container", async () => {
    const root = mkdtempSync(join(tmpdir(), 'dt-proc-'));
    try {
      const lines: Record<number, string> = {
        101: `12:pids:/docker/${id}\n0::/docker/${id}\n`,
        102: `0::/system.slice/docker-${id}.scope\n`,
        103: `0::/machine.slice/libpod-${id}.scope/container\n`,
        104: '0::/user.slice/user-1000.slice/session-2.scope\n',
      };
      for (const [pid, text] of Object.entries(lines)) {
        mkdirSync(join(root, pid));
        writeFileSync(join(root, pid, 'cgroup'), text);
      }
      expect(await procShowsContainer(101, id, root)).toBe(true);
      expect(await procShowsContainer(102, id, root)).toBe(true);
      expect(await procShowsContainer(103, id, root)).toBe(true);
      // Another process at that pid (the engine runs in a VM or elsewhere), or none at all.
      expect(await procShowsContainer(104, id, root)).toBe(false);
      expect(await procShowsContainer(105, id, root)).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('says no for this process, which is in no container', async () => {
    expect(await procShowsContainer(process.pid, id)).toBe(false);
  });
});
