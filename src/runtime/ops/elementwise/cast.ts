// Cast and CastLike: convert every element to another dtype, for every pair the spec allows
// (numbers, bool, string, float16/bfloat16/float8/float4/e8m0, int4/uint4/int2/uint2).
// Floats to integers truncate toward zero, then wrap (int64: out of range gives INT64_MIN, as on
// x86); integers wrap; anything to bool is "non-zero"; small floats round once, to nearest-even.
import { DataType, TensorValues } from '../../../onnx/ir';
import { attrInt, attrString, findAttr } from '../../../onnx/attrs';
import { dtypeFromName, dtypeName, fromFloat32Array, toFloat32Array } from '../../../onnx/dtype';
import { isLowPrecision } from '../../run-node';
import { OpDef, PlanContext, RunContext } from '../../op';
import { Tensor } from '../../tensor';
import { BigArr, input, isBig, versions, where } from './common';
import { encodeE8M0, encodeSmall, SMALL_FLOATS, SmallFloat } from './cast-float';
import { formatFloat, parseNumber, ParsedNumber, roundToOdd } from './cast-string';
import { unsupported } from '../../errors';

const D = DataType;
type RoundMode = 'up' | 'down' | 'nearest';

/** Parsed Cast attributes. */
export interface CastAttrs {
  to: DataType;
  saturate: boolean;
  roundMode: RoundMode;
}

const CASTABLE = new Set<DataType>([
  D.FLOAT, D.DOUBLE, D.INT8, D.INT16, D.INT32, D.INT64, D.UINT8, D.UINT16, D.UINT32, D.UINT64, D.BOOL, D.STRING,
  D.FLOAT16, D.BFLOAT16, D.FLOAT8E4M3FN, D.FLOAT8E4M3FNUZ, D.FLOAT8E5M2, D.FLOAT8E5M2FNUZ, D.FLOAT4E2M1, D.FLOAT8E8M0,
  D.INT4, D.UINT4, D.INT2, D.UINT2,
]);

/** Throws unless Cast can produce or read `dt`. */
function checkCastable(node: PlanContext['node'], dt: DataType, what: string): void {
  if (!CASTABLE.has(dt)) throw new Error(`${where(node)}casting ${what} ${dtypeName(dt)} is not supported (complex and unknown types cannot be cast); fix the model`);
}

/** Reads saturate / round_mode (opset-dependent) for a target type; refuses variants with no single defined result. */
function parseCommon(ctx: PlanContext): Omit<CastAttrs, 'to'> {
  const saturate = ctx.opset >= 19 ? attrInt(ctx.node, 'saturate', 1) !== 0 : true;
  const rm = ctx.opset >= 24 ? attrString(ctx.node, 'round_mode', 'up') : 'up';
  if (rm !== 'up' && rm !== 'down' && rm !== 'nearest') throw new Error(`${where(ctx.node)}round_mode must be "up", "down" or "nearest", got "${rm}"; fix the model`);
  return { saturate, roundMode: rm };
}

function checkE8M0(node: PlanContext['node'], to: DataType, saturate: boolean): void {
  if (to === D.FLOAT8E8M0 && !saturate) {
    throw unsupported(new Error(`${where(node)}casting to float8e8m0 with saturate=0 is not supported (the ONNX spec and its reference implementation disagree on it); use saturate=1`));
  }
}

// ---- conversions -------------------------------------------------------------------------

const INT64_MIN = -(2n ** 63n);
const TWO63 = 2 ** 63;
const TWO64 = 2 ** 64;

/** A double truncated toward zero as int64 (INT64_MIN for NaN, ±inf and out of range, as x86 does). */
function doubleToInt64(x: number): bigint {
  return x > -TWO63 - 1 && x < TWO63 ? BigInt(Math.trunc(x)) : INT64_MIN;
}

