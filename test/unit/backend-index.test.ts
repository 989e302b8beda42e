import { describe, expect, it } from 'vitest';
import { BackendIndex } from '../../main/engine/hits/backend-index.js';
import type { WebBackend } from '../../main/engine/hits/hits-service.js';

const backend = (i: number, port = 80): WebBackend => ({
  containerId: `c${i}`,
  containerName: `web-${i}`,
  address: `172.18.${Math.floor(i / 250)}.${i % 250}`,
  port,
});

describe('BackendIndex (the hit path looks up its backend)', () => {
  it('finds a backend by container and by ip:port, the first one when a container serves two ports', () => {
    const list = [backend(1), backend(2), { ...backend(2), port: 8080 }];
    const index = new BackendIndex(() => list);
    expect(index.ofContainer('c2')?.port).toBe(80);
    expect(index.at('172.18.0.2:8080')?.containerId).toBe('c2');
    expect(index.ofContainer('c9')).toBeUndefined();
    expect(index.at('172.18.0.1:8080')).toBeUndefined();
  });

  it('follows the registrations: a new list is indexed again', () => {
    let list = [backend(1)];
    const index = new BackendIndex(() => list);
    expect(index.ofContainer('c1')).toBeDefined();
    list = [backend(2)];
    expect(index.ofContainer('c1')).toBeUndefined();
    expect(index.at('172.18.0.2:80')?.containerName).toBe('web-2');
  });

  it('costs a hit the same at 20,000 backends as at one: no scan of the list per lookup', () => {
    // A scan per lookup (what the hit path did) makes these 50,000 lookups 10^9 comparisons: seconds.
    const list = Array.from({ length: 20_000 }, (_, i) => backend(i));
    const index = new BackendIndex(() => list);
    const started = performance.now();
    let found = 0;
    for (let i = 0; i < 50_000; i++) if (index.at(`172.18.79.${(i % 200) + 50}:80`)) found++;
    expect(found).toBe(50_000);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
