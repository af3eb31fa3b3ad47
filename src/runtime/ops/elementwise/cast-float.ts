// Rounding a double straight to a small float format's bits (float16, bfloat16, the float8 family,
// float4e2m1, float8e8m0) for Cast, with ONNX's saturate rules. Direct from the double, so a
// double or int64 source is rounded once (no double rounding through float32).
import { DataType } from '../../../onnx/ir';

/** A small binary float format. */
export interface SmallFloat {
  /** Mantissa (fraction) bits. */
  readonly mbits: number;
  readonly bias: number;
  /** Largest finite value. */
  readonly max: number;
  /** Bits of ±max without sign. */
  readonly maxBits: number;
  readonly signBit: number;
  /** Bits of +inf, or -1 when the format has no infinity. */
  readonly infBits: number;
  /** Bits of NaN, or -1 when there is none. */
  readonly nanBits: number;
  /** FNUZ formats: no negative zero; 0x80 is the only NaN. */
  readonly uz: boolean;
  /** What a NaN input becomes in a format without NaN (float4e2m1: 0x8, as ml_dtypes does). */
  readonly nanFallback: number;
}

function fmt(ebits: number, mbits: number, bias: number, opts: { inf?: boolean; nan: number; uz?: boolean; maxMant?: number; nanFallback?: number }): SmallFloat {
  const emax = (opts.inf || opts.maxMant === undefined ? (1 << ebits) - 2 : (1 << ebits) - 1) - bias;
  const maxMant = opts.maxMant ?? (1 << mbits) - 1;
  return {
    mbits, bias,
    max: (1 + maxMant / (1 << mbits)) * 2 ** emax,
    maxBits: ((emax + bias) << mbits) | maxMant,
    signBit: 1 << (ebits + mbits),
    infBits: opts.inf ? ((1 << ebits) - 1) << mbits : -1,
    nanBits: opts.nan,
    uz: opts.uz ?? false,
    nanFallback: opts.nanFallback ?? 0,
  };
}

/** The formats Cast rounds to, by dtype. */
export const SMALL_FLOATS: Partial<Record<DataType, SmallFloat>> = {
  [DataType.FLOAT16]: fmt(5, 10, 15, { inf: true, nan: 0x7e00 }),
  [DataType.BFLOAT16]: fmt(8, 7, 127, { inf: true, nan: 0x7fc0 }),
  [DataType.FLOAT8E4M3FN]: fmt(4, 3, 7, { nan: 0x7f, maxMant: 6 }),
  [DataType.FLOAT8E4M3FNUZ]: fmt(4, 3, 8, { nan: 0x80, uz: true, maxMant: 7 }),
  [DataType.FLOAT8E5M2]: fmt(5, 2, 15, { inf: true, nan: 0x7e }),
  [DataType.FLOAT8E5M2FNUZ]: fmt(5, 2, 16, { nan: 0x80, uz: true, maxMant: 3 }),
  [DataType.FLOAT4E2M1]: fmt(2, 1, 1, { nan: -1, maxMant: 1, nanFallback: 0x8 }),
};

/** Exponent of a positive finite double: 2^e ≤ a < 2^(e+1). */
function exponentOf(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return e;
}

/**
 * Bits of `x` rounded to nearest-even in format `f`. Out of range: with `saturate` ±max, else ±inf
 * where the format has it, else NaN. Formats without NaN or infinity always saturate. (Callers pass
 * saturate = false for float16 / bfloat16, which overflow to infinity like any IEEE format.)
 */
export function encodeSmall(x: number, f: SmallFloat, saturate: boolean): number {
  if (x !== x) {
    if (f.nanBits < 0) return f.nanFallback;
    return f.nanBits; // the sign of a NaN is not kept
  }
  const neg = x < 0 || Object.is(x, -0);
  const sign = neg ? f.signBit : 0;
  const zero = f.uz ? 0 : sign; // FNUZ formats have no negative zero
  const a = Math.abs(x);
  const emin = 1 - f.bias;
  const overflow = (): number => {
    if (saturate || (f.infBits < 0 && f.nanBits < 0)) return sign | f.maxBits;
    if (f.infBits >= 0) return sign | f.infBits;
    return f.uz ? f.nanBits : sign | f.nanBits;
  };
  if (a === Infinity) return overflow();
  if (a === 0) return zero;
  const e = Math.max(exponentOf(a), emin);
  const q = 2 ** (e - f.mbits);
  const t = a / q; // exact: q is a power of two and the quotient stays far from overflow
  let m = Math.floor(t);
  const frac = t - m;
  if (frac > 0.5 || (frac === 0.5 && m % 2 === 1)) m++;
  const r = m * q;
  if (r > f.max) return overflow();
  if (r === 0) return zero;
  if (r < 2 ** emin) return sign | m; // subnormal: the mantissa is the count of steps
  const er = exponentOf(r);
  return sign | ((er + f.bias) << f.mbits) | (r / 2 ** (er - f.mbits) - (1 << f.mbits));
}

/**
 * float8e8m0 bits of a float32 value (the exponent of |x|), saturating, with ONNX round_mode:
 * 'up' to the next power of two, 'down' to the previous, 'nearest' to the nearer (ties up).
 * NaN → 0xff; ±inf → 0xfe; 0 and values below 2^-127 → 0 (2^-127).
 */
export function encodeE8M0(x: number, mode: 'up' | 'down' | 'nearest'): number {
  if (x !== x) return 0xff;
  const a = Math.abs(Math.fround(x));
  if (a === Infinity) return 0xfe;
  if (a === 0) return 0;
  let e = exponentOf(a);
  const p = 2 ** e;
  if (a !== p) {
    if (mode === 'up') e++;
    else if (mode === 'nearest' && a >= 1.5 * p) e++;
  }
  const b = e + 127;
  return b < 0 ? 0 : b > 0xfe ? 0xfe : b;
}
