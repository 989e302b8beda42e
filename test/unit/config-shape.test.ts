import { describe, expect, it } from 'vitest';
import { configShape } from '../../main/engine/lb/config-shape.js';

const upstream = (servers: readonly string[], head = '  least_conn;'): string =>
  [
    'upstream app {',
    head,
    ...servers.map((s) => `  server ${s} max_fails=3 fail_timeout=60 weight=1;`),
    '}',
    'server { listen 80; }',
  ].join('\n');

describe('configShape', () => {
  it('is the same for one backend, several, and other addresses', () => {
    const one = configShape(upstream(['172.18.0.3:80']));
    expect(one).toBeDefined();
    expect(configShape(upstream(['172.18.0.3:80', '172.18.0.4:80', '10.1.2.3:8080']))).toBe(one);
    expect(configShape(upstream(['192.168.9.9:65535']))).toBe(one);
  });

  it('differs when anything but an address changes', () => {
    const base = configShape(upstream(['172.18.0.3:80']));
    // Another balancing method, other parameters, a comment, a host name, IPv6: all checked.
    expect(configShape(upstream(['172.18.0.3:80'], '  ip_hash;'))).not.toBe(base);
    expect(configShape(upstream(['172.18.0.3:80']).replace('weight=1', 'weight=2'))).not.toBe(base);
    expect(configShape(upstream(['172.18.0.3:80']).replace('weight=1;', 'weight=1; # web-1'))).not.toBe(base);
    expect(configShape(upstream(['web:80']))).not.toBe(base);
    expect(configShape(upstream(['[::1]:80']))).not.toBe(base);
    // No server at all is another shape: nginx refuses an empty upstream.
    expect(configShape(upstream([]))).not.toBe(base);
  });

  it('keeps runs apart when another line separates them', () => {
    const two = (a: string[], b: string[]): string =>
      [upstream(a), upstream(b).replace('upstream app', 'upstream api')].join('\n');
    const base = configShape(two(['10.0.0.1:80'], ['10.0.0.2:80']));
    expect(configShape(two(['10.0.0.1:80', '10.0.0.3:80'], ['10.0.0.2:80']))).toBe(base);
    // The second upstream losing its only server is not "fewer addresses".
    expect(configShape(two(['10.0.0.1:80'], []))).not.toBe(base);
  });

  it('has no shape when an address is one nginx would refuse', () => {
    expect(configShape(upstream(['172.18.0.300:80']))).toBeUndefined();
    expect(configShape(upstream(['172.18.0.3:0']))).toBeUndefined();
    expect(configShape(upstream(['172.18.0.3:70000']))).toBeUndefined();
  });
});
