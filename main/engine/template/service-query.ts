/**
 * consul-template's query strings for `service` ("tag.name@dc~near|filter")
 * and `key` ("path@dc"), narrowed to what this app serves: the local
 * datacenter and the passing/any health filters. Anything else is rejected
 * with a message that says so, rather than silently ignored.
 */
import type { ServiceQuery, TemplateDependency } from './types.js';

// [[:word:]] in Go's RE2 is ASCII [0-9A-Za-z_], as \w is here. The tag may
// contain dots, so the name is what follows the last one.
const TAG = /^[\w=:\-.]+$/;
const NAME = /^[\w\-/]+$/;

const FILTERS: ReadonlySet<string> = new Set(['passing', 'any']);

/** "web", "backend.web", "web|any", "backend.web|passing". */
export function parseServiceQuery(text: string): ServiceQuery {
  const bar = text.indexOf('|');
  const head = bar < 0 ? text : text.slice(0, bar);
  const filterText = bar < 0 ? 'passing' : text.slice(bar + 1);
  if (head.includes('@'))
    throw new Error(
      `service query ${JSON.stringify(text)}: datacenters are not supported (only the local datacenter is queried)`,
    );
  if (head.includes('~'))
    throw new Error(`service query ${JSON.stringify(text)}: "~near" sorting is not supported`);
  const filters = [...new Set(filterText.split(',').map((f) => f.trim()))];
  const [filter] = filters;
  if (filters.length !== 1 || filter === undefined || !FILTERS.has(filter))
    throw new Error(
      `service query ${JSON.stringify(text)}: unsupported health filter ${JSON.stringify(filterText)} (use "passing" or "any")`,
    );
  const dot = head.lastIndexOf('.');
  const tag = dot < 0 ? undefined : head.slice(0, dot);
  const name = head.slice(dot + 1);
  if (!NAME.test(name) || (tag !== undefined && !TAG.test(tag)))
    throw new Error(`invalid service query ${JSON.stringify(text)}: expected [tag.]name[|filter]`);
  const query: ServiceQuery = { name, filter: filter as ServiceQuery['filter'] };
  if (tag !== undefined) query.tag = tag;
  return query;
}

export function serviceDependency(query: ServiceQuery): TemplateDependency {
  const tag = query.tag === undefined ? '' : `${query.tag}.`;
  return { kind: 'service', key: `service:${tag}${query.name}|${query.filter}`, query };
}

export function servicesDependency(): TemplateDependency {
  return { kind: 'services', key: 'services' };
}

/** A KV path as consul-template reads it: a leading "/" is dropped; "@dc" is not supported. */
export function parseKeyPath(text: string): string {
  if (text.includes('@'))
    throw new Error(
      `key ${JSON.stringify(text)}: datacenters are not supported (only the local datacenter is queried)`,
    );
  return text.startsWith('/') ? text.slice(1) : text;
}

export function keyDependency(path: string): TemplateDependency {
  return { kind: 'key', key: `key:${path}`, path };
}
