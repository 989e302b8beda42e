/**
 * A port of the parts of Go's fmt that templates reach: Sprint, Sprintln and
 * Sprintf with Go's verbs, flags, widths and error annotations (%!d(string=x),
 * %!v(MISSING), %!(EXTRA ...)). Output that would grow past `maxLength` throws
 * StringTooLongError before it is built, so a width like %9999999d cannot
 * allocate its way around the render limits.
 */
import { canBackquote, goQuote, goQuoteRune, isPrintRune } from './escape.js';
import { formatFloat, type FloatFormat } from './float-format.js';
import {
  isNil,
  kindOf,
  mapKeys,
  mapLookup,
  numberValue,
  structFields,
  typeName,
  type GoMap,
} from './values.js';

export class StringTooLongError extends Error {
  override name = 'StringTooLongError';
  constructor(readonly limit: number) {
    super(`string longer than ${limit} bytes`);
  }
}

/** fmt refuses widths and precisions beyond a million. */
function tooLarge(n: number): boolean {
  return n > 1e6 || n < -1e6;
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function intArg(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

class Printer {
  buf = '';
  private plus = false;
  private minus = false;
  private sharp = false;
  private space = false;
  private zero = false;
  private plusV = false;
  private sharpV = false;
  private widPresent = false;
  private wid = 0;
  private precPresent = false;
  private prec = 0;
  /** The operand being formatted, for %!verb(type=value). */
  private arg: unknown;
  private reordered = false;
  private goodArgNum = true;

  constructor(private readonly maxLength: number) {}

  private clearFlags(): void {
    this.plus = this.minus = this.sharp = this.space = this.zero = false;
    this.plusV = this.sharpV = false;
    this.widPresent = this.precPresent = false;
    this.wid = this.prec = 0;
  }

  private reserve(n: number): void {
    if (this.buf.length + n > this.maxLength) throw new StringTooLongError(this.maxLength);
  }

  private write(s: string): void {
    this.reserve(s.length);
    this.buf += s;
  }

  private writePadding(n: number): void {
    if (n <= 0) return;
    this.reserve(n);
    this.buf += (this.zero && !this.minus ? '0' : ' ').repeat(n);
  }

  private pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.write(s);
      return;
    }
    const width = this.wid - runeCount(s);
    if (this.minus) {
      this.write(s);
      this.writePadding(width);
    } else {
      this.writePadding(width);
      this.write(s);
    }
  }

  private badVerb(verb: string): void {
    this.write(`%!${verb}(`);
    const arg = this.arg;
    if (isNil(arg)) {
      this.write('<nil>');
    } else {
      this.write(`${typeName(arg)}=`);
      this.printArg(arg, 'v');
    }
    this.write(')');
  }

  private fmtBool(value: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.pad(value ? 'true' : 'false');
    else this.badVerb(verb);
  }

  private fmtIntegerBase(value: number, base: number, verb: string, upper: boolean): void {
    const negative = value < 0;
    const magnitude = BigInt(Math.abs(value));
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && magnitude === 0n) {
        const oldZero = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = oldZero;
        return;
      }
    } else if (this.zero && !this.minus && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    this.reserve(prec);
    let digits = magnitude.toString(base);
    if (upper) digits = digits.toUpperCase();
    digits = digits.padStart(prec, '0');
    let prefix = '';
    if (this.sharp) {
      if (base === 2) prefix = '0b';
      else if (base === 8 && !digits.startsWith('0')) prefix = '0';
      else if (base === 16) prefix = upper ? '0X' : '0x';
    }
    if (verb === 'O') prefix = '0o';
    const sign = negative ? '-' : this.plus ? '+' : this.space ? ' ' : '';
    const oldZero = this.zero;
    this.zero = false;
    this.pad(sign + prefix + digits);
    this.zero = oldZero;
  }

  private fmtInteger(value: number, verb: string): void {
    switch (verb) {
      case 'v':
      case 'd':
        return this.fmtIntegerBase(value, 10, verb, false);
      case 'b':
        return this.fmtIntegerBase(value, 2, verb, false);
      case 'o':
      case 'O':
        return this.fmtIntegerBase(value, 8, verb, false);
      case 'x':
        return this.fmtIntegerBase(value, 16, verb, false);
      case 'X':
        return this.fmtIntegerBase(value, 16, verb, true);
      case 'c':
        return this.pad(String.fromCodePoint(validRune(value)));
      case 'q': {
        const rune = validRune(value);
        const char = String.fromCodePoint(rune);
        return this.pad(this.sharp && canBackquote(char) ? `'${char}'` : goQuoteRune(rune, this.plus));
      }
      case 'U':
        return this.fmtUnicode(value);
      default:
        return this.badVerb(verb);
    }
  }

  private fmtUnicode(value: number): void {
    const u = BigInt.asUintN(64, BigInt(value));
    const prec = this.precPresent && this.prec > 4 ? this.prec : 4;
    this.reserve(prec);
    let out = `U+${u.toString(16).toUpperCase().padStart(prec, '0')}`;
    if (this.sharp && u <= 0x10ffffn && isPrintRune(Number(u)))
      out += ` '${String.fromCodePoint(Number(u))}'`;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(out);
    this.zero = oldZero;
  }

  private fmtFloat(value: number, verb: string): void {
    let format: FloatFormat;
    let prec = -1;
    switch (verb) {
      case 'v':
        format = 'g';
        break;
      case 'g':
      case 'G':
        format = verb;
        break;
      case 'e':
      case 'E':
      case 'f':
        format = verb;
        prec = 6;
        break;
      case 'F':
        format = 'f';
        prec = 6;
        break;
      default:
        return this.badVerb(verb);
    }
    if (this.precPresent) prec = this.prec;
    let num = formatFloat(value, format, prec);
    if (num[0] !== '-' && num[0] !== '+') num = `+${num}`;
    if (this.space && num[0] === '+' && !this.plus) num = ` ${num.slice(1)}`;
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = this.zero;
      this.zero = false;
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1);
      this.pad(num);
      this.zero = oldZero;
      return;
    }
    if (this.plus || num[0] !== '+') {
      if (this.zero && !this.minus && this.widPresent && this.wid > num.length) {
        this.write(num[0] ?? '');
        this.writePadding(this.wid - num.length);
        this.write(num.slice(1));
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  private truncate(s: string): string {
    if (!this.precPresent) return s;
    let out = '';
    let n = 0;
    for (const char of s) {
      if (n++ >= this.prec) break;
      out += char;
    }
    return out;
  }

  private fmtQ(s: string): void {
    s = this.truncate(s);
    this.pad(this.sharp && canBackquote(s) ? `\`${s}\`` : goQuote(s, this.plus));
  }

  private fmtSx(s: string, upper: boolean): void {
    const bytes = Buffer.from(s, 'utf8');
    const digits = upper ? '0123456789ABCDEF' : '0123456789abcdef';
    const length = this.precPresent && this.prec < bytes.length ? this.prec : bytes.length;
    let width = 2 * length;
    if (width === 0) {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.space) {
      if (this.sharp) width *= 2;
      width += length - 1;
    } else if (this.sharp) {
      width += 2;
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    this.reserve(width);
    const x = upper ? 'X' : 'x';
    let out = this.sharp ? `0${x}` : '';
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) out += this.sharp ? ` 0${x}` : ' ';
      const c = bytes[i] ?? 0;
      out += (digits[c >> 4] ?? '') + (digits[c & 15] ?? '');
    }
    this.buf += out;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }

  private fmtString(s: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV) this.fmtQ(s);
        else this.pad(this.truncate(s));
        return;
      case 's':
        return this.pad(this.truncate(s));
      case 'x':
        return this.fmtSx(s, false);
      case 'X':
        return this.fmtSx(s, true);
      case 'q':
        return this.fmtQ(s);
      default:
        return this.badVerb(verb);
    }
  }

  printArg(arg: unknown, verb: string): void {
    this.arg = arg;
    if (isNil(arg)) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb);
      return;
    }
    if (verb === 'T') {
      this.pad(this.truncate(typeName(arg)));
      return;
    }
    this.printValue(arg, verb, 0);
  }

  private printValue(value: unknown, verb: string, depth: number): void {
    if (depth > 0) this.arg = value;
    switch (kindOf(value)) {
      case 'nil':
        return this.pad('<nil>');
      case 'bool':
        return this.fmtBool(value as boolean, verb);
      case 'int':
        return this.fmtInteger(value as number, verb);
      case 'float':
        return this.fmtFloat(numberValue(value), verb);
      case 'string':
        return this.fmtString(value as string, verb);
      case 'slice': {
        this.write('[');
        (value as readonly unknown[]).forEach((element, i) => {
          if (i > 0) this.write(' ');
          this.printValue(element, verb, depth + 1);
        });
        this.write(']');
        return;
      }
      case 'map': {
        const map = value as GoMap;
        this.write('map[');
        mapKeys(map).forEach((key, i) => {
          if (i > 0) this.write(' ');
          this.printValue(key, verb, depth + 1);
          this.write(':');
          this.printValue(mapLookup(map, key).value, verb, depth + 1);
        });
        this.write(']');
        return;
      }
      case 'struct': {
        this.write('{');
        structFields(value as object).forEach(([name, field], i) => {
          if (i > 0) this.write(' ');
          if (this.plusV || this.sharpV) this.write(`${name}:`);
          this.printValue(field, verb, depth + 1);
        });
        this.write('}');
        return;
      }
      default:
        return this.pad(`?${typeof value}`);
    }
  }

  /** `[n]` argument indexes, as fmt's argNumber. */
  private argNumber(argNum: number, format: string, i: number, numArgs: number): [number, number, boolean] {
    if (format[i] !== '[') return [argNum, i, false];
    this.reordered = true;
    const close = format.indexOf(']', i + 1);
    if (close < 0) {
      this.goodArgNum = false;
      return [argNum, i + 1, false];
    }
    const text = format.slice(i + 1, close);
    const ok = /^[0-9]+$/.test(text) && !tooLarge(Number(text));
    const index = Number(text) - 1;
    if (ok && index >= 0 && index < numArgs) return [index, close + 1, true];
    this.goodArgNum = false;
    return [argNum, close + 1, ok];
  }

  /** A run of digits; [value, present, next index]. */
  private static parseNum(format: string, start: number): [number, boolean, number] {
    let num = 0;
    let i = start;
    let present = false;
    for (; i < format.length && format[i]! >= '0' && format[i]! <= '9'; i++) {
      if (tooLarge(num)) return [0, false, format.length];
      num = num * 10 + format.charCodeAt(i) - 48;
      present = true;
    }
    return [num, present, i];
  }

  doPrintf(format: string, args: readonly unknown[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    this.reordered = false;
    let i = 0;
    formatLoop: while (i < end) {
      this.goodArgNum = true;
      const percent = format.indexOf('%', i);
      const textEnd = percent < 0 ? end : percent;
      if (textEnd > i) this.write(format.slice(i, textEnd));
      if (percent < 0) break;
      i = percent + 1;
      this.clearFlags();
      flags: for (; i < end; i++) {
        switch (format[i]) {
          case '#':
            this.sharp = true;
            break;
          case '0':
            this.zero = !this.minus;
            break;
          case '+':
            this.plus = true;
            break;
          case '-':
            this.minus = true;
            this.zero = false;
            break;
          case ' ':
            this.space = true;
            break;
          default:
            break flags;
        }
      }
      [argNum, i, afterIndex] = this.argNumber(argNum, format, i, args.length);
      if (format[i] === '*') {
        i++;
        const width = intArg(args[argNum]);
        this.widPresent = width !== undefined && !tooLarge(width);
        this.wid = this.widPresent ? (width ?? 0) : 0;
        if (argNum < args.length) argNum++;
        if (!this.widPresent) this.write('%!(BADWIDTH)');
        if (this.wid < 0) {
          this.wid = -this.wid;
          this.minus = true;
          this.zero = false;
        }
        afterIndex = false;
      } else {
        [this.wid, this.widPresent, i] = Printer.parseNum(format, i);
        if (afterIndex && this.widPresent) this.goodArgNum = false;
      }
      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) this.goodArgNum = false;
        [argNum, i, afterIndex] = this.argNumber(argNum, format, i, args.length);
        if (format[i] === '*') {
          i++;
          const prec = intArg(args[argNum]);
          this.precPresent = prec !== undefined && !tooLarge(prec);
          this.prec = this.precPresent ? (prec ?? 0) : 0;
          if (argNum < args.length) argNum++;
          if (this.prec < 0) {
            this.prec = 0;
            this.precPresent = false;
          }
          if (!this.precPresent) this.write('%!(BADPREC)');
          afterIndex = false;
        } else {
          [this.prec, this.precPresent, i] = Printer.parseNum(format, i);
          if (!this.precPresent) {
            this.prec = 0;
            this.precPresent = true;
          }
        }
      }
      if (!afterIndex) [argNum, i, afterIndex] = this.argNumber(argNum, format, i, args.length);
      if (i >= end) {
        this.write('%!(NOVERB)');
        break formatLoop;
      }
      const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
      i += verb.length;
      if (verb === '%') {
        this.write('%');
      } else if (!this.goodArgNum) {
        this.write(`%!${verb}(BADINDEX)`);
      } else if (argNum >= args.length) {
        this.write(`%!${verb}(MISSING)`);
      } else {
        if (verb === 'v') {
          this.sharpV = this.sharp;
          this.sharp = false;
          this.plusV = this.plus;
          this.plus = false;
        }
        this.printArg(args[argNum], verb);
        argNum++;
      }
    }
    if (!this.reordered && argNum < args.length) {
      this.clearFlags();
      this.write('%!(EXTRA ');
      args.slice(argNum).forEach((arg, index) => {
        if (index > 0) this.write(', ');
        if (isNil(arg)) {
          this.write('<nil>');
        } else {
          this.write(`${typeName(arg)}=`);
          this.printArg(arg, 'v');
        }
      });
      this.write(')');
    }
  }

  doPrint(args: readonly unknown[]): void {
    let previousIsString = false;
    args.forEach((arg, i) => {
      const isString = typeof arg === 'string';
      if (i > 0 && !isString && !previousIsString) this.write(' ');
      this.printArg(arg, 'v');
      previousIsString = isString;
    });
  }

  doPrintln(args: readonly unknown[]): void {
    args.forEach((arg, i) => {
      if (i > 0) this.write(' ');
      this.printArg(arg, 'v');
    });
    this.write('\n');
  }
}

function validRune(value: number): number {
  return value < 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff) ? 0xfffd : value;
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly unknown[], maxLength = Infinity): string {
  const p = new Printer(maxLength);
  p.doPrintf(format, args);
  return p.buf;
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly unknown[], maxLength = Infinity): string {
  const p = new Printer(maxLength);
  p.doPrint(args);
  return p.buf;
}

/** fmt.Sprintln: spaces between all operands and a final newline. */
export function sprintln(args: readonly unknown[], maxLength = Infinity): string {
  const p = new Printer(maxLength);
  p.doPrintln(args);
  return p.buf;
}

/** A value as an action prints it: fmt's %v, except that nil prints as "<no value>". */
export function formatValue(value: unknown, maxLength = Infinity): string {
  return isNil(value) ? '<no value>' : sprint([value], maxLength);
}
