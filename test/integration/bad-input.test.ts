/**
 * Bad input never reaches nginx, and nothing is exposed beyond 127.0.0.1
 * (real Docker, Consul and nginx). Each attack is tried for real: crafted
 * registrations straight into Consul's API, crafted SERVICE_* values on a
 * container that joins the demo network, templates that loop or explode.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/engine/engine.js';
import type { DiscoveryService } from '../../main/service/discovery-service.js';
import { STACK_LABEL, stackNetworkName } from '../../main/engine/stack/stack-config.js';
import { probe } from '../../main/engine/traffic/http-probe.js';
import { TestResources, docker } from '../support/docker-fixtures.js';
import { removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { waitFor } from '../support/wait.js';

/** A template that puts names, tags and meta into the config, where an injection would land. */
const REVEALING_TEMPLATE = `upstream app {
  least_conn;
  {{range service "web"}}# {{.Name}} {{.ID}} tags={{join "," .Tags}} note={{index .ServiceMeta "note"}}
  server {{.Address}}:{{.Port}};
  {{else}}server 127.0.0.1:65535; # force a 502{{end}}
}

server {
  listen 80 default_server;
  location / {
    proxy_pass http://app;
  }
}
`;

const INJECTED = /listen 9999|include \/etc|return 200/;

