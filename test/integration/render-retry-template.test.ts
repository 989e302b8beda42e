/**
 * A failed render is tried again. The first render is the one that learns which Consul data the
 * template reads; when it fails (it overran on a starved machine, in the case that was seen), no
 * watch exists to wake the loop, and the LB stayed without a config for good. Here the template
 * fails only for its first few seconds (real Consul and nginx); the config must follow after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RenderHarness } from '../support/render-harness.js';

describe('a render that failed is tried again (real Consul and nginx)', () => {
  let harness: RenderHarness;
  // Unix seconds: the template refuses to render until then (starting the harness takes seconds).
  let until = 0;
  const template =
    (): string => `{{ if lt (parseInt (timestamp "unix")) ${until} }}{{ parseInt "not yet" }}{{ end }}upstream app {
  {{range service "web"}}server {{.Address}}:{{.Port}}; # {{.ID}}
  {{else}}server 127.0.0.1:65535;{{end}}
}
server {
  listen 80 default_server;
  location / { proxy_pass http://app; }
}
`;

  beforeAll(async () => {
    until = Math.floor(Date.now() / 1000) + 12;
    harness = await RenderHarness.start(template());
    expect(Date.now() / 1000).toBeLessThan(until);
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it(
    'renders once the template stops failing, and follows Consul from then on',
    { timeout: 60_000 },
    async () => {
      await harness.register({ ID: 'retry-1', Name: 'web', Address: '10.0.0.1', Port: 80 });
      const config = await harness.waitForConfig(
        'the instance in the config',
        (c) => c.includes('# retry-1'),
        30_000,
      );
      expect(Date.now() / 1000).toBeGreaterThanOrEqual(until);
      expect(config).toContain('server 10.0.0.1:80;');
      expect(harness.timeline.list().some((e) => e.kind === 'template-error')).toBe(true);
    },
  );
});
