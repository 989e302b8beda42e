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

export interface TemplateFunction {
  readonly params: readonly ParamType[];
  readonly variadic?: ParamType;
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
