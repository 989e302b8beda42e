import { describe, expect, it } from 'vitest';
import { BackendIndex } from '../../main/engine/hits/backend-index.js';
import { backendKey } from '../../main/engine/hits/backend-key.js';
import { BackendMatcher } from '../../main/engine/hits/backend-matcher.js';
import { HitsAggregator } from '../../main/engine/hits/hits-aggregator.js';
import type { WebBackend } from '../../main/engine/hits/hits-service.js';

const T0 = 1_800_000_000_000;
const local: WebBackend = {
  containerId: 'l1',
  containerName: 'demo-web-1',
  address: '172.17.0.2',
  port: 80,
  host: 'local',
};
// On a followed host: registered with the host's address and the published port.
const remote: WebBackend = {
  containerId: 'r1',
  containerName: 'demo-web-2',
  address: '10.1.2.3',
  port: 32768,
  host: 'lab2',
};

function matcherOver(list: WebBackend[]): { matcher: BackendMatcher; set: (l: WebBackend[]) => void } {
  let current = list;
  const matcher = new BackendMatcher(new BackendIndex(() => current));
  return { matcher, set: (l) => (current = l) };
}

describe('backendKey', () => {
  it('is the bare address with one engine, and the host and address with several', () => {
    expect(backendKey({ address: '172.17.0.2:80' })).toBe('172.17.0.2:80');
    expect(backendKey({ address: '172.17.0.2:80', host: 'lab2' })).toBe('lab2/172.17.0.2:80');
  });
});

describe('BackendMatcher', () => {
  it("maps a remote container's page line to its registration (host address + published port), not the IP it prints", () => {
    const { matcher } = matcherOver([local, remote]);
    // Both default bridges hand out 172.17.0.2: the remote one prints the same IP as the local one.
    const match = matcher.pageLine({
      containerId: 'r1',
      containerName: 'demo-web-2',
      serverIp: '172.17.0.2',
      host: 'lab2',
    });
    expect(match.registered).toBe(remote);
    expect(match.identity).toEqual({
      address: '10.1.2.3:32768',
      host: 'lab2',
      containerId: 'r1',
      containerName: 'demo-web-2',
    });
    expect(
      matcher.pageLine({
        containerId: 'l1',
        containerName: 'demo-web-1',
        serverIp: '172.17.0.2',
        host: 'local',
      }).identity,
    ).toMatchObject({ address: '172.17.0.2:80', host: 'local' });
  });

  it('keeps an identity after the deregistration, and falls back to the printed IP on its host', () => {
    const { matcher, set } = matcherOver([remote]);
    matcher.pageLine({
      containerId: 'r1',
      containerName: 'demo-web-2',
      serverIp: '172.17.0.3',
      host: 'lab2',
    });
    set([]);
    // Draining: still counted under its registered address.
    expect(
      matcher.pageLine({
        containerId: 'r1',
        containerName: 'demo-web-2',
        serverIp: '172.17.0.3',
        host: 'lab2',
      }),
    ).toEqual({
      identity: { address: '10.1.2.3:32768', host: 'lab2', containerId: 'r1', containerName: 'demo-web-2' },
    });
    // Never registered: its own IP, on its host.
    const stranger = matcher.pageLine({
      containerId: 'x',
      containerName: 'demo-web-9',
      serverIp: '172.17.0.2',
      host: 'lab2',
    });
    expect(stranger.registered).toBeUndefined();
    expect(backendKey(stranger.identity)).toBe('lab2/172.17.0.2:80');
  });

  it('maps an access log address to the registration on whichever host it is', () => {
    const { matcher, set } = matcherOver([local, remote]);
    expect(matcher.accessLine('10.1.2.3:32768')).toMatchObject({
      registered: remote,
      identity: { host: 'lab2' },
    });
    set([local]);
    expect(matcher.accessLine('10.1.2.3:32768')).toEqual({
      identity: { address: '10.1.2.3:32768', host: 'lab2', containerId: 'r1', containerName: 'demo-web-2' },
    });
    expect(matcher.accessLine('10.9.9.9:80')).toEqual({});
  });
});

describe('HitsAggregator with hosts', () => {
  it('counts the same container IP on two hosts as two backends, each with its host', () => {
    const agg = new HitsAggregator();
    agg.record({ address: '172.17.0.2:80', host: 'local', containerId: 'l1' }, T0);
    agg.record({ address: '172.17.0.2:80', host: 'lab2', containerId: 'r9' }, T0 + 1);
    agg.record({ address: '172.17.0.2:80', host: 'lab2', containerId: 'r9' }, T0 + 2);
    const snap = agg.snapshot(T0 + 1000, 'web-logs', [
      { address: '10.1.2.3:32768', host: 'lab2', containerName: 'demo-web-2' },
    ]);
    expect(snap.backends.map((b) => [b.host, b.address, b.total])).toEqual([
      ['lab2', '10.1.2.3:32768', 0],
      // One address on two hosts: in the order of the host's name.
      ['lab2', '172.17.0.2:80', 2],
      ['local', '172.17.0.2:80', 1],
    ]);
    expect(agg.total({ address: '172.17.0.2:80', host: 'lab2' })).toBe(2);
  });

  it('has no host field with one engine', () => {
    const agg = new HitsAggregator();
    agg.record({ address: '172.17.0.2:80' }, T0);
    expect(agg.snapshot(T0 + 1000, 'web-logs').backends[0]).not.toHaveProperty('host');
  });
});
