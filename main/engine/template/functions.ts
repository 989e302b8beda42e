/** Every function a template can call: Go's predefined ones plus consul-template's. */
import { BUILTIN_FUNCTIONS } from './builtins.js';
import { CONSUL_FUNCTIONS } from './consul-functions.js';
import type { TemplateFunction } from './function-types.js';
import { REGEX_FUNCTIONS } from './regex-functions.js';

export const FUNCTIONS: ReadonlyMap<string, TemplateFunction> = new Map([
  ...BUILTIN_FUNCTIONS,
  ...CONSUL_FUNCTIONS,
  ...REGEX_FUNCTIONS,
]);

export function isFunction(name: string): boolean {
  return FUNCTIONS.has(name);
}
