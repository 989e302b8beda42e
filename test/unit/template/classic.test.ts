import { describe, expect, it } from 'vitest';
import { compileTemplate, renderTemplate } from '../../../main/engine/template/index.js';
import { FakeDataSource, instance } from './helpers.js';

const CLASSIC = `upstream app {
  least_conn;
  {{range service "backend.web"}}server {{.Address}}:{{.Port}} max_fails=3 fail_timeout=60 weight=1;
  {{else}}server 127.0.0.1:65535; # force a 502{{end}}
}

server {
  listen 80 default_server;

  location / {
    proxy_pass http://app;
  }
}
`;

const TAIL = `}

server {
  listen 80 default_server;

  location / {
    proxy_pass http://app;
  }
}
`;

function renderClassic(count: number): ReturnType<typeof renderTemplate> {
  const web = Array.from({ length: count }, (_, i) =>
    instance(i + 1, { Address: `172.18.0.${i + 2}`, Port: 8000 + i, Tags: ['backend'] }),
  );
  return renderTemplate(
    compileTemplate(CLASSIC, 'nginx.conf.ctmpl'),
    new FakeDataSource({ services: { 'backend.web': web } }),
  );
}

describe('the classic consul-template nginx demo', () => {
  it('renders the 502 fallback with zero instances', () => {
    const result = renderClassic(0);
    expect(result.output).toBe(
      `upstream app {\n  least_conn;\n  server 127.0.0.1:65535; # force a 502\n${TAIL}`,
    );
    expect(result.complete).toBe(true);
  });

  it('renders one server line for one instance', () => {
    expect(renderClassic(1).output).toBe(
      'upstream app {\n  least_conn;\n' +
        '  server 172.18.0.2:8000 max_fails=3 fail_timeout=60 weight=1;\n  \n' +
        TAIL,
    );
  });

  it('renders one server line per instance, in the data source order', () => {
    expect(renderClassic(3).output).toBe(
      'upstream app {\n  least_conn;\n' +
        '  server 172.18.0.2:8000 max_fails=3 fail_timeout=60 weight=1;\n' +
        '  server 172.18.0.3:8001 max_fails=3 fail_timeout=60 weight=1;\n' +
        '  server 172.18.0.4:8002 max_fails=3 fail_timeout=60 weight=1;\n  \n' +
        TAIL,
    );
  });

  it('depends on exactly the healthy backend.web instances', () => {
    expect(renderClassic(3).dependencies).toEqual([
      {
        kind: 'service',
        key: 'service:backend.web|passing',
        query: { name: 'web', tag: 'backend', filter: 'passing' },
      },
    ]);
  });

  it('renders the fallback, incomplete, until the service is loaded', () => {
    const result = renderTemplate(compileTemplate(CLASSIC), new FakeDataSource({}));
    expect(result.output).toContain('server 127.0.0.1:65535; # force a 502');
    expect(result.complete).toBe(false);
  });
});
