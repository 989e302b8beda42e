/**
 * Go text/template's predefined functions (text/template/funcs.go) with Go's
 * semantics and error messages. `and` and `or` short-circuit in the
 * evaluator; their entries here only declare the arity.
 */
import { goEq, goLe, goLt } from './compare.js';
import { htmlEscape, jsEscape, urlQueryEscape } from './escape.js';
import { COST, FunctionError, costed, fn, type TemplateFunction } from './function-types.js';
import { sprint, sprintf, sprintln } from './printf.js';
import { isNil, isTrue, kindOf, mapLookup, mapSize, mapZero, typeName, type GoMap } from './values.js';

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Go indexes strings by byte. */
function stringBytes(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

function indexArg(index: unknown, cap: number): number {
  if (isNil(index)) throw new FunctionError('cannot index slice/array with nil');
  if (kindOf(index) !== 'int')
    throw new FunctionError(`cannot index slice/array with type ${typeName(index)}`);
  const x = index as number;
  if (x < 0 || x > cap) throw new FunctionError(`index out of range: ${x}`);
  return x;
}

function index(item: unknown, indexes: readonly unknown[]): unknown {
  if (isNil(item)) throw new FunctionError('index of untyped nil');
  for (const i of indexes) {
    if (isNil(item)) throw new FunctionError('index of nil pointer');
    switch (kindOf(item)) {
      case 'slice':
      case 'string': {
        const bytes = typeof item === 'string' ? stringBytes(item) : undefined;
        const length = bytes ? bytes.length : (item as unknown[]).length;
        const x = indexArg(i, length);
        if (x === length) throw new FunctionError(`index out of range: ${x}`);
        item = bytes ? bytes[x] : (item as unknown[])[x];
        break;
      }
      case 'map': {
        if (typeof i !== 'string') throw new FunctionError(`value has type ${typeName(i)}; should be string`);
        const found = mapLookup(item as GoMap, i);
        item = found.found ? found.value : mapZero(item as GoMap);
        break;
      }
      default:
        throw new FunctionError(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice(item: unknown, indexes: readonly unknown[]): unknown {
  if (isNil(item)) throw new FunctionError('slice of untyped nil');
  if (indexes.length > 3) throw new FunctionError(`too many slice indexes: ${indexes.length}`);
  const kind = kindOf(item);
  if (kind === 'string' && indexes.length === 3) throw new FunctionError('cannot 3-index slice a string');
  if (kind !== 'string' && kind !== 'slice')
    throw new FunctionError(`can't slice item of type ${typeName(item)}`);
  const bytes = typeof item === 'string' ? stringBytes(item) : undefined;
  const length = bytes ? bytes.length : (item as unknown[]).length;
  const idx = [0, length, length];
  indexes.forEach((i, n) => (idx[n] = indexArg(i, length)));
  const [from = 0, to = length, max = length] = idx;
  if (from > to) throw new FunctionError(`invalid slice index: ${from} > ${to}`);
  if (indexes.length === 3 && to > max) throw new FunctionError(`invalid slice index: ${to} > ${max}`);
  return bytes ? bytes.subarray(from, to).toString('utf8') : (item as unknown[]).slice(from, to);
}

function length(item: unknown): number {
  switch (kindOf(item)) {
    case 'nil':
      throw new FunctionError('len of nil pointer');
    case 'string':
      return byteLength(item as string);
    case 'slice':
      return (item as unknown[]).length;
    case 'map':
      return mapSize(item as GoMap);
    default:
      throw new FunctionError(`len of type ${typeName(item)}`);
  }
}

/** html, js and urlquery print their arguments as print does, but nil reads "<no value>". */
function evalArgs(args: readonly unknown[], maxLength: number): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(
    args.map((a) => (isNil(a) ? '<no value>' : a)),
    maxLength,
  );
}

export const BUILTIN_FUNCTIONS: ReadonlyMap<string, TemplateFunction> = new Map<string, TemplateFunction>([
  ['and', fn(['any'], (args) => args.find((a) => !isTrue(a)) ?? args[args.length - 1], 'any')],
  ['or', fn(['any'], (args) => args.find((a) => isTrue(a)) ?? args[args.length - 1], 'any')],
  ['not', fn(['any'], ([a]) => !isTrue(a))],
  ['eq', fn(['any'], ([a, ...rest]) => goEq(a, rest), 'any')],
  ['ne', fn(['any', 'any'], ([a, b]) => !goEq(a, [b]))],
  ['lt', fn(['any', 'any'], ([a, b]) => goLt(a, b))],
  ['le', fn(['any', 'any'], ([a, b]) => goLe(a, b))],
  ['gt', fn(['any', 'any'], ([a, b]) => !goLe(a, b))],
  ['ge', fn(['any', 'any'], ([a, b]) => !goLt(a, b))],
  ['len', fn(['any'], ([a]) => length(a))],
  ['index', fn(['any'], ([item, ...indexes]) => index(item, indexes), 'any')],
  ['slice', fn(['any'], ([item, ...indexes]) => slice(item, indexes), 'any')],
  ['print', fn([], (args, ctx) => sprint(args, ctx.maxStringLength), 'any')],
  ['println', fn([], (args, ctx) => sprintln(args, ctx.maxStringLength), 'any')],
  [
    'printf',
    fn(['string'], ([format, ...args], ctx) => sprintf(format as string, args, ctx.maxStringLength), 'any'),
  ],
  ['html', fn([], (args, ctx) => htmlEscape(evalArgs(args, ctx.maxStringLength)), 'any')],
  [
    'js',
    costed(
      fn([], (args, ctx) => jsEscape(evalArgs(args, ctx.maxStringLength)), 'any'),
      COST.perRune,
    ),
  ],
  [
    'urlquery',
    costed(
      fn([], (args, ctx) => urlQueryEscape(evalArgs(args, ctx.maxStringLength)), 'any'),
      COST.perRune,
    ),
  ],
]);
