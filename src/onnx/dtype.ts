// ONNX element types: textual names, sizes, value allocation, and exact bit-level conversions
// between float32 and the low-precision float formats (float16, bfloat16, float8 ×4, e8m0, float4).
import { DataType, TensorValues } from './ir';

const NAMES: Record<number, string> = {
  [DataType.UNDEFINED]: 'undefined',
  [DataType.FLOAT]: 'float',
  [DataType.UINT8]: 'uint8',
  [DataType.INT8]: 'int8',
  [DataType.UINT16]: 'uint16',
  [DataType.INT16]: 'int16',
  [DataType.INT32]: 'int32',
  [DataType.INT64]: 'int64',
  [DataType.STRING]: 'string',
  [DataType.BOOL]: 'bool',
  [DataType.FLOAT16]: 'float16',
  [DataType.DOUBLE]: 'double',
  [DataType.UINT32]: 'uint32',
  [DataType.UINT64]: 'uint64',
  [DataType.COMPLEX64]: 'complex64',
  [DataType.COMPLEX128]: 'complex128',
  [DataType.BFLOAT16]: 'bfloat16',
  [DataType.FLOAT8E4M3FN]: 'float8e4m3fn',
  [DataType.FLOAT8E4M3FNUZ]: 'float8e4m3fnuz',
  [DataType.FLOAT8E5M2]: 'float8e5m2',
  [DataType.FLOAT8E5M2FNUZ]: 'float8e5m2fnuz',
  [DataType.UINT4]: 'uint4',
  [DataType.INT4]: 'int4',
  [DataType.FLOAT4E2M1]: 'float4e2m1',
  [DataType.FLOAT8E8M0]: 'float8e8m0',
  [DataType.UINT2]: 'uint2',
  [DataType.INT2]: 'int2',
};

const ALIASES: Record<string, DataType> = { float32: DataType.FLOAT, float64: DataType.DOUBLE };

/** ONNX textual-syntax name of a dtype ('float', 'int64', 'float8e4m3fn', …); unknown numbers give 'dtype(N)'. */
export function dtypeName(dt: DataType): string {
  return NAMES[dt] ?? `dtype(${dt})`;
}

/** The dtype for an ONNX textual name (also 'float32'/'float64'), or undefined. */
export function dtypeFromName(name: string): DataType | undefined {
  const n = name.trim().toLowerCase();
  for (const k of Object.keys(NAMES)) if (NAMES[Number(k)] === n && Number(k) !== 0) return Number(k) as DataType;
  return ALIASES[n];
}

const BITS: Record<number, number> = {
  [DataType.FLOAT]: 32, [DataType.UINT8]: 8, [DataType.INT8]: 8, [DataType.UINT16]: 16,
  [DataType.INT16]: 16, [DataType.INT32]: 32, [DataType.INT64]: 64, [DataType.BOOL]: 8,
  [DataType.FLOAT16]: 16, [DataType.DOUBLE]: 64, [DataType.UINT32]: 32, [DataType.UINT64]: 64,
  [DataType.COMPLEX64]: 64, [DataType.COMPLEX128]: 128, [DataType.BFLOAT16]: 16,
  [DataType.FLOAT8E4M3FN]: 8, [DataType.FLOAT8E4M3FNUZ]: 8, [DataType.FLOAT8E5M2]: 8,
  [DataType.FLOAT8E5M2FNUZ]: 8, [DataType.UINT4]: 4, [DataType.INT4]: 4, [DataType.FLOAT4E2M1]: 4,
  [DataType.FLOAT8E8M0]: 8, [DataType.UINT2]: 2, [DataType.INT2]: 2,
};

/** Bits one element occupies in raw_data (4 for int4/uint4/float4e2m1, 2 for int2/uint2); 0 for string/undefined/unknown. */
export function bitsPerElement(dt: DataType): number {
  return BITS[dt] ?? 0;
}