/** A double truncated toward zero as uint64 bits (negative values wrap; out of range gives 2^63). */
function doubleToUint64(x: number): bigint {
  return x > -TWO63 - 1 && x < TWO64 ? BigInt(Math.trunc(x)) : 2n ** 63n;
}

/** A BigInt as a double rounded to odd at 53 bits, so one more rounding to ≤ 51 bits is exact. */
function bigToOddDouble(v: bigint): number {
  const neg = v < 0n;
  let a = neg ? -v : v;
  const bits = a.toString(2).length;
  if (bits <= 53) return Number(v);
  const shift = BigInt(bits - 53);
  const rest = a & ((1n << shift) - 1n);
  a >>= shift;
  if (rest !== 0n) a |= 1n;
  const r = Number(a) * 2 ** Number(shift);
  return neg ? -r : r;
}

/** `saturate` applies to the float8 types only: float16 and bfloat16 overflow to infinity. */
function saturates(to: DataType, saturate: boolean): boolean {
  return to === D.FLOAT16 || to === D.BFLOAT16 ? false : saturate;
}

/** Wraps an integer-valued double into a `bits`-bit two's complement (or unsigned) range. */
function wrapSmallInt(t: number, bits: number, signed: boolean): number {
  const m = 2 ** bits;
  let w = t % m;
  if (w < 0) w += m;
  return signed && w >= m / 2 ? w - m : w;
}

const SUB_BYTE: Partial<Record<DataType, [number, boolean]>> = {
  [D.INT4]: [4, true], [D.UINT4]: [4, false], [D.INT2]: [2, true], [D.UINT2]: [2, false],
};

/** Source values as numbers (float32 for the small floats, 0/1 for bool), or null for BigInt / string sources. */
function numericSource(x: Tensor): ArrayLike<number> | null {
  if (isBig(x.dtype) || x.dtype === D.STRING) return null;
  if (isLowPrecision(x.dtype)) return toFloat32Array(x.data, x.dtype);
  if (x.dtype === D.BOOL) {
    const b = x.data as Uint8Array;
    for (let i = 0; i < b.length; i++) {
      if (b[i] > 1) {
        const norm = new Uint8Array(b.length);
        for (let j = 0; j < b.length; j++) norm[j] = b[j] ? 1 : 0;
        return norm;
      }
    }
  }
  return x.data as ArrayLike<number>;
}

/** Converts number values into `out` (of dtype `to`). */
function fromNumbers(v: ArrayLike<number>, srcType: DataType, out: TensorValues, a: CastAttrs): void {
  const n = v.length;
  const { to } = a;
  const sub = SUB_BYTE[to];
  const small = SMALL_FLOATS[to];
  if (to === D.STRING) {
    const s = out as string[];
    const same = sameIn(srcType);
    if (srcType === D.BOOL) for (let i = 0; i < n; i++) s[i] = v[i] ? 'True' : 'False';
    else if (same) for (let i = 0; i < n; i++) s[i] = formatFloat(v[i], same);
    else for (let i = 0; i < n; i++) s[i] = String(v[i]);
  } else if (to === D.BOOL) {
    const o = out as Uint8Array;
    for (let i = 0; i < n; i++) o[i] = v[i] !== 0 ? 1 : 0; // NaN is true
  } else if (sub) {
    const o = out as Int8Array | Uint8Array;
    const [bits, signed] = sub;
    for (let i = 0; i < n; i++) { const t = Math.trunc(v[i]); o[i] = Number.isFinite(t) ? wrapSmallInt(t, bits, signed) : 0; }
  } else if (to === D.INT64) {
    const o = out as BigInt64Array;
    for (let i = 0; i < n; i++) o[i] = doubleToInt64(v[i]);
  } else if (to === D.UINT64) {
    const o = out as BigUint64Array;
    for (let i = 0; i < n; i++) o[i] = doubleToUint64(v[i]);
  } else if (to === D.FLOAT8E8M0) {
    const o = out as Uint8Array;
    for (let i = 0; i < n; i++) o[i] = encodeE8M0(v[i], a.roundMode);
  } else if (small) {
    if ((to === D.FLOAT16 || to === D.BFLOAT16) && v instanceof Float32Array) {
      (out as Uint16Array).set(fromFloat32Array(v, to) as Uint16Array); // exact bit-level float32 → 16-bit path
    } else {
      const o = out as Uint8Array | Uint16Array;
      const sat = saturates(to, a.saturate);
      for (let i = 0; i < n; i++) o[i] = encodeSmall(v[i], small, sat);
    }
  } else {
    // float, double and 8–32-bit integers: the typed-array store truncates and wraps.
    (out as Float64Array).set(v);
  }
}

