/**
 * consul-template's functions (template/funcs.go), the part this app serves.
 * The data functions record their dependency on every call, computed
 * arguments included, and return an empty value while data is loading,
 * which is how consul-template discovers what a template watches.
 */
import { goQuote } from './escape.js';
import {
  COST,
  FunctionError,
  costed,
  fn,
  type FunctionContext,
  type TemplateFunction,
} from './function-types.js';
import { StringTooLongError } from './printf.js';
import {
  keyDependency,
  parseKeyPath,
  parseServiceQuery,
  serviceDependency,
  servicesDependency,
} from './service-query.js';
import { RFC3339, formatGoTime } from './timestamp.js';
import type { CatalogServiceEntry, ServiceInstance } from './types.js';
import {
  GoFloat,
  declareType,
  isNil,
  kindOf,
  markStruct,
  numberValue,
  structLookup,
  typeName,
} from './values.js';

const HEALTH_SERVICE = '*dependency.HealthService';
const CATALOG_SNIPPET = '*dependency.CatalogSnippet';

function instances(list: readonly ServiceInstance[]): readonly ServiceInstance[] {
  for (const instance of list) {
    markStruct(instance, HEALTH_SERVICE);
    if (Array.isArray(instance.Tags)) declareType(instance.Tags, '[]string');
    if (instance.ServiceMeta && typeof instance.ServiceMeta === 'object')
      declareType(instance.ServiceMeta, 'map[string]string', '');
  }
  return declareType(list, `[]${HEALTH_SERVICE}`);
}

function catalogEntries(list: readonly CatalogServiceEntry[]): readonly CatalogServiceEntry[] {
  for (const entry of list) {
    markStruct(entry, CATALOG_SNIPPET);
    if (Array.isArray(entry.Tags)) declareType(entry.Tags, '[]string');
  }
  return declareType(list, `[]${CATALOG_SNIPPET}`);
}

function service(args: unknown[], ctx: FunctionContext): unknown {
  const parts = args as string[];
  if (parts.length === 0 || parts[0] === '') return declareType([], `[]${HEALTH_SERVICE}`);
  const query = parseServiceQuery(parts.join('|'));
  const result = ctx.data.service(query);
  ctx.record(serviceDependency(query), result !== undefined);
  return instances(result ?? []);
}

function services(args: unknown[], ctx: FunctionContext): unknown {
  if (args.length > 0)
    throw new FunctionError('datacenter and filter arguments are not supported (only the local catalog)');
  const result = ctx.data.services();
  ctx.record(servicesDependency(), result !== undefined);
  return catalogEntries(result ?? []);
}

/** The key's value: a string, null when it does not exist, undefined while loading. */
function readKey(text: string, ctx: FunctionContext): string | null | undefined {
  const path = parseKeyPath(text);
  const value = ctx.data.key(path);
  ctx.record(keyDependency(path), value !== undefined);
  return value;
}

/** consul-template's `in`: membership for slices (same kind only), substring for strings. */
function listContains(list: unknown, value: unknown): boolean {
  const valueKind = kindOf(value);
  switch (kindOf(list)) {
    case 'slice':
      return (list as unknown[]).some((element) => {
        const kind = kindOf(element);
        if (kind !== valueKind) return false;
        if (kind === 'int' || kind === 'float') return numberValue(element) === numberValue(value);
        return kind === 'string' && element === value;
      });
    case 'string':
      return valueKind === 'string' && (list as string).includes(value as string);
    default:
      return false;
  }
}

type Quantifier = (values: unknown[], test: (value: unknown) => boolean) => boolean;

/** containsAll, containsAny, containsNone and containsNotAll: values first, the list (or string) second. */
function containsSome(quantifier: Quantifier): TemplateFunction {
  return costed(
    fn(['slice', 'any'], ([values, list]) => quantifier(values as unknown[], (v) => listContains(list, v))),
    COST.native,
    // Every value may be compared with every element of the list.
    ([values, list]) => COST.native * (values as unknown[]).length * (Array.isArray(list) ? list.length : 1),
  );
}

function checkLength(length: number, ctx: FunctionContext): void {
  if (length > ctx.maxStringLength) throw new StringTooLongError(ctx.maxStringLength);
}

function join(sep: string, list: string[], ctx: FunctionContext): string {
  checkLength(list.reduce((n, s) => n + s.length, 0) + sep.length * Math.max(list.length - 1, 0), ctx);
  return list.join(sep);
}