/** True for real floating-point types, including the low-precision ones (not complex). */
export function isFloatType(dt: DataType): boolean {
  switch (dt) {
    case DataType.FLOAT: case DataType.DOUBLE: case DataType.FLOAT16: case DataType.BFLOAT16:
    case DataType.FLOAT8E4M3FN: case DataType.FLOAT8E4M3FNUZ: case DataType.FLOAT8E5M2:
    case DataType.FLOAT8E5M2FNUZ: case DataType.FLOAT4E2M1: case DataType.FLOAT8E8M0:
      return true;
    default:
      return false;
  }
}

/** True for signed and unsigned integer types of 2–64 bits (not bool). */
export function isIntegerType(dt: DataType): boolean {
  switch (dt) {
    case DataType.INT8: case DataType.INT16: case DataType.INT32: case DataType.INT64:
    case DataType.UINT8: case DataType.UINT16: case DataType.UINT32: case DataType.UINT64:
    case DataType.INT4: case DataType.UINT4: case DataType.INT2: case DataType.UINT2:
      return true;
    default:
      return false;
  }
}

/** A zero-filled TensorValues for `n` elements of `dt` (strings filled with ''; complex has 2n numbers). */
export function allocValues(dt: DataType, n: number): TensorValues {
  switch (dt) {
    case DataType.FLOAT: return new Float32Array(n);
    case DataType.DOUBLE: return new Float64Array(n);
    case DataType.INT8: case DataType.INT4: case DataType.INT2: return new Int8Array(n);
    case DataType.UINT8: case DataType.BOOL: case DataType.UINT4: case DataType.UINT2:
    case DataType.FLOAT8E4M3FN: case DataType.FLOAT8E4M3FNUZ: case DataType.FLOAT8E5M2:
    case DataType.FLOAT8E5M2FNUZ: case DataType.FLOAT4E2M1: case DataType.FLOAT8E8M0:
      return new Uint8Array(n);
    case DataType.INT16: return new Int16Array(n);
    case DataType.UINT16: case DataType.FLOAT16: case DataType.BFLOAT16: return new Uint16Array(n);
    case DataType.INT32: return new Int32Array(n);
    case DataType.UINT32: return new Uint32Array(n);
    case DataType.INT64: return new BigInt64Array(n);
    case DataType.UINT64: return new BigUint64Array(n);
    case DataType.STRING: return new Array<string>(n).fill('');
    case DataType.COMPLEX64: return new Float32Array(2 * n);
    case DataType.COMPLEX128: return new Float64Array(2 * n);
    default:
      throw new Error(`cannot allocate values of unsupported element type ${dtypeName(dt)}`);
  }
}

// ---- scalar bit conversions ---------------------------------------------------------------

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function f32Bits(x: number): number {
  f32[0] = x;
  return u32[0];
}

function bitsF32(b: number): number {
  u32[0] = b >>> 0;
  return f32[0];
}

/** float16 bits → float32 value (exact). */
export function float16ToFloat32(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1024 + m) * 2 ** (e - 25);
}

/** float32 value → float16 bits, round-to-nearest-even, overflow to ±inf, NaN → 0x7e00 (sign kept). */
export function float32ToFloat16(x: number): number {
  return f32BitsToF16(f32Bits(x));
}

function f32BitsToF16(b: number): number {
  const sign = (b >>> 16) & 0x8000;
  const e = (b >>> 23) & 0xff;
  const m = b & 0x7fffff;
  if (e === 0xff) return m ? sign | 0x7e00 : sign | 0x7c00;
  const he = e - 127 + 15;
  if (he >= 31) return sign | 0x7c00;
  if (he <= 0) {
    if (he < -10) return sign; // below half the smallest subnormal
    const full = m | 0x800000;
    const shift = 14 - he; // 24-bit significand down to subnormal 10-bit field
    let r = full >>> shift;
    const rem = full & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (r & 1))) r++;
    return sign | r;
  }
  let r = (he << 10) | (m >>> 13);
  const rem = m & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (r & 1))) r++; // may carry into the exponent, up to inf: correct
  return sign | r;
}

