/**
 * The hits publisher at idle: with no request coming in, a second costs no
 * snapshot of the N backends (it used to build and serialise one every second).
 * The service is only constructed, never started: nothing here talks to Docker.
 */
import Dockerode from 'dockerode';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HitsAggregator } from '../../main/engine/hits/hits-aggregator.js';
import { HitsService, type WebBackend } from '../../main/engine/hits/hits-service.js';
import { PublishGate } from '../../main/engine/hits/publish-gate.js';

const T0 = 1_800_000_000_000;

const backendsOf = (n: number): WebBackend[] =>
  Array.from({ length: n }, (_, i) => ({
    containerId: `c${i}`,
    containerName: `web-${i + 1}`,
    address: `172.18.${Math.floor(i / 200)}.${(i % 200) + 2}`,
    port: 80,
  }));

function serviceWith(backends: () => readonly WebBackend[]): HitsService {
  const docker = new Dockerode({ socketPath: '/nonexistent/docker.sock' });
  return new HitsService({ docker, project: 'dt-unit', lbContainer: docker.getContainer('lb'), backends });
}

afterEach(() => vi.restoreAllMocks());

describe('HitsService.publish at idle', () => {
  it('builds one snapshot of 100 quiet backends, then none while nothing changes', () => {
    let list = backendsOf(100);
    const service = serviceWith(() => list);
    const published: number[] = [];
    service.subscribe((s) => published.push(s.backends.length));
    const built = vi.spyOn(HitsAggregator.prototype, 'snapshot');
    for (let second = 0; second < 30; second++) service.publish(T0 + second * 1000);
    expect(published).toEqual([100]);
    expect(built).toHaveBeenCalledTimes(1);
    // A new registration is a new list: built and published again, then quiet again.
    list = backendsOf(101);
    for (let second = 30; second < 40; second++) service.publish(T0 + second * 1000);
    expect(published).toEqual([100, 101]);
    expect(built).toHaveBeenCalledTimes(2);
  });

  it('builds nothing while nobody listens', () => {
    const service = serviceWith(() => backendsOf(10));
    const built = vi.spyOn(HitsAggregator.prototype, 'snapshot');
    service.publish(T0);
    expect(built).not.toHaveBeenCalled();
  });
});

describe('PublishGate', () => {
  const known: unknown[] = [];
  const quiet = { source: 'web-logs' as const, version: 3, known, quiet: true };

  it('lets a snapshot through unless the same quiet inputs were built last', () => {
    const gate = new PublishGate();
    expect(gate.unchanged(quiet)).toBe(false); // nothing built yet
    gate.built(quiet);
    expect(gate.unchanged({ ...quiet })).toBe(true);
    expect(gate.unchanged({ ...quiet, version: 4 })).toBe(false); // a hit
    expect(gate.unchanged({ ...quiet, known: [] })).toBe(false); // registrations changed
    expect(gate.unchanged({ ...quiet, source: 'lb-access-log' })).toBe(false);
    expect(gate.unchanged({ ...quiet, quiet: false })).toBe(false); // hits inside a window: moves with the clock
  });

  it('rebuilds every time while the last build was not quiet', () => {
    const gate = new PublishGate();
    gate.built({ ...quiet, quiet: false });
    expect(gate.unchanged(quiet)).toBe(false);
  });
});
