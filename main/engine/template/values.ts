/**
 * How JavaScript values stand in for Go values. Go tells int from float64 and
 * struct from map, and templates can see the difference (printing, eq, field
 * errors), so:
 * - a number is an int when it is an integer; float literals and float
 *   results are boxed in GoFloat so that `1.0` stays a float64;
 * - objects registered with markStruct are structs (unknown fields are
 *   errors); every other plain object, and every Map, is a map[string]...
 *   (unknown keys give "no value").
 */

export class GoFloat {
  constructor(readonly value: number) {}
}

export type Kind = 'nil' | 'bool' | 'int' | 'float' | 'string' | 'slice' | 'map' | 'struct' | 'other';

export type GoMap = ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;

const structTypes = new WeakMap<object, string>();
const declaredTypes = new WeakMap<object, string>();
const mapZeroValues = new WeakMap<object, unknown>();

/** Registers `value` as a Go struct of type `typeName` (the name appears in error messages). */
export function markStruct<T extends object>(value: T, typeName: string): T {
  structTypes.set(value, typeName);
  return value;
}

/** Gives a slice or map its Go type, e.g. []*dependency.HealthService, when its elements cannot tell. */
export function declareType<T extends object>(value: T, typeName: string, mapZero?: unknown): T {
  declaredTypes.set(value, typeName);
  if (mapZero !== undefined) mapZeroValues.set(value, mapZero);
  return value;
}

export function kindOf(value: unknown): Kind {
  if (value === undefined || value === null) return 'nil';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'string':
      return 'string';
    case 'object':
      if (value instanceof GoFloat) return 'float';
      if (Array.isArray(value)) return 'slice';
      if (structTypes.has(value)) return 'struct';
      if (value instanceof Map) return 'map';
      return Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null
        ? 'map'
        : 'other';
    default:
      return 'other';
  }
}

export function isNil(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

export function numberValue(value: unknown): number {
  return value instanceof GoFloat ? value.value : typeof value === 'number' ? value : NaN;
}

export function isGoMap(value: unknown): value is GoMap {
  return kindOf(value) === 'map';
}

/** Go's string order compares UTF-8 bytes, which is code point order, not UTF-16 order. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y;
    return (a.codePointAt(i) ?? 0) - (b.codePointAt(i) ?? 0);
  }
  return a.length - b.length;
}

export function mapKeys(map: GoMap): string[] {
  const keys = map instanceof Map ? [...(map as ReadonlyMap<string, unknown>).keys()] : Object.keys(map);
  return keys.sort(compareStrings);
}

export function mapSize(map: GoMap): number {
  return map instanceof Map ? (map as ReadonlyMap<string, unknown>).size : Object.keys(map).length;
}

/** `found` is false when the key is absent (Go's invalid value). */
export function mapLookup(map: GoMap, key: string): { found: boolean; value: unknown } {
  if (map instanceof Map) {
    const m = map as ReadonlyMap<string, unknown>;
    return { found: m.has(key), value: m.get(key) };
  }
  const record = map as Readonly<Record<string, unknown>>;
  return Object.hasOwn(record, key)
    ? { found: true, value: record[key] }
    : { found: false, value: undefined };
}

/** What index returns for a missing key: the element type's zero value when known. */
export function mapZero(map: GoMap): unknown {
  return mapZeroValues.get(map);
}

export function structFields(value: object): [string, unknown][] {
  return Object.entries(value);
}

export function structLookup(value: object, field: string): { found: boolean; value: unknown } {
  return Object.hasOwn(value, field)
    ? { found: true, value: (value as Record<string, unknown>)[field] }
    : { found: false, value: undefined };
}

function elementType(values: Iterable<unknown>): string {
  let common: string | undefined;
  for (const v of values) {
    const t = isNil(v) ? 'interface {}' : typeName(v);
    if (common === undefined) common = t;
    else if (common !== t) return 'interface {}';
  }
  return common ?? 'interface {}';
}

/** The Go type name as fmt's %T and error messages show it. */
export function typeName(value: unknown): string {
  switch (kindOf(value)) {
    case 'nil':
      return '<nil>';
    case 'bool':
      return 'bool';
    case 'int':
      return 'int';
    case 'float':
      return 'float64';
    case 'string':
      return 'string';
    case 'slice':
      return declaredTypes.get(value as object) ?? `[]${elementType(value as unknown[])}`;
    case 'map': {
      const map = value as GoMap;
      const values =
        map instanceof Map ? (map as ReadonlyMap<string, unknown>).values() : Object.values(map as object);
      return declaredTypes.get(map) ?? `map[string]${elementType(values)}`;
    }
    case 'struct':
      return structTypes.get(value as object) ?? 'struct {}';
    default:
      return typeof value;
  }
}

/** Go's truth: false, 0, "", nil and empty slices and maps are false; structs are true. */
export function isTrue(value: unknown): boolean {
  switch (kindOf(value)) {
    case 'nil':
      return false;
    case 'bool':
      return value === true;
    case 'int':
    case 'float':
      return numberValue(value) !== 0;
    case 'string':
      return (value as string).length > 0;
    case 'slice':
      return (value as unknown[]).length > 0;
    case 'map':
      return mapSize(value as GoMap) > 0;
    default:
      return true;
  }
}