/** "Same value in the source type" for float sources (decides how many digits to print), else null. */
function sameIn(dt: DataType): ((a: number, b: number) => boolean) | null {
  if (dt === D.DOUBLE) return (p, q) => p === q;
  if (dt === D.FLOAT) return (p, q) => Math.fround(p) === q;
  const f = SMALL_FLOATS[dt];
  if (f) return (p, q) => encodeSmall(p, f, true) === encodeSmall(q, f, true);
  if (dt === D.FLOAT8E8M0) return (p, q) => encodeE8M0(p, 'nearest') === encodeE8M0(q, 'nearest');
  return null;
}

/** Converts BigInt values into `out`. */
function fromBigInts(v: BigArr, out: TensorValues, a: CastAttrs): void {
  const n = v.length;
  const { to } = a;
  const sub = SUB_BYTE[to];
  const small = SMALL_FLOATS[to];
  if (to === D.INT64 || to === D.UINT64) (out as BigArr).set(v as BigInt64Array); // the store wraps
  else if (to === D.STRING) for (let i = 0; i < n; i++) (out as string[])[i] = v[i].toString();
  else if (to === D.BOOL) for (let i = 0; i < n; i++) (out as Uint8Array)[i] = v[i] !== 0n ? 1 : 0;
  else if (to === D.DOUBLE) for (let i = 0; i < n; i++) (out as Float64Array)[i] = Number(v[i]);
  else if (to === D.FLOAT) for (let i = 0; i < n; i++) (out as Float32Array)[i] = bigToOddDouble(v[i]);
  else if (sub) for (let i = 0; i < n; i++) (out as Int8Array)[i] = wrapSmallInt(Number(BigInt.asIntN(8, v[i])), sub[0], sub[1]);
  else if (to === D.FLOAT8E8M0) for (let i = 0; i < n; i++) (out as Uint8Array)[i] = encodeE8M0(bigToOddDouble(v[i]), a.roundMode);
  else if (small) for (let i = 0; i < n; i++) (out as Uint16Array)[i] = encodeSmall(bigToOddDouble(v[i]), small, saturates(to, a.saturate));
  else for (let i = 0; i < n; i++) (out as Int32Array)[i] = Number(BigInt.asIntN(32, v[i])); // 8–32-bit ints wrap on store
}

