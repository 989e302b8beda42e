import {
  compileTemplate,
  renderTemplate,
  type CatalogServiceEntry,
  type RenderLimits,
  type RenderResult,
  type ServiceInstance,
  type ServiceQuery,
  type TemplateDataSource,
} from '../../../main/engine/template/index.js';

export interface FakeData {
  /** Service name (or "tag.name") -> instances; a missing entry means "not loaded yet". */
  services?: Record<string, ServiceInstance[]>;
  catalog?: CatalogServiceEntry[] | undefined;
  /** Path -> value; null = does not exist; a missing entry means "not loaded yet". */
  keys?: Record<string, string | null>;
  env?: Record<string, string>;
}

/** An in-memory data source that also remembers the queries it was asked. */
export class FakeDataSource implements TemplateDataSource {
  readonly queries: ServiceQuery[] = [];
  readonly keyReads: string[] = [];

  constructor(private readonly fake: FakeData = {}) {}

  service(query: ServiceQuery): readonly ServiceInstance[] | undefined {
    this.queries.push(query);
    const services = this.fake.services ?? {};
    const tagged = query.tag === undefined ? undefined : services[`${query.tag}.${query.name}`];
    const list = tagged ?? services[query.name];
    if (list === undefined) return undefined;
    return query.filter === 'any' ? list : list.filter((i) => i.Status === 'passing');
  }

  services(): readonly CatalogServiceEntry[] | undefined {
    return this.fake.catalog;
  }

  key(path: string): string | null | undefined {
    this.keyReads.push(path);
    const keys = this.fake.keys ?? {};
    return Object.hasOwn(keys, path) ? keys[path] : undefined;
  }

  env(name: string): string {
    return this.fake.env?.[name] ?? '';
  }
}

export function instance(n: number, overrides: Partial<ServiceInstance> = {}): ServiceInstance {
  return {
    ID: `web-${n}`,
    Name: 'web',
    Address: `10.0.0.${n}`,
    Port: 8080,
    Tags: ['backend'],
    Node: 'node-1',
    NodeAddress: '127.0.0.1',
    ServiceMeta: { version: `1.${n}` },
    Status: 'passing',
    ...overrides,
  };
}

export function instances(count: number): ServiceInstance[] {
  return Array.from({ length: count }, (_, i) => instance(i + 1));
}

/** Everything loaded, with a few web instances, keys and env vars. */
export function standardData(): FakeData {
  return {
    services: {
      web: [
        instance(1, { Tags: ['backend', 'production'] }),
        instance(2, { Tags: ['backend'], ServiceMeta: {} }),
        instance(3, { Status: 'critical' }),
      ],
      db: [instance(9, { Name: 'db', Port: 5432, Tags: ['primary'] })],
    },
    catalog: [
      { Name: 'web', Tags: ['backend', 'production'] },
      { Name: 'db', Tags: ['primary'] },
    ],
    keys: { 'app/config': 'cfg-value', 'app/empty': '', 'app/missing': null },
    env: { HOME: '/home/demo', REGION: 'eu' },
  };
}

export function render(
  source: string,
  data: FakeData = standardData(),
  limits?: Partial<RenderLimits>,
): RenderResult {
  return renderTemplate(compileTemplate(source, 'test'), new FakeDataSource(data), limits);
}

/** The rendered text, everything loaded. */
export function out(source: string, data: FakeData = standardData()): string {
  return render(source, data).output;
}

/** The error a function throws, for asserting on its fields. */
export function caught(f: () => unknown): Error & Record<string, unknown> {
  try {
    f();
  } catch (error) {
    if (error instanceof Error) return error as Error & Record<string, unknown>;
    throw new Error(`threw a non-Error: ${String(error)}`);
  }
  throw new Error('expected an error, but nothing was thrown');
}
