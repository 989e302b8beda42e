/**
 * Go's eq, lt and friends (text/template/funcs.go): values of different
 * basic kinds do not compare ("incompatible types for comparison"), so
 * `eq .Port "80"` is an error, not false, exactly as in consul-template.
 */
import { FunctionError } from './function-types.js';
import { compareStrings, isNil, kindOf, numberValue, typeName } from './values.js';

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'nil' | 'other';

function basicKind(value: unknown): BasicKind {
  const kind = kindOf(value);
  switch (kind) {
    case 'bool':
    case 'int':
    case 'float':
    case 'string':
    case 'nil':
      return kind;
    default:
      return 'other';
  }
}

/** eq a b c... is a == b || a == c || ... */
export function goEq(first: unknown, others: readonly unknown[]): boolean {
  if (others.length === 0) throw new FunctionError('missing argument for comparison');
  const k1 = basicKind(first);
  for (const other of others) {
    const k2 = basicKind(other);
    let truth: boolean;
    if (k1 !== k2) {
      if (!isNil(first) && !isNil(other)) throw new FunctionError('incompatible types for comparison');
      truth = false;
    } else {
      switch (k1) {
        case 'bool':
        case 'int':
        case 'string':
          truth = first === other;
          break;
        case 'float':
          truth = numberValue(first) === numberValue(other);
          break;
        case 'nil':
          truth = true;
          break;
        default: {
          for (const v of [first, other]) {
            const kind = kindOf(v);
            if (kind === 'slice' || kind === 'map')
              throw new FunctionError(`non-comparable type ${typeName(v)}`);
          }
          truth = first === other;
        }
      }
    }
    if (truth) return true;
  }
  return false;
}

export function goLt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  const comparable = (k: BasicKind): boolean =>
    k === 'int' || k === 'float' || k === 'string' || k === 'bool';
  if (!comparable(k1) || !comparable(k2)) throw new FunctionError('invalid type for comparison');
  if (k1 !== k2) throw new FunctionError('incompatible types for comparison');
  switch (k1) {
    case 'bool':
      throw new FunctionError('invalid type for comparison');
    case 'string':
      return compareStrings(a as string, b as string) < 0;
    default:
      return numberValue(a) < numberValue(b);
  }
}

export function goLe(a: unknown, b: unknown): boolean {
  return goLt(a, b) || goEq(a, [b]);
}