/** Converts strings into `out`, refusing a string that is not a number. */
function fromStrings(v: string[], out: TensorValues, a: CastAttrs, ctx: RunContext): void {
  const { to } = a;
  if (to === D.STRING) {
    for (let i = 0; i < v.length; i++) (out as string[])[i] = v[i];
    return;
  }
  const sub = SUB_BYTE[to];
  const small: SmallFloat | undefined = SMALL_FLOATS[to];
  const narrow = to === D.FLOAT || small !== undefined || to === D.FLOAT8E8M0;
  for (let i = 0; i < v.length; i++) {
    let p: ParsedNumber;
    try {
      p = parseNumber(v[i], narrow);
    } catch (e) {
      throw new Error(`${where(ctx.node)}element ${i}: ${(e as Error).message}; fix the input`);
    }
    const x = p.value;
    if (to === D.BOOL) (out as Uint8Array)[i] = x !== 0 ? 1 : 0;
    else if (to === D.DOUBLE) (out as Float64Array)[i] = x;
    else if (to === D.FLOAT) (out as Float32Array)[i] = roundToOdd(p);
    else if (to === D.FLOAT8E8M0) (out as Uint8Array)[i] = encodeE8M0(roundToOdd(p), a.roundMode);
    else if (small) (out as Uint16Array)[i] = encodeSmall(roundToOdd(p), small, saturates(to, a.saturate));
    else if (to === D.INT64) (out as BigInt64Array)[i] = p.int ?? doubleToInt64(x);
    else if (to === D.UINT64) (out as BigUint64Array)[i] = p.int ?? doubleToUint64(x);
    else if (sub) { const t = p.int !== undefined ? Number(BigInt.asIntN(8, p.int)) : Math.trunc(x); (out as Int8Array)[i] = Number.isFinite(t) ? wrapSmallInt(t, sub[0], sub[1]) : 0; }
    else (out as Int32Array)[i] = p.int !== undefined ? Number(BigInt.asIntN(32, p.int)) : x;
  }
}

/** Casts a tensor to `a.to`. */
export function castTensor(x: Tensor, a: CastAttrs, ctx: RunContext): Tensor {
  const out = ctx.alloc(a.to, x.shape);
  if (x.dtype === a.to && a.to !== D.BOOL) {
    for (let i = 0; i < out.length; i++) (out as Float64Array)[i] = (x.data as Float64Array)[i];
  } else if (isBig(x.dtype)) fromBigInts(x.data as BigArr, out, a);
  else if (x.dtype === D.STRING) fromStrings(x.data as string[], out, a, ctx);
  else fromNumbers(numericSource(x) as ArrayLike<number>, x.dtype, out, a);
  return { dtype: a.to, shape: x.shape.slice(), data: out };
}

/** Cast (opsets 1, 6, 9, 13, 19, 21, 23, 24, 25). Opset 1 names the target type as a string. */
export const castOps: OpDef<CastAttrs>[] = versions<CastAttrs>(
  {
    domain: '',
    opType: 'Cast',
    lowPrecision: 'native',
    parse(ctx) {
      const toAttr = findAttr(ctx.node, 'to');
      let to: DataType | undefined;
      if (toAttr?.type === 'string') to = dtypeFromName(attrString(ctx.node, 'to'));
      else to = attrInt(ctx.node, 'to') as DataType;
      if (to === undefined) throw new Error(`${where(ctx.node)}attribute 'to' names no known type; fix the model`);
      checkCastable(ctx.node, to, 'to');
      const common = parseCommon(ctx);
      checkE8M0(ctx.node, to, common.saturate);
      return { to, ...common };
    },
    run(inputs, attrs, ctx) {
      const x = input(ctx, inputs, 0);
      checkCastable(ctx.node, x.dtype, 'from');
      return [castTensor(x, attrs, ctx)];
    },
  },
  [1, 6, 9, 13, 19, 21, 23, 24, 25],
);

/** CastLike (opsets 15, 19, 21, 23, 24, 25): casts input 0 to the dtype of input 1. */
export const castLikeOps: OpDef<Omit<CastAttrs, 'to'>>[] = versions<Omit<CastAttrs, 'to'>>(
  {
    domain: '',
    opType: 'CastLike',
    lowPrecision: 'native',
    parse: parseCommon,
    run(inputs, attrs, ctx) {
      const x = input(ctx, inputs, 0);
      const like = input(ctx, inputs, 1);
      checkCastable(ctx.node, x.dtype, 'from');
      checkCastable(ctx.node, like.dtype, 'to');
      checkE8M0(ctx.node, like.dtype, attrs.saturate);
      return [castTensor(x, { ...attrs, to: like.dtype }, ctx)];
    },
  },
  [15, 19, 21, 23, 24, 25],
);