/** strings.Replace(s, from, to, -1); an empty `from` matches before every character and at the end. */
function replaceAll(from: string, to: string, s: string, ctx: FunctionContext): string {
  if (from === '') {
    const chars = [...s];
    checkLength(s.length + (chars.length + 1) * to.length, ctx);
    return to + chars.map((c) => c + to).join('');
  }
  // Counted without splitting: a one-character separator would make a string per character.
  let count = 0;
  for (let i = s.indexOf(from); i !== -1; i = s.indexOf(from, i + from.length)) count++;
  checkLength(s.length + count * (to.length - from.length), ctx);
  return s.replaceAll(from, to);
}

/** strings.Split after strings.TrimSpace, as consul-template's split; an empty separator splits characters. */
function split(sep: string, s: string): string[] {
  const trimmed = trimSpace(s);
  if (trimmed === '') return [];
  return sep === '' ? [...trimmed] : trimmed.split(sep);
}

/** unicode.IsSpace, which is not quite JavaScript's \s (U+0085 is a space, U+FEFF is not). */
function isGoSpace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x20 ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** strings.TrimSpace, with a loop rather than a regular expression that could backtrack on long runs. */
function trimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s.charCodeAt(start))) start++;
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

/** Go maps case rune by rune; a rune without a single-rune mapping (ß) stays as it is. */
function mapRunes(s: string, map: (char: string) => string): string {
  // ASCII maps to ASCII, one for one: the common case needs no per-rune loop.
  // eslint-disable-next-line no-control-regex -- the ASCII range, control characters included
  if (/^[\x00-\x7f]*$/.test(s)) return map(s);
  let out = '';
  for (const char of s) {
    const mapped = map(char);
    out += mapped.length === char.length || [...mapped].length === 1 ? mapped : char;
  }
  return out;
}

/** Go's isSeparator in strings.Title: ASCII by table, the rest by Unicode class. */
function isWordSeparator(char: string): boolean {
  const code = char.charCodeAt(0);
  if (code < 0x80) {
    const word =
      (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
    return !word && code !== 0x5f;
  }
  if (/^[\p{L}\p{Nd}_]$/u.test(char)) return false;
  return /^[\s\p{Z}]$/u.test(char);
}

/** strings.Title: upper-cases the first letter of each word. */
function toTitle(s: string): string {
  let previous = ' ';
  let out = '';
  for (const char of s) {
    const upper = isWordSeparator(previous) ? char.toUpperCase() : char;
    out += upper.length === char.length || [...upper].length === 1 ? upper : char;
    previous = char;
  }
  return out;
}

function strconvError(fnName: string, name: string, s: string, reason: string): FunctionError {
  return new FunctionError(`${name}: strconv.${fnName}: parsing ${goQuote(s)}: ${reason}`);
}

function parseInteger(s: string, signed: boolean, name: string): number {
  if (s === '') return 0;
  const fnName = signed ? 'ParseInt' : 'ParseUint';
  if (!(signed ? /^[+-]?[0-9]+$/ : /^[0-9]+$/).test(s)) throw strconvError(fnName, name, s, 'invalid syntax');
  const value = BigInt(s);
  const [min, max] = signed ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n];
  if (value < min || value > max) throw strconvError(fnName, name, s, 'value out of range');
  return Number(value);
}

function parseFloat(s: string): GoFloat {
  if (s === '') return new GoFloat(0);
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) {
    if (special[2]?.toLowerCase() === 'nan') return new GoFloat(NaN);
    return new GoFloat(special[1] === '-' ? -Infinity : Infinity);
  }
  if (!/^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(s))
    throw strconvError('ParseFloat', 'parseFloat', s, 'invalid syntax');
  const value = Number(s);
  if (!Number.isFinite(value)) throw strconvError('ParseFloat', 'parseFloat', s, 'value out of range');
  return new GoFloat(value);
}