const F16_FORMAT = mini(5, 10, 15, 65504, true, false, 0x7e00);

/** float64 value → float16 bits in one rounding (RNE), avoiding double rounding through float32. */
export function float64ToFloat16(x: number): number {
  return miniEncode(x, F16_FORMAT, false);
}

/** bfloat16 bits → float32 value (exact). */
export function bfloat16ToFloat32(h: number): number {
  return bitsF32((h & 0xffff) << 16);
}

/** float32 value → bfloat16 bits, round-to-nearest-even; NaN → 0x7fc0. */
export function float32ToBfloat16(x: number): number {
  return f32BitsToBf16(f32Bits(x));
}

function f32BitsToBf16(b: number): number {
  if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff)) return 0x7fc0;
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

/** Parameters of a small float format. */
interface MiniFloat {
  mbits: number;
  bias: number;
  /** Largest finite magnitude. */
  max: number;
  /** Smallest normal exponent (unbiased). */
  emin: number;
  signed: boolean;
  hasInf: boolean;
  /** No negative zero: the 0x80 pattern is the only NaN (FNUZ). */
  uz: boolean;
  nanBits: number;
  ebits: number;
}

function mini(ebits: number, mbits: number, bias: number, max: number, hasInf: boolean, uz: boolean, nanBits: number, signed = true): MiniFloat {
  return { ebits, mbits, bias, max, emin: 1 - bias, signed, hasInf, uz, nanBits };
}

const FORMATS: Record<number, MiniFloat> = {
  [DataType.FLOAT8E4M3FN]: mini(4, 3, 7, 448, false, false, 0x7f),
  [DataType.FLOAT8E4M3FNUZ]: mini(4, 3, 8, 240, false, true, 0x80),
  [DataType.FLOAT8E5M2]: mini(5, 2, 15, 57344, true, false, 0x7e),
  [DataType.FLOAT8E5M2FNUZ]: mini(5, 2, 16, 57344, false, true, 0x80),
  [DataType.FLOAT4E2M1]: mini(2, 1, 1, 6, false, false, 0),
};

function miniDecode(bits: number, f: MiniFloat): number {
  const total = 1 + f.ebits + f.mbits;
  const signBit = 1 << (total - 1);
  const neg = (bits & signBit) !== 0;
  const e = (bits >> f.mbits) & ((1 << f.ebits) - 1);
  const m = bits & ((1 << f.mbits) - 1);
  if (f.uz) {
    if (bits === 0x80) return NaN;
  } else if (f.hasInf) {
    if (e === (1 << f.ebits) - 1) return m ? NaN : neg ? -Infinity : Infinity;
  } else if (f.nanBits && (bits & (signBit - 1)) === f.nanBits) {
    return NaN;
  }
  const v = e === 0 ? m * 2 ** (f.emin - f.mbits) : ((1 << f.mbits) + m) * 2 ** (e - f.bias - f.mbits);
  return neg ? -v : v;
}

/** Round |x| to the format's grid (RNE) ignoring the upper range limit. */
function roundToGrid(ax: number, f: MiniFloat): number {
  const e = Math.max(Math.floor(Math.log2(ax)), f.emin);
  let q = 2 ** (e - f.mbits);
  // Math.log2 can be off by one near powers of two; fix the exponent exactly.
  if (ax >= 2 ** (e + 1)) q *= 2;
  else if (e > f.emin && ax < 2 ** e) q /= 2;
  const r = ax / q;
  let n = Math.floor(r);
  const frac = r - n;
  if (frac > 0.5 || (frac === 0.5 && n % 2 === 1)) n++;
  return n * q;
}

