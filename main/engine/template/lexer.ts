/**
 * The lexer of Go's text/template (text/template/parse/lex.go), run on demand
 * so that the first error in source order is the one reported, as in Go.
 * Trim markers are applied here: "{{- " drops the whitespace before the
 * action, " -}}" the whitespace after it. Comments produce no tokens.
 */
import { describeRune } from './escape.js';
import { TemplateSyntaxError, positionAt } from './errors.js';

export type TokenKind =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'keyword'
  | 'identifier'
  | 'field'
  | 'variable'
  | 'dot'
  | 'bool'
  | 'nil'
  | 'number'
  | 'charConstant'
  | 'string'
  | 'rawString'
  | 'declare'
  | 'assign'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'char'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** The token's source text; for text, the text left after trimming. */
  value: string;
  /** Offset in the source. */
  pos: number;
}

export const KEYWORDS: ReadonlySet<string> = new Set([
  'block',
  'break',
  'continue',
  'define',
  'else',
  'end',
  'if',
  'range',
  'template',
  'with',
]);

const LEFT_DELIM = '{{';
const RIGHT_DELIM = '}}';
const ALPHANUMERIC = /[\p{L}\p{Nd}_]/u;

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isAlphaNumeric(c: string | undefined): boolean {
  return c !== undefined && ALPHANUMERIC.test(c);
}

export class Lexer {
  private readonly tokens: Token[] = [];
  private pos = 0;
  private inAction = false;
  private actionStart = 0;
  private parenDepth = 0;
  private done = false;

  constructor(
    private readonly source: string,
    private readonly name: string,
  ) {}

  /** The i-th token; past the end, the final EOF token. */
  token(i: number): Token {
    while (this.tokens.length <= i && !this.done) {
      if (this.inAction) this.lexInsideAction();
      else this.lexText();
    }
    return this.tokens[Math.min(i, this.tokens.length - 1)]!;
  }

  private fail(pos: number, message: string): never {
    throw new TemplateSyntaxError(this.name, positionAt(this.source, pos), message);
  }

  private emit(kind: TokenKind, start: number, end: number, value = this.source.slice(start, end)): void {
    this.tokens.push({ kind, value, pos: start });
    this.pos = end;
  }

  private charAt(i: number): string | undefined {
    const cp = this.source.codePointAt(i);
    return cp === undefined ? undefined : String.fromCodePoint(cp);
  }

  private skipSpace(i: number): number {
    while (isSpace(this.source[i])) i++;
    return i;
  }

  /** "}}" or " -}}" at i: [length, trims]. */
  private rightDelimAt(i: number): [number, boolean] | undefined {
    const src = this.source;
    if (isSpace(src[i]) && src[i + 1] === '-' && src.startsWith(RIGHT_DELIM, i + 2)) return [4, true];
    if (src.startsWith(RIGHT_DELIM, i)) return [2, false];
    return undefined;
  }

  private lexText(): void {
    const src = this.source;
    const start = this.pos;
    const delim = src.indexOf(LEFT_DELIM, start);
    if (delim < 0) {
      if (start < src.length) this.emit('text', start, src.length);
      this.tokens.push({ kind: 'eof', value: '', pos: src.length });
      this.done = true;
      return;
    }
    const trimLeft = src[delim + 2] === '-' && isSpace(src[delim + 3]);
    let textEnd = delim;
    if (trimLeft) while (textEnd > start && isSpace(src[textEnd - 1])) textEnd--;
    if (textEnd > start) this.emit('text', start, textEnd);
    const inside = delim + 2 + (trimLeft ? 2 : 0);
    if (src.startsWith('/*', inside)) {
      const close = src.indexOf('*/', inside + 2);
      if (close < 0) this.fail(delim, 'unclosed comment');
      const right = this.rightDelimAt(close + 2);
      if (!right) this.fail(delim, 'comment ends before closing delimiter');
      const after = close + 2 + right[0];
      this.pos = right[1] ? this.skipSpace(after) : after;
      return;
    }
    this.emit('leftDelim', delim, inside, LEFT_DELIM);
    this.inAction = true;
    this.actionStart = delim;
    this.parenDepth = 0;
  }