function parseBool(s: string): boolean {
  if (s === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw strconvError('ParseBool', 'parseBool', s, 'invalid syntax');
}

function timestamp(args: unknown[]): string {
  if (args.length > 1) throw new FunctionError(`timestamp: too many arguments (${args.length})`);
  const now = new Date();
  const [layout] = args as string[];
  if (layout === 'unix') return String(Math.floor(now.getTime() / 1000));
  return formatGoTime(now, layout ?? RFC3339);
}

/** Groups services by tag: tag -> the services that carry it, in their order. */
function byTag(list: unknown): Map<string, unknown[]> {
  const groups = declareType(new Map<string, unknown[]>(), 'map[string][]interface {}');
  if (isNil(list)) return groups;
  const type = typeName(list);
  if (type !== `[]${HEALTH_SERVICE}` && type !== `[]${CATALOG_SNIPPET}`)
    throw new FunctionError(`byTag: wrong argument type ${type}`);
  for (const item of list as object[]) {
    const tags = structLookup(item, 'Tags').value;
    if (!Array.isArray(tags)) continue;
    for (const tag of tags) {
      if (typeof tag !== 'string') continue;
      const group = groups.get(tag);
      if (group) group.push(item);
      else groups.set(tag, [item]);
    }
  }
  return groups;
}

type MathOp = (a: number, b: number, ints: boolean) => number;

/**
 * consul-template's math helpers take (b, a) so that `{{ 5 | subtract 1 }}`
 * is 5 - 1; ints stay ints unless a float is involved.
 */
function math(name: string, op: MathOp, intsOnly = false): TemplateFunction {
  return fn(['any', 'any'], ([b, a]) => {
    for (const v of [a, b]) {
      const kind = kindOf(v);
      if (kind !== 'int' && !(kind === 'float' && !intsOnly))
        throw new FunctionError(`${name}: unknown type for ${goQuote(String(v))} (${typeName(v)})`);
    }
    const ints = kindOf(a) === 'int' && kindOf(b) === 'int';
    const result = op(numberValue(a), numberValue(b), ints);
    return ints ? result : new GoFloat(result);
  });
}

/** Integer division truncates and must not divide by zero, as in Go; float division follows IEEE. */
function integerSafe(name: string, op: (a: number, b: number) => number): MathOp {
  return (a, b, ints) => {
    if (!ints) return op(a, b);
    if (b === 0) throw new FunctionError(`${name}: division by zero`);
    return Math.trunc(op(a, b));
  };
}

export const CONSUL_FUNCTIONS: ReadonlyMap<string, TemplateFunction> = new Map<string, TemplateFunction>([
  ['service', fn([], service, 'string')],
  ['services', fn([], services, 'string')],
  ['key', fn(['string'], ([path], ctx) => (path === '' ? '' : (readKey(path as string, ctx) ?? '')))],
  [
    'keyOrDefault',
    fn(['string', 'string'], ([path, fallback], ctx) =>
      path === '' ? fallback : (readKey(path as string, ctx) ?? fallback),
    ),
  ],
  ['keyExists', fn(['string'], ([path], ctx) => path !== '' && !isNil(readKey(path as string, ctx)))],
  ['env', fn(['string'], ([name], ctx) => ctx.data.env(name as string))],
  ['join', fn(['string', 'strings'], ([sep, list], ctx) => join(sep as string, list as string[], ctx))],
  ['contains', fn(['any', 'any'], ([value, list]) => listContains(list, value))],
  ['in', fn(['any', 'any'], ([list, value]) => listContains(list, value))],
  ['containsAll', containsSome((values, has) => values.every(has))],
  ['containsAny', containsSome((values, has) => values.some(has))],
  ['containsNone', containsSome((values, has) => !values.some(has))],
  ['containsNotAll', containsSome((values, has) => values.some((v) => !has(v)))],
  [
    'toLower',
    costed(
      fn(['string'], ([s]) => mapRunes(s as string, (c) => c.toLowerCase())),
      COST.perRune,
    ),
  ],
  [
    'toUpper',
    costed(
      fn(['string'], ([s]) => mapRunes(s as string, (c) => c.toUpperCase())),
      COST.perRune,
    ),
  ],
  [
    'toTitle',
    costed(
      fn(['string'], ([s]) => toTitle(s as string)),
      COST.perRune,
    ),
  ],
  ['trimSpace', fn(['string'], ([s]) => trimSpace(s as string))],
  [
    'split',
    costed(
      fn(['string', 'string'], ([sep, s]) => split(sep as string, s as string)),
      COST.perRune,
    ),
  ],
  [
    'replaceAll',
    costed(
      fn(['string', 'string', 'string'], ([from, to, s], ctx) =>
        replaceAll(from as string, to as string, s as string, ctx),
      ),
      COST.perRune,
    ),
  ],
  ['parseInt', fn(['string'], ([s]) => parseInteger(s as string, true, 'parseInt'))],
  ['parseUint', fn(['string'], ([s]) => parseInteger(s as string, false, 'parseUint'))],
  ['parseFloat', fn(['string'], ([s]) => parseFloat(s as string))],
  ['parseBool', fn(['string'], ([s]) => parseBool(s as string))],
  ['timestamp', fn([], timestamp, 'string')],
  ['byTag', fn(['any'], ([list]) => byTag(list))],
  ['add', math('add', (a, b) => a + b)],
  ['subtract', math('subtract', (a, b) => a - b)],
  ['multiply', math('multiply', (a, b) => a * b)],
  [
    'divide',
    math(
      'divide',
      integerSafe('divide', (a, b) => a / b),
    ),
  ],
  [
    'modulo',
    math(
      'modulo',
      integerSafe('modulo', (a, b) => a % b),
      true,
    ),
  ],
  ['minimum', math('minimum', (a, b) => Math.min(a, b))],
  ['maximum', math('maximum', (a, b) => Math.max(a, b))],
]);
