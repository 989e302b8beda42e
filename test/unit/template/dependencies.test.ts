import { describe, expect, it } from 'vitest';
import {
  compileTemplate,
  renderTemplate,
  type TemplateDependency,
} from '../../../main/engine/template/index.js';
import { FakeDataSource, instances, render, standardData } from './helpers.js';

function keysOf(deps: TemplateDependency[]): string[] {
  return deps.map((d) => d.key);
}

describe('dependency discovery', () => {
  it('records service, services and key dependencies with stable keys and their queries', () => {
    const result = render(
      '{{ service "backend.web" }}{{ service "web|any" }}{{ services }}{{ key "app/config" }}',
    );
    expect(result.dependencies).toEqual([
      {
        kind: 'service',
        key: 'service:backend.web|passing',
        query: { name: 'web', tag: 'backend', filter: 'passing' },
      },
      { kind: 'service', key: 'service:web|any', query: { name: 'web', filter: 'any' } },
      { kind: 'services', key: 'services' },
      { kind: 'key', key: 'key:app/config', path: 'app/config' },
    ]);
    expect(result.complete).toBe(true);
  });

  it('records keyOrDefault and keyExists as key dependencies', () => {
    const result = render('{{ keyOrDefault "a/b" "x" }}{{ keyExists "/c" }}', {
      keys: { 'a/b': null, c: 'v' },
    });
    expect(keysOf(result.dependencies)).toEqual(['key:a/b', 'key:c']);
    expect(result.output).toBe('xtrue');
  });

  it('de-duplicates dependencies in first-call order, equivalent queries included', () => {
    const source =
      '{{ key "k2" }}{{ range 3 }}{{ service "web" }}{{ key "k1" }}{{ end }}{{ service "web|passing" }}{{ key "/k2" }}';
    expect(keysOf(render(source).dependencies)).toEqual(['key:k2', 'service:web|passing', 'key:k1']);
  });

  it('discovers dependencies from computed arguments', () => {
    const source =
      '{{ range split "," "api,web" }}{{ service (printf "%s.%s" "backend" .) }}{{ end }}{{ key (print "app/" (env "REGION")) }}';
    expect(keysOf(render(source).dependencies)).toEqual([
      'service:backend.api|passing',
      'service:backend.web|passing',
      'key:app/eu',
    ]);
  });

  it('discovers dependencies that only later data reveals, as consul-template does', () => {
    const source = '{{ range services }}{{ range service .Name }}{{ .Address }} {{ end }}{{ end }}';
    const first = render(source, { catalog: undefined });
    expect(keysOf(first.dependencies)).toEqual(['services']);
    expect(first.complete).toBe(false);
    const second = render(source, { catalog: [{ Name: 'web', Tags: [] }], services: { web: instances(2) } });
    expect(keysOf(second.dependencies)).toEqual(['services', 'service:web|passing']);
    expect(second.complete).toBe(true);
    expect(second.output).toBe('10.0.0.1 10.0.0.2 ');
  });

  it('records only the calls that run', () => {
    const result = render('{{ if false }}{{ key "never" }}{{ else }}{{ key "app/config" }}{{ end }}');
    expect(keysOf(result.dependencies)).toEqual(['key:app/config']);
  });

  it('renders empty values and marks the result incomplete while data is not loaded', () => {
    const result = render(
      '[{{ range service "web" }}x{{ else }}empty{{ end }}] [{{ key "k" }}] [{{ keyOrDefault "k" "d" }}] [{{ len services }}]',
      {},
    );
    expect(result.output).toBe('[empty] [] [d] [0]');
    expect(result.complete).toBe(false);
    expect(keysOf(result.dependencies)).toEqual(['service:web|passing', 'key:k', 'services']);
  });

  it('stays complete when loaded data is empty or keys do not exist', () => {
    const result = render('{{ service "web" }}{{ key "gone" }}', {
      services: { web: [] },
      keys: { gone: null },
    });
    expect(result.complete).toBe(true);
  });

  it('asks the data source with the parsed query', () => {
    const source = new FakeDataSource(standardData());
    renderTemplate(compileTemplate('{{ service "canary.web" "any" }}{{ key "/app/config" }}'), source);
    expect(source.queries).toEqual([{ name: 'web', tag: 'canary', filter: 'any' }]);
    expect(source.keyReads).toEqual(['app/config']);
  });

  it('starts each render with a fresh dependency list', () => {
    const template = compileTemplate(
      '{{ if eq (env "MODE") "a" }}{{ key "a" }}{{ else }}{{ key "b" }}{{ end }}',
    );
    const a = renderTemplate(template, new FakeDataSource({ env: { MODE: 'a' }, keys: { a: '1' } }));
    const b = renderTemplate(template, new FakeDataSource({ env: { MODE: 'b' }, keys: { b: '2' } }));
    expect(keysOf(a.dependencies)).toEqual(['key:a']);
    expect(keysOf(b.dependencies)).toEqual(['key:b']);
  });
});
