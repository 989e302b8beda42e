import { describe, expect, it } from 'vitest';
import { formatFloat } from '../../../main/engine/template/float-format.js';
import { StringTooLongError, sprint, sprintf, sprintln } from '../../../main/engine/template/printf.js';
import { GoFloat } from '../../../main/engine/template/values.js';
import { out } from './helpers.js';

const f = (n: number): GoFloat => new GoFloat(n);

describe('printf verbs', () => {
  const cases: [string, unknown[], string][] = [
    ['%s|%v|%q', ['hi', 'hi', 'hi'], 'hi|hi|"hi"'],
    ['%d|%v|%x|%X|%o|%b|%c|%U', [255, 255, 255, 255, 8, 5, 65, 0x2603], '255|255|ff|FF|10|101|A|U+2603'],
    ['%5d|%-5d|%05d|%+d|% d|%.3d', [42, 42, -42, 42, 42, 7], '   42|42   |-0042|+42| 42|007'],
    ['%5s|%-5s|%.2s|%5.1s', ['ab', 'ab', 'abcdef', 'xyz'], '   ab|ab   |ab|    x'],
    [
      '%f|%.2f|%8.3f|%-8.1f|%e|%E|%g',
      [f(3.14159), f(3.14159), f(-2.5), f(2.25), f(1234.5678), f(0.000123), f(1e-7)],
      '3.141590|3.14|  -2.500|2.2     |1.234568e+03|1.230000E-04|1e-07',
    ],
    ['%.0f %.0f %.0f %.1f %.2f', [f(0.5), f(1.5), f(2.5), f(0.25), f(1.005)], '0 2 2 0.2 1.00'],
    ['%t|%v|%5t', [true, false, true], 'true|false| true'],
    ['%x|% x|%#x|%X', ['hi', 'hi', 'hi', 'é'], '6869|68 69|0x6869|C3A9'],
    ['%q|%+q|%#q', ['é\n', 'é', 'back`tick'], '"é\\n"|"\\u00e9"|"back`tick"'],
    ['%#x|%#o|%#b|%q|%#U', [255, 8, 5, 97, 0x41], "0xff|010|0b101|'a'|U+0041 'A'"],
    ['%v %d %s', [['a', 'b'], [1, 2], ['x']], '[a b] [1 2] [x]'],
    ['%T %T %T %T %T', [1, f(1), 's', ['a'], true], 'int float64 string []string bool'],
    ['%%|100%%', [], '%|100%'],
    ['%6.2f%%', [f(99.5)], ' 99.50%'],
    ['%*d|%-*d|%.*f', [4, 7, 3, 7, 1, f(2.25)], '   7|7  |2.2'],
    ['%[2]s %[1]s', ['a', 'b'], 'b a'],
    ['%v', [f(Infinity)], '+Inf'],
  ];
  for (const [format, args, expected] of cases) {
    it(`formats ${JSON.stringify(format)}`, () => {
      expect(sprintf(format, args)).toBe(expected);
    });
  }

  it('annotates wrong types, missing and extra arguments as Go does', () => {
    expect(sprintf('%d', ['x'])).toBe('%!d(string=x)');
    expect(sprintf('%s', [5])).toBe('%!s(int=5)');
    expect(sprintf('%d', [true])).toBe('%!d(bool=true)');
    expect(sprintf('%d', [null])).toBe('%!d(<nil>)');
    expect(sprintf('%v', [null])).toBe('<nil>');
    expect(sprintf('%d %d', [1])).toBe('1 %!d(MISSING)');
    expect(sprintf('%d', [1, 'a', 2])).toBe('1%!(EXTRA string=a, int=2)');
    expect(sprintf('%z', [1])).toBe('%!z(int=1)');
    expect(sprintf('%d', [['a', 1]])).toBe('[%!d(string=a) 1]');
    expect(sprintf('%', [])).toBe('%!(NOVERB)');
    expect(sprintf('%[3]d', [1])).toBe('%!d(BADINDEX)');
    expect(sprintf('%*d', ['x', 1])).toBe('%!(BADWIDTH)1');
  });

  it('prints like Sprint and Sprintln', () => {
    expect(sprint(['a', 1, 2, 'b', 'c', true])).toBe('a1 2bctrue');
    expect(sprint([1, null])).toBe('1 <nil>');
    expect(sprintln(['a', 1, 'b'])).toBe('a 1 b\n');
  });

  it('refuses to build strings longer than the limit', () => {
    expect(() => sprintf('%999999d', [1], 1000)).toThrow(StringTooLongError);
    expect(sprintf('%5d', [1], 1000)).toBe('    1');
  });

  it('is reachable from templates, piped values last', () => {
    expect(out('{{ printf "%s:%d" "web" 80 }}')).toBe('web:80');
    expect(out('{{ 3.14159 | printf "%.2f" }}')).toBe('3.14');
    expect(out('{{ printf "%d" "x" }}')).toBe('%!d(string=x)');
    expect(out('{{ printf "%v %v" (split "," "a,b") .Missing }}')).toBe('[a b] <nil>');
    expect(out('{{ print 1 2 "a" "b" 3 }}|{{ println "x" 1 }}|')).toBe('1 2ab3|x 1\n|');
  });
});

describe('Go float formatting', () => {
  it('rounds the exact binary value half to even', () => {
    expect(formatFloat(2.5, 'f', 0)).toBe('2');
    expect(formatFloat(3.5, 'f', 0)).toBe('4');
    expect(formatFloat(0.125, 'f', 2)).toBe('0.12');
    expect(formatFloat(0.375, 'f', 2)).toBe('0.38');
    expect(formatFloat(1.005, 'f', 2)).toBe('1.00');
    expect(formatFloat(9.995, 'f', 2)).toBe('9.99');
    expect(formatFloat(99.99, 'f', 1)).toBe('100.0');
  });

  it('switches %g and %v to exponent form as Go does', () => {
    expect(formatFloat(100000, 'g', -1)).toBe('100000');
    expect(formatFloat(1000000, 'g', -1)).toBe('1e+06');
    expect(formatFloat(123456789, 'g', -1)).toBe('1.23456789e+08');
    expect(formatFloat(0.0001, 'g', -1)).toBe('0.0001');
    expect(formatFloat(0.00001, 'g', -1)).toBe('1e-05');
    expect(formatFloat(1234.5678, 'g', 3)).toBe('1.23e+03');
    expect(formatFloat(1, 'g', 3)).toBe('1');
    expect(formatFloat(0, 'g', -1)).toBe('0');
    expect(formatFloat(-0, 'g', -1)).toBe('-0');
    expect(formatFloat(1e100, 'e', 2)).toBe('1.00e+100');
    expect(formatFloat(5e-324, 'g', -1)).toBe('5e-324');
  });
});
