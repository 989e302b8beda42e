/**
 * The render itself at N backends, away from Consul and nginx: the default
 * template (assets/templates/nginx.ctmpl) rendered against N instances, as the
 * render thread does for each change. Its time and the config's size are the
 * part of a change that grows with N by design; the curve shows how fast.
 */
import { readFileSync } from 'node:fs';
import { assetPath } from '../main/engine/package-root.js';
import { SnapshotData } from '../main/engine/render/render-snapshot.js';
import { compileTemplate, parseServiceQuery, renderTemplate } from '../main/engine/template/index.js';
import type { ServiceInstance } from '../main/engine/template/index.js';
import { serviceDependency } from '../main/engine/template/service-query.js';
import { summarize, type Summary } from './stats.js';

export function syntheticInstances(count: number): ServiceInstance[] {
  return Array.from({ length: count }, (_, i) => ({
    ID: `bench:dt-web-${i}:80`,
    Name: 'web',
    Address: `172.30.${Math.floor(i / 250)}.${(i % 250) + 2}`,
    Port: 80,
    Tags: ['backend'],
    Node: 'bench',
    NodeAddress: '127.0.0.1',
    ServiceMeta: {},
    Status: 'passing',
  }));
}

export interface RenderCost {
  /** Microseconds: at these sizes a render takes well under a millisecond. */
  renderUs: Summary;
  configBytes: number;
}

export function measureRenderCost(count: number, trials: number): RenderCost {
  const template = compileTemplate(
    readFileSync(assetPath('templates', 'nginx.ctmpl'), 'utf8'),
    'nginx.ctmpl',
  );
  const key = serviceDependency(parseServiceQuery('backend.web')).key;
  const data = (): SnapshotData =>
    new SnapshotData({
      services: new Map([[key, syntheticInstances(count)]]),
      catalog: [{ Name: 'web', Tags: ['backend'] }],
      keys: new Map(),
      env: new Map(),
    });
  let output = renderTemplate(template, data()).output; // warm: parse once, as the thread has
  const samples: number[] = [];
  for (let i = 0; i < trials; i++) {
    const source = data();
    const started = performance.now();
    output = renderTemplate(template, source).output;
    samples.push((performance.now() - started) * 1000);
  }
  return { renderUs: summarize(samples), configBytes: Buffer.byteLength(output) };
}
