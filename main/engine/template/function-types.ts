/**
 * The contract between the evaluator and the template functions. Like Go's
 * reflection-based calls, each function declares its parameter types; the
 * evaluator checks arity and types (with Go's messages) before the call.
 */
import type { TemplateDataSource, TemplateDependency } from './types.js';

/**
 * any: interface{} (nil allowed); string, int, bool: exactly that type;
 * slice: any slice ([]interface{}), strings: []string; nil is an empty slice.
 */
export type ParamType = 'any' | 'string' | 'int' | 'bool' | 'slice' | 'strings';

export interface FunctionContext {
  readonly data: TemplateDataSource;
  /** Records a dependency; `loaded` false marks the render incomplete. */
  record(dependency: TemplateDependency, loaded: boolean): void;
  /** No string a function builds may be longer than this. */
  readonly maxStringLength: number;
}

/**
 * What a call costs, in render steps: 1, plus `weight` for every character of
 * its string arguments and every element of its slice arguments (charged
 * before it runs, so that a call too big for the budget never starts), plus
 * `weight` for every character or element of its result. `extraCost` adds the
 * work that is not linear in the input (comparing every value with every list
 * element). Per-rune loops in JavaScript cost about 0.2 µs a character, the
 * rest a fraction of that.
 */
export const COST = {
  /** Built-in string and array operations (join, index, eq, printf's padding). */
  native: 1 / 4,
  /** Loops over every character in JavaScript, or a new string per piece (toTitle, split). */
  perRune: 1,
} as const;

export interface TemplateFunction {
  readonly params: readonly ParamType[];
  readonly variadic?: ParamType;
  /** Steps per character or element of the arguments and the result; COST.native when absent. */
  readonly weight?: number;
  readonly extraCost?: (args: unknown[]) => number;
  call(args: unknown[], context: FunctionContext): unknown;
}

/** A failure inside a function; the evaluator reports it as "error calling NAME: message". */
export class FunctionError extends Error {
  override name = 'FunctionError';
}

export function fn(
  params: readonly ParamType[],
  call: (args: unknown[], context: FunctionContext) => unknown,
  variadic?: ParamType,
): TemplateFunction {
  return variadic === undefined ? { params, call } : { params, variadic, call };
}

/** The same function with its cost declared. */
export function costed(
  base: TemplateFunction,
  weight: number,
  extraCost?: (args: unknown[]) => number,
): TemplateFunction {
  return extraCost ? { ...base, weight, extraCost } : { ...base, weight };
}
