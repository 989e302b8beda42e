import { describe, expect, it } from 'vitest';
import { listeningPorts, tcpPortState } from '../../main/engine/docker/listening-ports.js';

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
