// String ↔ number for Cast. Numbers print as the ONNX reference (numpy `astype(str)`) prints
// them: the shortest digits that round-trip in the source type, positional between 1e-4 and 1e16,
// else scientific ('1e-05', '1.5e+16'); 'nan', 'inf', '-inf'; bools 'True'/'False'. Strings parse
// as plain or scientific decimals, or (case-insensitively) INF, +INF, -INF, NaN.

/** The most characters a numeric string may have (longer ones are refused, never parsed slowly). */
export const MAX_NUMBER_CHARS = 400;

/** numpy-style text of a float: the fewest significant digits that `same` accepts as the same value. */
export function formatFloat(v: number, same: (a: number, b: number) => boolean): string {
  if (v !== v) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  let p = 1;
  while (p < 17 && !same(Number(v.toPrecision(p)), v)) p++;
  const [mant, expText] = v.toExponential(p - 1).split('e');
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '').replace(/0+$/, '') || '0';
  const a = Math.abs(v);
  let body: string;
  if (a >= 1e-4 && a < 1e16) {
    if (exp >= 0) {
      const intPart = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits + '0'.repeat(exp + 1 - digits.length);
      const frac = digits.length > exp + 1 ? digits.slice(exp + 1) : '0';
      body = `${intPart}.${frac}`;
    } else {
      body = `0.${'0'.repeat(-exp - 1)}${digits}`;
    }
  } else {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    body = `${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  return neg ? `-${body}` : body;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const INF = /^[+]?inf(inity)?$/i;
const NEG_INF = /^-inf(inity)?$/i;
const NAN = /^[+-]?nan$/i;

/** A parsed numeric string: its double, and the exact integer when it is an integer literal. */
export interface ParsedNumber {
  value: number;
  int: bigint | undefined;
  /** Sign of (exact decimal − value): lets a caller round once more without double rounding. */
  side: number;
}

/** Parses a numeric string; throws a one-line error naming it when it is not a number. */
export function parseNumber(raw: string, exact: boolean): ParsedNumber {
  const s = raw.trim();
  if (s.length > MAX_NUMBER_CHARS) throw new Error(`cannot cast a ${s.length}-character string to a number`);
  if (INF.test(s)) return { value: Infinity, int: undefined, side: 0 };
  if (NEG_INF.test(s)) return { value: -Infinity, int: undefined, side: 0 };
  if (NAN.test(s)) return { value: NaN, int: undefined, side: 0 };
  if (!NUMBER.test(s)) throw new Error(`cannot cast the string ${JSON.stringify(s.slice(0, 40))} to a number`);
  const value = Number(s);
  const int = INTEGER.test(s) ? BigInt(s) : undefined;
  return { value, int, side: exact ? compareDecimal(s, value) : 0 };
}

/** Sign of (decimal string − d), exactly, for a finite non-zero d (0 when equal or not comparable). */
function compareDecimal(s: string, d: number): number {
  if (!Number.isFinite(d) || d === 0) return 0;
  const m = /^([+-]?)(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m) return 0;
  const e10 = Number(m[4] ?? '0') - m[3].length;
  if (Math.abs(e10) > 800) return 0; // far outside the double range: d is already exact enough
  let dec = BigInt((m[2] + m[3]) || '0');
  if (m[1] === '-') dec = -dec;
  // d = mant · 2^e2 exactly.
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, d);
  const hi = buf.getUint32(0);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(buf.getUint32(4));
  let e2: number;
  if (bexp === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = bexp - 1075;
  }
  if (d < 0) mant = -mant;
  let lhs = dec;
  let rhs = mant;
  if (e10 >= 0) lhs *= 10n ** BigInt(e10);
  else rhs *= 10n ** BigInt(-e10);
  if (e2 >= 0) rhs <<= BigInt(e2);
  else lhs <<= BigInt(-e2);
  return lhs > rhs ? 1 : lhs < rhs ? -1 : 0;
}

/**
 * The double to round further (to float32 or smaller) so that the result is the correct rounding
 * of the decimal: between `value` and its neighbour towards the decimal, the one with an odd
 * last bit (round-to-odd keeps a later round-to-nearest exact).
 */
export function roundToOdd(p: ParsedNumber): number {
  const v = p.value;
  if (p.side === 0) return v;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, v);
  if (buf.getUint32(4) & 1) return v;
  const bits = buf.getBigUint64(0);
  // Moving away from zero increases the magnitude bits; towards zero decreases them.
  const away = (p.side > 0) === (v > 0);
  buf.setBigUint64(0, away ? bits + 1n : bits - 1n);
  return buf.getFloat64(0);
}