  private lexInsideAction(): void {
    const src = this.source;
    const start = this.pos;
    const right = this.rightDelimAt(start);
    if (right) {
      if (this.parenDepth > 0) this.fail(start, 'unclosed left paren');
      this.emit('rightDelim', start, start + right[0], RIGHT_DELIM);
      if (right[1]) this.pos = this.skipSpace(this.pos);
      this.inAction = false;
      return;
    }
    const c = this.charAt(start);
    if (c === undefined) this.fail(this.actionStart, 'unclosed action');
    if (isSpace(c)) {
      let end = this.skipSpace(start);
      // Leave the space that belongs to a " -}}" closing delimiter.
      if (src.startsWith('-}}', end)) end--;
      if (end > start) this.emit('space', start, end);
      else this.pos = end;
      return;
    }
    switch (c) {
      case '=':
        return this.emit('assign', start, start + 1);
      case ':':
        if (src[start + 1] !== '=') this.fail(start, 'expected :=');
        return this.emit('declare', start, start + 2);
      case '|':
        return this.emit('pipe', start, start + 1);
      case '"':
        return this.lexQuote(start, '"', 'string', 'unterminated quoted string');
      case "'":
        return this.lexQuote(start, "'", 'charConstant', 'unterminated character constant');
      case '`': {
        const close = src.indexOf('`', start + 1);
        if (close < 0) this.fail(start, 'unterminated raw quoted string');
        return this.emit('rawString', start, close + 1);
      }
      case '$':
        return this.lexFieldOrVariable(start, 'variable');
      case '.':
        if (src[start + 1] !== undefined && src[start + 1]! >= '0' && src[start + 1]! <= '9')
          return this.lexNumber(start);
        return this.lexFieldOrVariable(start, 'field');
      case '(':
        this.parenDepth++;
        return this.emit('leftParen', start, start + 1);
      case ')':
        this.parenDepth--;
        if (this.parenDepth < 0) this.fail(start, 'unexpected right paren');
        return this.emit('rightParen', start, start + 1);
    }
    if (c === '+' || c === '-' || (c >= '0' && c <= '9')) return this.lexNumber(start);
    if (isAlphaNumeric(c)) return this.lexIdentifier(start);
    const cp = c.codePointAt(0) ?? 0;
    if (cp < 0x80 && cp >= 0x20 && cp !== 0x7f) return this.emit('char', start, start + 1);
    this.fail(start, `unrecognized character in action: ${describeRune(cp)}`);
  }

  private lexQuote(start: number, quote: string, kind: TokenKind, unterminated: string): void {
    const src = this.source;
    let i = start + 1;
    for (;;) {
      const c = src[i];
      if (c === '\\') {
        const next = src[i + 1];
        if (next === undefined || next === '\n') this.fail(start, unterminated);
        i += 2;
        continue;
      }
      if (c === undefined || c === '\n') this.fail(start, unterminated);
      i++;
      if (c === quote) break;
    }
    this.emit(kind, start, i);
  }

  private atTerminator(i: number): boolean {
    const c = this.source[i];
    if (c === undefined || isSpace(c)) return true;
    if ('.,|:()'.includes(c)) return true;
    return this.source.startsWith(RIGHT_DELIM, i);
  }

  private scanAlphaNumeric(i: number): number {
    for (;;) {
      const c = this.charAt(i);
      if (!isAlphaNumeric(c)) return i;
      i += c!.length;
    }
  }

  private checkTerminator(i: number): void {
    if (!this.atTerminator(i)) this.fail(i, `bad character ${describeRune(this.source.codePointAt(i) ?? 0)}`);
  }

  private lexFieldOrVariable(start: number, kind: 'field' | 'variable'): void {
    if (this.atTerminator(start + 1)) {
      this.emit(kind === 'variable' ? 'variable' : 'dot', start, start + 1);
      return;
    }
    const end = this.scanAlphaNumeric(start + 1);
    this.checkTerminator(end);
    this.emit(kind, start, end);
  }

  private lexIdentifier(start: number): void {
    const end = this.scanAlphaNumeric(start);
    this.checkTerminator(end);
    const word = this.source.slice(start, end);
    if (KEYWORDS.has(word)) this.emit('keyword', start, end);
    else if (word === 'true' || word === 'false') this.emit('bool', start, end);
    else if (word === 'nil') this.emit('nil', start, end);
    else this.emit('identifier', start, end);
  }

  /** Go's scanNumber: accepts more than is valid; the parser decides. */
  private lexNumber(start: number): void {
    const src = this.source;
    let i = start;
    const accept = (chars: string): boolean => {
      if (src[i] !== undefined && chars.includes(src[i]!)) {
        i++;
        return true;
      }
      return false;
    };
    const acceptRun = (chars: string): void => {
      while (accept(chars));
    };
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (isAlphaNumeric(this.charAt(i))) {
      const bad = src.slice(start, i) + (this.charAt(i) ?? '');
      this.fail(start, `bad number syntax: ${JSON.stringify(bad)}`);
    }
    this.emit('number', start, i);
  }
}
