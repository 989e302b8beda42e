/**
 * The public data types of the template engine. They follow consul-template's
 * model (service, services, key) narrowed to what this app serves: one local
 * datacenter and the two health filters its nginx config needs.
 */

export interface ServiceQuery {
  name: string;
  tag?: string;
  /** 'passing' = healthy only (consul-template's default); 'any' = all */
  filter: 'passing' | 'any';
}

/** `key` is stable across renders, e.g. 'service:backend.web|passing', 'services', 'key:app/config'. */
export type TemplateDependency =
  | { kind: 'service'; key: string; query: ServiceQuery }
  | { kind: 'services'; key: string }
  | { kind: 'key'; key: string; path: string };

export interface ServiceInstance {
  ID: string;
  Name: string;
  Address: string;
  Port: number;
  Tags: string[];
  Node: string;
  NodeAddress: string;
  ServiceMeta: Record<string, string>;
  Status: string;
}

export interface CatalogServiceEntry {
  Name: string;
  Tags: string[];
}

export interface TemplateDataSource {
  /** undefined = not loaded yet (the dependency is recorded and the render is incomplete) */
  service(query: ServiceQuery): readonly ServiceInstance[] | undefined;
  services(): readonly CatalogServiceEntry[] | undefined;
  /** undefined = not loaded yet; null = loaded, key does not exist */
  key(path: string): string | null | undefined;
  env(name: string): string;
}

export interface RenderLimits {
  /** Bytes of UTF-8 output; also caps any single string value a template builds. */
  maxOutputBytes: number;
  /**
   * Abstract evaluation steps: one per node, command, call and loop iteration,
   * plus every function's work by the size of its arguments and its result
   * (see function-types.ts). A step is well under a microsecond.
   */
  maxSteps: number;
  /** Wall-clock time of one render, a backstop for work the step count misjudges. */
  maxMilliseconds: number;
}

export const DEFAULT_RENDER_LIMITS: Readonly<RenderLimits> = Object.freeze({
  maxOutputBytes: 1024 * 1024,
  maxSteps: 1_000_000,
  maxMilliseconds: 2000,
});

export interface RenderOptions {
  /**
   * Where the evaluator keeps the source offset of the node it works on
   * (element 0), so that another thread can tell where a render that stopped
   * answering was.
   */
  progress?: Int32Array;
}

export interface RenderResult {
  output: string;
  /** De-duplicated, in the order of their first call. */
  dependencies: TemplateDependency[];
  /** false when some dependency was not loaded yet: the output used empty values for it. */
  complete: boolean;
}

export interface CompiledTemplate {
  name: string;
  source: string;
}