function miniEncode(x: number, f: MiniFloat, saturate: boolean, negNaN = false): number {
  const total = 1 + f.ebits + f.mbits;
  const signBit = 1 << (total - 1);
  if (Number.isNaN(x)) {
    if (f.uz) return 0x80;
    if (!f.nanBits) return signBit; // float4e2m1 has no NaN: ONNX maps NaN to -0 (0x8)
    return f.nanBits | (negNaN ? signBit : 0);
  }
  const neg = x < 0 || Object.is(x, -0);
  const sign = neg ? signBit : 0;
  const ax = Math.abs(x);
  if (ax === 0) return f.uz ? 0 : sign;
  const overflow = (): number => {
    if (saturate || !f.nanBits) return sign | encodeMag(f.max, f);
    if (f.hasInf) return sign | (((1 << f.ebits) - 1) << f.mbits);
    return f.uz ? 0x80 : sign | f.nanBits;
  };
  if (ax === Infinity) return overflow();
  const r = roundToGrid(ax, f);
  if (r > f.max) return overflow();
  if (r === 0) return f.uz ? 0 : sign;
  return sign | encodeMag(r, f);
}

function encodeMag(r: number, f: MiniFloat): number {
  let e = Math.floor(Math.log2(r));
  if (2 ** e > r) e--;
  else if (2 ** (e + 1) <= r) e++;
  if (e < f.emin) return Math.round(r / 2 ** (f.emin - f.mbits));
  const m = r / 2 ** (e - f.mbits) - (1 << f.mbits);
  return ((e + f.bias) << f.mbits) | m;
}

/** float8 / float4 bits → float32 value for FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ, FLOAT8E8M0, FLOAT4E2M1. */
export function float8ToFloat32(bits: number, dt: DataType): number {
  if (dt === DataType.FLOAT8E8M0) return float8e8m0ToFloat32(bits);
  const f = FORMATS[dt];
  if (!f) throw new Error(`float8ToFloat32: ${dtypeName(dt)} is not a float8/float4 type`);
  return miniDecode(bits & 0xff, f);
}

/**
 * float32 value → float8 / float4 bits, round-to-nearest-even. With `saturate` (ONNX default),
 * out-of-range values and ±inf clamp to ±max; without it they become inf (E5M2) or NaN.
 * NaN → 0x7f (E4M3FN), 0x7e (E5M2), 0x80 (FNUZ). float4e2m1 always saturates and maps NaN to 0x8.
 */
export function float32ToFloat8(x: number, dt: DataType, saturate = true): number {
  if (dt === DataType.FLOAT8E8M0) return float32ToFloat8e8m0(x, saturate);
  const f = FORMATS[dt];
  if (!f) throw new Error(`float32ToFloat8: ${dtypeName(dt)} is not a float8/float4 type`);
  return miniEncode(Math.fround(x), f, saturate);
}

/** float8e8m0 bits → value 2^(bits−127); 0xff is NaN. */
export function float8e8m0ToFloat32(bits: number): number {
  const b = bits & 0xff;
  return b === 0xff ? NaN : 2 ** (b - 127);
}

/**
 * float32 value → float8e8m0 bits (the exponent of |x|). `roundMode` as in ONNX Cast:
 * 'up' (default) rounds a non-power-of-two up, 'down' truncates, 'nearest' rounds at the midpoint.
 * NaN → 0xff; inf and overflow → 0xfe when saturating, else 0xff.
 */
export function float32ToFloat8e8m0(x: number, saturate = true, roundMode: 'up' | 'down' | 'nearest' = 'up'): number {
  const b = f32Bits(x);
  const e = (b >>> 23) & 0xff;
  const m = b & 0x7fffff;
  if (e === 0xff) return m ? 0xff : saturate ? 0xfe : 0xff;
  let r = e;
  if (roundMode === 'up') {
    if (m > 0 && e !== 0) r++;
    else if (e === 0 && m > 0x400000) r++;
  } else if (roundMode === 'nearest') {
    if (m >= 0x400000) r++; // ties away from zero, per the ONNX reference
  }
  if (r === 0xff) return saturate ? 0xfe : 0xff;
  return r;
}

/** float4e2m1 bits (low nibble) → value. */
export function float4e2m1ToFloat32(bits: number): number {
  return miniDecode(bits & 0x0f, FORMATS[DataType.FLOAT4E2M1]);
}