describe('bad input is refused and nothing leaks (real Docker, Consul, nginx)', () => {
  let engine: Engine;
  let app: DiscoveryService;
  const resources = new TestResources();

  beforeAll(async () => {
    ({ engine, app } = await startTestEngine({ webCount: 1 }));
    await app.setTemplate({ source: REVEALING_TEMPLATE });
    await waitFor('the revealing template to be live', () => app.getStatus().lb.config?.includes('tags='), {
      timeoutMs: 20_000,
      intervalMs: 50,
    });
  });

  afterAll(async () => {
    await resources.cleanup();
    await removeTestStack({ engine });
  });

  it('drops crafted registrations made straight in Consul before they reach nginx', async () => {
    const consul = app.getStatus().consul.url;
    const crafted = [
      {
        ID: 'evil-tags',
        Name: 'web',
        Address: '10.0.0.1',
        Port: 80,
        Tags: ['backend', 'x;} server { listen 9999; }', 'line\nbreak'],
        Meta: { note: 'fine' },
      },
      {
        ID: 'evil-meta',
        Name: 'web',
        Address: '10.0.0.2',
        Port: 80,
        Tags: ['backend'],
        Meta: { note: 'a; include /etc/passwd; #' },
      },
      { ID: 'evil-address', Name: 'web', Address: '10.0.0.3; return 200 evil', Port: 80, Tags: ['backend'] },
    ];
    for (const service of crafted) {
      const response = await fetch(`${consul}/v1/agent/service/register`, {
        method: 'PUT',
        body: JSON.stringify(service),
        signal: AbortSignal.timeout(5000),
      });
      expect(response.status).toBe(200);
    }
    try {
      // The two entries with a safe address stay, stripped of what was unsafe; the third is left out.
      await waitFor(
        'the crafted services to be rendered',
        () => app.getStatus().lb.config?.includes('10.0.0.2'),
        {
          timeoutMs: 20_000,
          intervalMs: 50,
        },
      );
      const config = app.getStatus().lb.config ?? '';
      expect(config).toContain('server 10.0.0.1:80;');
      expect(config).toContain('evil-meta tags=backend note=');
      expect(config).not.toMatch(INJECTED);
      expect(config).not.toContain('10.0.0.3');
      const warnings = engine.timeline
        .list()
        .filter((e) => e.kind === 'warning')
        .map((e) => e.message);
      expect(warnings.join('\n')).toMatch(/evil-tags.*tag .* was dropped/);
      expect(warnings.join('\n')).toMatch(/evil-meta.*meta "note" was dropped/);
      expect(warnings.join('\n')).toMatch(/evil-address.*is not an IP address/);
      // nginx accepted the config and keeps serving.
      expect(app.getStatus().lb.lastError).toBeUndefined();
    } finally {
      for (const { ID } of crafted)
        await fetch(`${consul}/v1/agent/service/deregister/${ID}`, {
          method: 'PUT',
          signal: AbortSignal.timeout(5000),
        });
    }
  });

  it('registers a container with malformed SERVICE_* values sanely, and others are unaffected', async () => {
    const network = stackNetworkName(engine.config.project);
    const container = await resources.run({
      network,
      env: {
        SERVICE_NAME: 'web',
        SERVICE_TAGS: 'backend,bad tag;},ok',
        SERVICE_NOTE: 'x} server { listen 9999; }',
        SERVICE_CHECK_INTERVAL: 'soon',
      },
    });
    const name = (await container.inspect()).Name.slice(1);
    await waitFor(
      'the malformed container to be registered',
      () => app.getStatus().lb.config?.includes(name),
      {
        timeoutMs: 20_000,
        intervalMs: 50,
      },
    );
    const config = app.getStatus().lb.config ?? '';
    const line = config.split('\n').find((l) => l.includes(name)) ?? '';
    expect(line).toMatch(/tags=backend,ok note=$/);
    expect(config).not.toMatch(INJECTED);
    // The demo's own backend still serves.
    const web = app.getStatus().services.find((s) => s.name === 'web');
    expect(web?.instances.length).toBeGreaterThanOrEqual(2);
    expect((await probe(app.getStatus().lb.url, 'get')).ok).toBe(true);
  });

  it('refuses a template that loops for ever or renders megabytes, with its position, and keeps the last good config', async () => {
    const good = app.getStatus().lb.config;
    const generation = app.getStatus().lb.generation;
    const explode = `{{range $i, $_ := service "web"}}{{end}}{{define "x"}}{{template "x" .}}{{end}}{{template "x" .}}`;
    const huge = `{{range service "web"}}{{printf "%0999999d" 1}}{{printf "%0999999d" 1}}{{end}}`;
    for (const source of [explode, huge]) {
      const started = Date.now();
      try {
        await app.setTemplate({ source });
      } catch {
        // Refused up front is fine too; the status must still say why.
      }
      await waitFor('the template error', () => app.getStatus().template.lastError, {
        timeoutMs: 10_000,
        intervalMs: 20,
      });
      expect(Date.now() - started).toBeLessThan(10_000);
      const error = app.getStatus().template.lastError;
      expect(error?.message).toMatch(/\d+:\d+|depth|limit/);
      expect(app.getStatus().lb.config).toBe(good);
      expect(app.getStatus().lb.generation).toBe(generation);
      expect((await probe(app.getStatus().lb.url, 'post')).ok).toBe(true);
      await app.setTemplate({ source: REVEALING_TEMPLATE });
      await waitFor('the error to clear', () => !app.getStatus().template.lastError, {
        timeoutMs: 10_000,
        intervalMs: 20,
      });
    }
  });

  it('publishes every port of the stack on 127.0.0.1 only, and only loopback listens on them', async () => {
    const containers = await docker.listContainers({
      filters: { label: [`${STACK_LABEL}=${engine.config.project}`] },
    });
    const published = containers.flatMap((c) => c.Ports.filter((p) => p.PublicPort));
    // Consul's UI/API and the LB are published; nothing else.
    expect(published.map((p) => p.PrivatePort).sort()).toEqual([80, 8500]);
    for (const port of published) expect(port.IP).toBe('127.0.0.1');
    // What actually listens on the host: every socket on those ports is bound to 127.0.0.1.
    const listening = execFileSync('ss', ['-Hltn'], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[3] ?? '')
      .filter((local) => published.some((p) => local.endsWith(`:${p.PublicPort}`)));
    expect(listening.length).toBeGreaterThanOrEqual(2);
    for (const local of listening) expect(local).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});
