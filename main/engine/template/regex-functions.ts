/**
 * consul-template's regexMatch (template/funcs.go: `regexp.Compile(re)` then `MatchString(s)`),
 * on JavaScript's engine. Go's regexp is RE2: no backreferences, no lookaround. A pattern using
 * them is refused with Go's message rather than run with other semantics; RE2 spellings that
 * JavaScript lacks (leading `(?i)`/`(?s)`/`(?m)` flags, `(?P<name>`, `\A`, `\z`, `[[:alpha:]]`)
 * are translated. Compiled patterns are cached: a template calls it once per service per render.
 */
import { COST, FunctionError, costed, fn, type TemplateFunction } from './function-types.js';

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-/:-@[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Go's "error parsing regexp: invalid or unsupported Perl syntax: `…`". */
function unsupported(what: string): FunctionError {
  return new FunctionError(`error parsing regexp: invalid or unsupported Perl syntax: \`${what}\``);
}

/** An RE2 pattern as a JavaScript RegExp with the same meaning, or a FunctionError. */
export function compileRe2(pattern: string): RegExp {
  let flags = 'u';
  let rest = pattern;
  // RE2's flag group at the very start, e.g. (?i) or (?is).
  const leading = /^\(\?([imsU]+)\)/.exec(rest);
  if (leading) {
    for (const flag of leading[1]!) {
      if (flag === 'U') throw unsupported('(?U');
      if (!flags.includes(flag)) flags += flag;
    }
    rest = rest.slice(leading[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === '\\') {
      const next = rest[i + 1];
      if (next === undefined)
        throw new FunctionError('error parsing regexp: trailing backslash at end of expression: ``');
      if (/[1-9]/.test(next) || next === 'k') throw unsupported(`\\${next}`);
      if (!inClass && next === 'A') out += '^';
      else if (!inClass && next === 'z') out += '$';
      // RE2 lets any punctuation be escaped; JavaScript's Unicode mode only its syntax characters.
      else if (/[!-/:-@[-`{-~]/.test(next) && !/[\^$.*+?()[\]{}|/]/.test(next))
        out += `\\x${next.charCodeAt(0).toString(16).padStart(2, '0')}`;
      else out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(rest.slice(i));
      if (posix) {
        const range = POSIX_CLASSES[posix[2]!];
        if (range === undefined)
          throw new FunctionError(`error parsing regexp: invalid character class range: \`${posix[0]}\``);
        if (posix[1]) throw unsupported(posix[0]);
        out += range;
        i += posix[0].length - 1;
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A leading ] (or ^]) is a literal in RE2's classes, as in JavaScript's with an escape.
      if (rest[i + 1] === '^') out += rest[++i];
      if (rest[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && rest[i + 1] === '?') {
      const group = rest.slice(i, i + 4);
      if (group.startsWith('(?P<')) {
        out += '(?<';
        i += 3;
        continue;
      }
      if (/^\(\?(?:=|!|<=|<!)/.test(group))
        throw unsupported(group.startsWith('(?<') ? group.slice(0, 4) : group.slice(0, 3));
      if (group.startsWith('(?:') || group.startsWith('(?<')) {
        out += c;
        continue;
      }
      throw unsupported(group.slice(0, 3));
    }
    out += c;
  }
  try {
    return new RegExp(out, flags);
  } catch (error) {
    throw new FunctionError(`error parsing regexp: ${(error as Error).message}`);
  }
}

const MAX_CACHED = 64;
const cache = new Map<string, RegExp>();

function cached(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re = compileRe2(pattern);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(pattern, re);
  }
  return re;
}

export const REGEX_FUNCTIONS: ReadonlyMap<string, TemplateFunction> = new Map([
  [
    'regexMatch',
    costed(
      fn(['string', 'string'], ([re, s]) => cached(re as string).test(s as string)),
      COST.perRune,
    ),
  ],
]);