/** float32 value → float4e2m1 bits (low nibble), RNE, saturating; NaN → 0x8. */
export function float32ToFloat4e2m1(x: number): number {
  return miniEncode(Math.fround(x), FORMATS[DataType.FLOAT4E2M1], true);
}

// ---- bulk conversions ---------------------------------------------------------------------

const tables = new Map<DataType, Uint32Array>();

/**
 * Decoding table (float32 bit patterns) for a dtype of at most 16 bits (f16: 65536 entries).
 * NaN codes keep their sign bit (FNUZ's 0x80 decodes to −NaN, as in ml_dtypes and ONNX).
 */
function table(dt: DataType): Uint32Array {
  let t = tables.get(dt);
  if (t) return t;
  const n = dt === DataType.FLOAT16 ? 65536 : 256;
  const signBit = dt === DataType.FLOAT16 ? 0x8000 : dt === DataType.FLOAT4E2M1 ? 0x8 : 0x80;
  t = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const v = dt === DataType.FLOAT16 ? float16ToFloat32(i) : float8ToFloat32(i, dt);
    const negNaN = dt !== DataType.FLOAT8E8M0 && (i & signBit) !== 0;
    t[i] = Number.isNaN(v) ? (negNaN ? 0xffc00000 : 0x7fc00000) : f32Bits(v);
  }
  tables.set(dt, t);
  return t;
}

/** Widen any numeric TensorValues of `dt` to a Float32Array (returns `values` itself for FLOAT). */
export function toFloat32Array(values: TensorValues, dt: DataType): Float32Array {
  if (dt === DataType.FLOAT && values instanceof Float32Array) return values;
  if (Array.isArray(values)) throw new Error('toFloat32Array: string tensors have no numeric value');
  const n = values.length;
  const out = new Float32Array(n);
  switch (dt) {
    case DataType.FLOAT16:
    case DataType.FLOAT8E4M3FN: case DataType.FLOAT8E4M3FNUZ: case DataType.FLOAT8E5M2:
    case DataType.FLOAT8E5M2FNUZ: case DataType.FLOAT4E2M1: case DataType.FLOAT8E8M0: {
      const t = table(dt);
      const v = values as Uint8Array | Uint16Array;
      const ob = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) ob[i] = t[v[i]];
      return out;
    }
    case DataType.BFLOAT16: {
      const v = values as Uint16Array;
      const ob = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) ob[i] = v[i] << 16;
      return out;
    }
    default:
      if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
        for (let i = 0; i < n; i++) out[i] = Number(values[i]);
      } else {
        out.set(values as Exclude<TensorValues, string[] | BigInt64Array | BigUint64Array>);
      }
      return out;
  }
}

/**
 * Narrow float32 values to a float dtype's storage (FLOAT16/BFLOAT16 → Uint16Array bits;
 * float8/float4/e8m0 → Uint8Array bits; FLOAT → copy; DOUBLE → Float64Array). NaN signs are kept.
 */
export function fromFloat32Array(src: Float32Array, dt: DataType, saturate = true): TensorValues {
  const n = src.length;
  const bits = new Uint32Array(src.buffer, src.byteOffset, n);
  switch (dt) {
    case DataType.FLOAT: return Float32Array.from(src);
    case DataType.DOUBLE: return Float64Array.from(src);
    case DataType.FLOAT16: {
      const out = new Uint16Array(n);
      for (let i = 0; i < n; i++) out[i] = f32BitsToF16(bits[i]);
      return out;
    }
    case DataType.BFLOAT16: {
      const out = new Uint16Array(n);
      for (let i = 0; i < n; i++) out[i] = f32BitsToBf16(bits[i]);
      return out;
    }
    case DataType.FLOAT8E8M0: {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = float32ToFloat8e8m0(src[i], saturate);
      return out;
    }
    default: {
      const f = FORMATS[dt];
      if (!f) throw new Error(`fromFloat32Array: ${dtypeName(dt)} is not a float type`);
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = miniEncode(src[i], f, saturate, (bits[i] & 0x80000000) !== 0);
      return out;
    }
  }
}
