import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { ownerOf, sameSubnet } from '../../main/engine/lb/lb-networks.js';
import { isProbeable, parseProbeOutput, probeScript } from '../../main/engine/lb/lb-probe.js';
import { Reachability } from '../../main/engine/lb/lb-reachability.js';
import { Timeline } from '../../main/engine/timeline.js';

describe('the LB probe', () => {
  it('reads each target’s verdict and names what nc said', () => {
    const targets = ['10.0.0.2:80', '10.0.0.3:80', '10.0.0.4:80', '10.0.0.5:80'];
    const results = parseProbeOutput(
      "ok 10.0.0.2:80\nno 10.0.0.3:80 nc: timed out\nno 10.0.0.4:80 nc: can't connect to remote host (10.0.0.4): Connection refused\n",
      targets,
    );
    expect(results.get('10.0.0.2:80')).toBeUndefined();
    expect(results.get('10.0.0.3:80')).toBe('no answer within 1 s');
    expect(results.get('10.0.0.4:80')).toMatch(/refused/);
    expect(results.get('10.0.0.5:80')).toBe('the probe gave no answer');
  });

  it('lets only plain addresses into the shell line', () => {
    expect(isProbeable({ address: '172.17.0.2', port: 80 })).toBe(true);
    expect(isProbeable({ address: 'web.local', port: 8080 })).toBe(true);
    expect(isProbeable({ address: '1.2.3.4;rm', port: 80 })).toBe(false);
    expect(isProbeable({ address: '-e', port: 80 })).toBe(false);
    expect(isProbeable({ address: '1.2.3.4', port: 0 })).toBe(false);
    expect(probeScript(['1.2.3.4:80'])).toContain('nc -w 1');
  });
});

describe('the LB’s networks', () => {
  it('knows an address on a subnet the LB is on', () => {
    expect(sameSubnet('172.18.0.9', '172.18.0.3', 16)).toBe(true);
    expect(sameSubnet('172.17.0.2', '172.18.0.3', 16)).toBe(false);
    expect(sameSubnet('web', '172.18.0.3', 16)).toBe(false);
    expect(sameSubnet('10.1.2.3', undefined, 16)).toBe(false);
  });

  it('finds the container (not the LB) that holds an address, and its network', () => {
    const containers = [
      { Id: 'lb', Names: ['/lb'], NetworkSettings: { Networks: { bridge: { IPAddress: '172.17.0.2' } } } },
      {
        Id: 'c1',
        Names: ['/mine'],
        NetworkSettings: { Networks: { bridge: { IPAddress: '172.17.0.2', NetworkID: 'n1' } } },
      },
    ] as unknown as Dockerode.ContainerInfo[];
    expect(ownerOf('172.17.0.2', containers, 'lb')).toEqual({
      containerId: 'c1',
      containerName: 'mine',
      network: 'bridge',
      networkId: 'n1',
    });
    expect(ownerOf('172.17.0.9', containers, 'lb')).toBeUndefined();
  });
});

describe('reachability', () => {
  const target = { id: 'a', service: 'web', address: '10.0.0.2', port: 80 };

  it('leaves out what does not answer, reports it after the grace, and takes it back once it answers', async () => {
    let answers = false;
    let changes = 0;
    const timeline = new Timeline();
    const reach = new Reachability(
      {
        probe: (targets) =>
          Promise.resolve(new Map(targets.map((t) => [t, answers ? undefined : 'no answer within 1 s']))),
        place: (addresses) => Promise.resolve(new Map(addresses.map((a) => [a, 'no container has it']))),
        lbId: () => 'lb',
        timeline,
        changed: () => changes++,
      },
      { retryDelaysMs: [10], graceMs: 30 },
    );
    expect(await reach.gate([target])).toEqual(new Set(['a']));
    expect(reach.unreachable()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(reach.unreachable().map((u) => u.serviceId)).toEqual(['a']);
    expect(reach.unreachable()[0]?.reason).toMatch(/cannot connect to 10\.0\.0\.2:80.*no container has it/);
    expect(timeline.recent(10).map((e) => e.kind)).toContain('unreachable');
    answers = true;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(changes).toBeGreaterThan(0);
    expect(await reach.gate([target])).toEqual(new Set());
    expect(reach.unreachable()).toEqual([]);
    expect(timeline.recent(10).map((e) => e.kind)).toContain('reachable');
    reach.stop();
  });

  it('probes again when the LB container is replaced', async () => {
    let lb = 'lb1';
    let probes = 0;
    const reach = new Reachability({
      probe: (targets) => {
        probes++;
        return Promise.resolve(new Map(targets.map((t) => [t, undefined])));
      },
      place: () => Promise.resolve(new Map()),
      lbId: () => lb,
      timeline: new Timeline(),
      changed: () => undefined,
    });
    await reach.gate([target]);
    await reach.gate([target]);
    expect(probes).toBe(1);
    lb = 'lb2';
    await reach.gate([target]);
    expect(probes).toBe(2);
    reach.stop();
  });
});

describe('reachability while a first probe is out', () => {
  it('sets no timer for instances whose first probe has not answered (no 1 ms retry loop)', async () => {
    const timeline = new Timeline();
    let answer: (() => void) | undefined;
    let probes = 0;
    const reach = new Reachability({
      probe: (targets) => {
        probes++;
        // The first probe hangs until the test lets it answer, as one to 100 new containers can.
        return new Promise((resolve) => {
          answer = () => resolve(new Map(targets.map((t) => [t, undefined])));
        });
      },
      place: () => Promise.resolve(new Map()),
      lbId: () => 'lb',
      timeline,
      changed: () => undefined,
    });
    const target = { id: 'a', service: 'web', address: '10.0.0.2', port: 80 };
    const first = reach.gate([target]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // A second render while the first probe is out: nothing new to probe, so it only schedules.
    await reach.gate([target]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sent = timeline.marks().filter((m) => m.step === 'probe-sent').length;
    answer?.();
    expect(await first).toEqual(new Set());
    reach.stop();
    // One probe sent, and no empty retries (a timer of Infinity fires every 1 ms: about 100 here).
    expect(probes).toBe(1);
    expect(sent).toBe(1);
  });
});
