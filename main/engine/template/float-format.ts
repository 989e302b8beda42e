/**
 * strconv.FormatFloat for the 'e', 'f' and 'g' formats. JavaScript's toFixed
 * rounds halves up while Go rounds the exact binary value half to even
 * (%.0f of 2.5 is "2"), so digits come from the exact decimal expansion.
 */

interface Decimal {
  /** Significant digits without trailing zeros; '' for zero. */
  digits: string;
  /** Position of the decimal point relative to the first digit. */
  dp: number;
}

function trimZeros(d: Decimal): Decimal {
  const digits = d.digits.replace(/0+$/, '');
  return digits === '' ? { digits: '', dp: 0 } : { digits, dp: d.dp };
}

/** The exact value of a finite, non-negative double. */
function exactDecimal(x: number): Decimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & 0xfffffffffffffn;
  let exponent = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  if (mantissa === 0n) return { digits: '', dp: 0 };
  if (exponent >= 0) {
    const digits = (mantissa << BigInt(exponent)).toString();
    return trimZeros({ digits, dp: digits.length });
  }
  // m / 2^k = m * 5^k / 10^k
  const digits = (mantissa * 5n ** BigInt(-exponent)).toString();
  return trimZeros({ digits, dp: digits.length + exponent });
}

/** The shortest digits that read back as x; JavaScript and Go agree on them. */
function shortestDecimal(x: number): Decimal {
  if (x === 0) return { digits: '', dp: 0 };
  const [mantissa = '0', exp = '0'] = x.toExponential().split('e');
  return trimZeros({ digits: mantissa.replace('.', ''), dp: Number(exp) + 1 });
}

function roundDecimal(d: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= d.digits.length) return d;
  const next = d.digits.charCodeAt(nd) - 48;
  const halfway = next === 5 && nd + 1 === d.digits.length;
  const up = halfway ? nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1 : next >= 5;
  if (!up) return trimZeros({ digits: d.digits.slice(0, nd), dp: d.dp });
  let i = nd - 1;
  while (i >= 0 && d.digits[i] === '9') i--;
  if (i < 0) return { digits: '1', dp: d.dp + 1 };
  return { digits: d.digits.slice(0, i) + String(d.digits.charCodeAt(i) - 47), dp: d.dp };
}

function formatE(neg: boolean, d: Decimal, prec: number, letter: string): string {
  let out = neg ? '-' : '';
  out += d.digits[0] ?? '0';
  if (prec > 0) out += '.' + d.digits.slice(1, prec + 1).padEnd(prec, '0');
  let exp = d.digits === '' ? 0 : d.dp - 1;
  const sign = exp < 0 ? '-' : '+';
  exp = Math.abs(exp);
  return `${out}${letter}${sign}${String(exp).padStart(2, '0')}`;
}

function formatF(neg: boolean, d: Decimal, prec: number): string {
  let out = neg ? '-' : '';
  out += d.dp > 0 ? d.digits.slice(0, d.dp).padEnd(d.dp, '0') : '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) out += d.digits[d.dp + i - 1] ?? '0';
  }
  return out;
}

export type FloatFormat = 'e' | 'E' | 'f' | 'g' | 'G';

/** strconv.FormatFloat(x, fmt, prec, 64); prec < 0 means the shortest exact representation. */
export function formatFloat(x: number, fmt: FloatFormat, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const shortest = prec < 0;
  let d: Decimal;
  if (shortest) {
    d = shortestDecimal(Math.abs(x));
    prec =
      fmt === 'e' || fmt === 'E'
        ? Math.max(d.digits.length - 1, 0)
        : fmt === 'f'
          ? Math.max(d.digits.length - d.dp, 0)
          : d.digits.length;
  } else {
    d = exactDecimal(Math.abs(x));
    if (fmt === 'e' || fmt === 'E') d = roundDecimal(d, prec + 1);
    else if (fmt === 'f') d = roundDecimal(d, d.dp + prec);
    else {
      if (prec === 0) prec = 1;
      d = roundDecimal(d, prec);
    }
  }
  switch (fmt) {
    case 'e':
    case 'E':
      return formatE(neg, d, prec, fmt);
    case 'f':
      return formatF(neg, d, prec);
    default: {
      const nd = d.digits.length;
      let eprec = prec;
      if (eprec > nd && nd >= d.dp) eprec = nd;
      // With the shortest digits Go picks %e over %f as if the precision were 6 (1e6 prints as 1e+06).
      if (shortest) eprec = 6;
      const exp = d.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        return formatE(neg, d, prec - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (prec > d.dp) prec = nd;
      return formatF(neg, d, Math.max(prec - d.dp, 0));
    }
  }
}
