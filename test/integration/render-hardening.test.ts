/**
 * No single registration, KV value or environment variable can inject into,
 * or freeze, the nginx config (real Consul, real nginx in the LB container).
 * Registrations go straight into Consul's API, as anyone who can reach
 * Consul can make them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RenderHarness } from '../support/render-harness.js';

const TEMPLATE = `upstream app {
  {{range service "web|any"}}server {{.Address}}:{{.Port}} {{index .ServiceMeta "opts"}}; # {{.ID}}
  {{else}}server 127.0.0.1:65535; # force a 502{{end}}
}

server {
  listen 80 default_server;
  server_name {{keyOrDefault "demo/server-name" "localhost"}};
  # note: {{key "demo/note"}}
  # env: {{env "DISCOVERY_TRAY_CONSUL_TOKEN"}}
  location / {
    proxy_pass http://app;
  }
}
`;

const INJECTED = /listen 9999|return 200/;

describe('hardened rendering (real Consul and nginx)', () => {
  let harness: RenderHarness;
  const previousToken = process.env.DISCOVERY_TRAY_CONSUL_TOKEN;

  beforeAll(async () => {
    process.env.DISCOVERY_TRAY_CONSUL_TOKEN = 'secret-token-4711';
    harness = await RenderHarness.start(TEMPLATE);
    await harness.register({ ID: 'good-1', Name: 'web', Address: '10.0.0.1', Port: 80 });
    await harness.waitForConfig('the first instance to be live', (c) => c.includes('# good-1'));
  });

  afterAll(async () => {
    if (previousToken === undefined) delete process.env.DISCOVERY_TRAY_CONSUL_TOKEN;
    else process.env.DISCOVERY_TRAY_CONSUL_TOKEN = previousToken;
    await harness?.stop();
  });

  it('never renders the Consul token from the environment', () => {
    const config = harness.lb.status().config ?? '';
    expect(config).toContain('# env: ');
    expect(config).not.toContain('secret-token-4711');
  });

  it('refuses KV values that would add nginx syntax, with a warning, and renders the safe fallback', async () => {
    await harness.putKey('demo/server-name', 'prod; } server { listen 9999; server_name x');
    await harness.putKey('demo/note', 'fine\n  location /x { return 200 "injected"; }');
    await harness.putKey('demo/unused', 'x');
    // A change nginx accepts, after the KV writes: once it is live, the KV values have been rendered too.
    await harness.register({ ID: 'good-2', Name: 'web', Address: '10.0.0.2', Port: 80 });
    const config = await harness.waitForConfig('the second instance to be live', (c) =>
      c.includes('# good-2'),
    );
    expect(config).not.toMatch(INJECTED);
    expect(config).toContain('server_name localhost;');
    expect(config).toMatch(/# note: \n/);
    const warnings = harness.warnings().join('\n');
    expect(warnings).toMatch(/demo\/server-name/);
    expect(warnings).toMatch(/demo\/note/);

    await harness.putKey('demo/server-name', 'app.example.com www.example.com');
    await harness.waitForConfig('a safe KV value to be rendered', (c) =>
      c.includes('server_name app.example.com www.example.com;'),
    );
  });

  it('keeps routing new instances when one registration makes nginx refuse the config, and names it', async () => {
    // Each of these passed the old checks and broke `nginx -t` for the whole file.
    await harness.register({ ID: 'bad-port-in-address', Name: 'web', Address: '1.2.3.4:9', Port: 80 });
    await harness.register({ ID: 'bad-octet', Name: 'web', Address: '999.1.1.1', Port: 80 });
    await harness.register({
      ID: 'bad-comment',
      Name: 'web',
      Address: '10.0.0.5',
      Port: 80,
      Meta: { opts: 'weight=5 #' },
    });
    await harness.register({
      ID: 'bad-weight',
      Name: 'web',
      Address: '10.0.0.6',
      Port: 80,
      Meta: { opts: 'weight=lots' },
    });
    // An IPv6 address is routed, in brackets.
    await harness.register({ ID: 'v6', Name: 'web', Address: '::1', Port: 8080 });
    await harness.register({ ID: 'good-3', Name: 'web', Address: '10.0.0.3', Port: 80 });
    const config = await harness.waitForConfig('the new instance to be live', (c) => c.includes('# good-3'));
    expect(config).toContain('server [::1]:8080 ; # v6');
    // A meta value that would comment out the rest of the line is dropped; the instance stays.
    expect(config).toContain('server 10.0.0.5:80 ; # bad-comment');
    for (const bad of ['bad-port-in-address', 'bad-octet', 'bad-weight'])
      expect(config).not.toContain(`# ${bad}\n`);
    expect(harness.lb.status().lastError).toBeUndefined();

    // Each one left out is named with its reason; the one only nginx could tell stays out until it changes.
    const excluded = harness.loop.status().excluded;
    expect(excluded.map((e) => `${e.serviceId} ${e.refusedBy}`).sort()).toEqual([
      'bad-octet check',
      'bad-port-in-address check',
      'bad-weight nginx',
    ]);
    const byNginx = excluded.find((e) => e.refusedBy === 'nginx');
    expect(byNginx).toMatchObject({ service: 'web', address: '10.0.0.6:80' });
    expect(byNginx?.reason).toMatch(/nginx refused it: .*invalid.*weight/);
    const warnings = harness.warnings().join('\n');
    for (const bad of ['bad-port-in-address', 'bad-octet', 'bad-comment', 'bad-weight'])
      expect(warnings).toContain(bad);

    // Scaling down still works: a deregistered instance leaves the config.
    await harness.deregister('good-1');
    await harness.waitForConfig('the removed instance to leave', (c) => !c.includes('# good-1'));
    // And a fixed registration comes back.
    await harness.register({
      ID: 'bad-weight',
      Name: 'web',
      Address: '10.0.0.6',
      Port: 80,
      Meta: { opts: 'weight=2' },
    });
    await harness.waitForConfig('the fixed instance to be live', (c) =>
      c.includes('server 10.0.0.6:80 weight=2; # bad-weight'),
    );
    expect(harness.loop.status().excluded.map((e) => e.serviceId)).not.toContain('bad-weight');
  });
});
