import { describe, expect, it } from 'vitest';
import { DiscoverySteps } from '../../main/engine/hits/discovery-steps.js';
import type { LiveState } from '../../main/engine/render/template-loop.js';
import { Timeline } from '../../main/engine/timeline.js';

function live(ids: string[], generation: number, at: number): LiveState {
  return { instanceIds: new Set(ids), applied: { generation, config: '', at, retiringWorkers: [] } };
}

describe('DiscoverySteps', () => {
  it('gives each new container its own render and reload steps, then its first request', () => {
    const timeline = new Timeline();
    const steps = new DiscoverySteps(timeline, (id) => (id === 'c1' ? 'web-1' : undefined));
    timeline.record({ kind: 'container-started', containerId: 'c1', message: 'started', at: 1000 });
    timeline.record({ kind: 'registered', containerId: 'c1', serviceId: 's1', message: 'reg', at: 1010 });
    timeline.record({ kind: 'template-rendered', message: 'rendered', at: 1020 });
    timeline.record({ kind: 'lb-reloaded', message: 'reloaded', at: 1100 });
    steps.onLive(live(['s1'], 2, 1101));
    steps.firstRequest('c1', 'web-1', '172.18.0.5:80', 1150);

    const chain = timeline.list().filter((e) => e.containerId === 'c1');
    expect(chain.map((e) => [e.kind, e.at, e.sincePreviousMs])).toEqual([
      ['container-started', 1000, undefined],
      ['registered', 1010, 10],
      ['template-rendered', 1020, 10],
      ['lb-reloaded', 1100, 80],
      ['first-request', 1150, 50],
    ]);
    expect(chain[2]?.message).toBe('web-1 added to the rendered config');
  });

  it('records the reverse when a container leaves the live config', () => {
    const timeline = new Timeline();
    const steps = new DiscoverySteps(timeline, () => 'web-2');
    timeline.record({ kind: 'registered', containerId: 'c2', serviceId: 's2', message: 'reg', at: 10 });
    steps.onLive(live(['s2'], 1, 20));
    timeline.record({ kind: 'deregistered', containerId: 'c2', serviceId: 's2', message: 'dereg', at: 500 });
    timeline.record({ kind: 'template-rendered', message: 'rendered', at: 510 });
    timeline.record({ kind: 'lb-reloaded', message: 'reloaded', at: 600 });
    steps.onLive(live([], 2, 601));
    const after = timeline.list().filter((e) => e.containerId === 'c2' && e.at >= 500);
    expect(after.map((e) => e.kind)).toEqual(['deregistered', 'template-rendered', 'lb-reloaded']);
    expect(after[1]?.message).toMatch(/removed from the rendered config/);
    expect(after.map((e) => e.sincePreviousMs)).toEqual([480, 10, 90]);
  });

  it('adds nothing when the live config did not change or the render was not applied', () => {
    const timeline = new Timeline();
    const steps = new DiscoverySteps(timeline, () => 'web-1');
    timeline.record({ kind: 'registered', containerId: 'c1', serviceId: 's1', message: 'reg', at: 10 });
    steps.onLive({ instanceIds: new Set(['s1']) });
    steps.onLive(live(['s1'], 1, 30));
    const count = timeline.list().length;
    expect(count).toBe(1);
  });

  it('never puts a first request before the reload that routed the container', () => {
    const timeline = new Timeline();
    const steps = new DiscoverySteps(timeline, () => 'web-1');
    timeline.record({ kind: 'registered', containerId: 'c1', serviceId: 's1', message: 'reg', at: 10 });
    timeline.record({ kind: 'template-rendered', message: 'r', at: 20 });
    timeline.record({ kind: 'lb-reloaded', message: 'l', at: 100 });
    steps.onLive(live(['s1'], 1, 101));
    steps.firstRequest('c1', 'web-1', 'x:80', 95);
    expect(timeline.list().at(-1)).toMatchObject({ kind: 'first-request', at: 100, sincePreviousMs: 0 });
  });

  it('never puts the render before the registration, when Consul answered the render loop first', () => {
    // The loop's blocking query can return before the registrator has read Consul's answer.
    const timeline = new Timeline();
    const steps = new DiscoverySteps(timeline, () => 'web-3');
    timeline.record({ kind: 'template-rendered', message: 'r', at: 1000 });
    timeline.record({ kind: 'lb-reloaded', message: 'l', at: 1002 });
    timeline.record({ kind: 'registered', containerId: 'c3', serviceId: 's3', message: 'reg', at: 1004 });
    steps.onLive(live(['s3'], 1, 1005));
    const chain = timeline.list().filter((e) => e.containerId === 'c3');
    expect(chain.map((e) => [e.kind, e.at, e.sincePreviousMs])).toEqual([
      ['registered', 1004, undefined],
      ['template-rendered', 1004, 0],
      ['lb-reloaded', 1004, 0],
    ]);
  });

  it('puts a first request served before the apply returned after the render and reload steps', () => {
    // nginx's new workers serve at once; the apply returns when the old ones stop accepting.
    const timeline = new Timeline();
    const steps = new DiscoverySteps(timeline, () => 'web-4');
    timeline.record({ kind: 'container-started', containerId: 'c4', message: 'started', at: 1000 });
    timeline.record({ kind: 'registered', containerId: 'c4', serviceId: 's4', message: 'reg', at: 1010 });
    timeline.record({ kind: 'template-rendered', message: 'r', at: 1020 });
    steps.firstRequest('c4', 'web-4', 'x:80', 1080);
    expect(timeline.list().filter((e) => e.containerId === 'c4')).toHaveLength(2);
    timeline.record({ kind: 'lb-reloaded', message: 'serving since', at: 1060 });
    steps.onLive(live(['s4'], 3, 1150));
    const chain = timeline.list().filter((e) => e.containerId === 'c4');
    expect(chain.map((e) => [e.kind, e.at, e.sincePreviousMs])).toEqual([
      ['container-started', 1000, undefined],
      ['registered', 1010, 10],
      ['template-rendered', 1020, 10],
      ['lb-reloaded', 1060, 40],
      ['first-request', 1080, 20],
    ]);
  });

  it('records a held first request when its container is deregistered before any config routed it', () => {
    const timeline = new Timeline();
    const steps = new DiscoverySteps(timeline, () => 'web-5');
    timeline.record({ kind: 'registered', containerId: 'c5', serviceId: 's5', message: 'reg', at: 10 });
    steps.firstRequest('c5', 'web-5', 'x:80', 20);
    timeline.record({ kind: 'deregistered', containerId: 'c5', serviceId: 's5', message: 'dereg', at: 30 });
    expect(timeline.list().map((e) => e.kind)).toEqual(['registered', 'deregistered', 'first-request']);
    expect(timeline.list().at(-1)?.at).toBe(20);
  });

  it('names the container in its steps even when the registrator listed it only after registering it', () => {
    const timeline = new Timeline();
    const listed = new Map<string, string>();
    const steps = new DiscoverySteps(timeline, (id) => listed.get(id));
    timeline.record({
      kind: 'registered',
      containerId: 'c6abcdef12345',
      serviceId: 's6',
      message: 'reg',
      at: 10,
    });
    listed.set('c6abcdef12345', 'web-6');
    steps.onLive(live(['s6'], 1, 20));
    expect(timeline.list().at(-2)?.message).toBe('web-6 added to the rendered config');
  });
});
