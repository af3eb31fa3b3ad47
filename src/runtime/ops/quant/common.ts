// Helpers shared by the quantization op files: integer ranges of the quantized types, round-half-
// to-even, exact numeric decoding of any tensor, rounding to a float dtype's precision, and the
// per-tensor / per-axis / blocked layout that maps each element to its scale and zero point.

import { DataType, Node } from '../../../onnx/ir';
import {
  bfloat16ToFloat32, dtypeName, float16ToFloat32, float32ToBfloat16, float32ToFloat16, float64ToFloat16, toFloat32Array,
} from '../../../onnx/dtype';
import { sizeOf, Tensor } from '../../tensor';
import { nodeError, shapeStr } from '../nn/attrs';
import { unsupported } from '../../errors';

export { floatAttr, intAttr, intsAttr, hasAttr, need, nodeError, normAxis, shapeStr, stringAttr } from '../nn/attrs';

/** [min, max] of each integer quantized type. */
export const INT_RANGE: Partial<Record<DataType, readonly [number, number]>> = {
  [DataType.UINT8]: [0, 255], [DataType.INT8]: [-128, 127],
  [DataType.UINT16]: [0, 65535], [DataType.INT16]: [-32768, 32767],
  [DataType.UINT4]: [0, 15], [DataType.INT4]: [-8, 7],
  [DataType.UINT2]: [0, 3], [DataType.INT2]: [-2, 1],
  [DataType.INT32]: [-2147483648, 2147483647],
};

/** True for the four float8 formats (not e8m0). */
export function isFloat8(dt: DataType): boolean {
  return dt === DataType.FLOAT8E4M3FN || dt === DataType.FLOAT8E4M3FNUZ || dt === DataType.FLOAT8E5M2 || dt === DataType.FLOAT8E5M2FNUZ;
}

/** Rounds half to even (numpy.rint). */
export function rne(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Clamps to [lo, hi]; NaN goes to lo (what rint + int32 cast + clip gives on x86). */
export function clampInt(v: number, lo: number, hi: number): number {
  return v >= hi ? hi : v >= lo ? v : lo;
}

/**
 * A tensor's values as exact JS numbers: numeric storage as is, float16/bfloat16/float8/float4 bits
 * decoded, 64-bit integers converted (exact below 2^53). Strings, bool and complex are refused.
 */
export function realValues(node: Node, t: Tensor, what: string): ArrayLike<number> {
  const d = t.data;
  if (Array.isArray(d) || t.dtype === DataType.BOOL || t.dtype === DataType.COMPLEX64 || t.dtype === DataType.COMPLEX128) {
    throw nodeError(node, `${what} has dtype ${dtypeName(t.dtype)}, which this op does not accept`);
  }
  switch (t.dtype) {
    case DataType.FLOAT16: case DataType.BFLOAT16: case DataType.FLOAT8E4M3FN: case DataType.FLOAT8E4M3FNUZ:
    case DataType.FLOAT8E5M2: case DataType.FLOAT8E5M2FNUZ: case DataType.FLOAT4E2M1: case DataType.FLOAT8E8M0:
      return toFloat32Array(d, t.dtype);
    default:
      if (d instanceof BigInt64Array || d instanceof BigUint64Array) {
        const out = new Float64Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = Number(d[i]);
        return out;
      }
      return d as Exclude<typeof d, string[] | BigInt64Array | BigUint64Array>;
  }
}

/** Rounds a double to the precision of a float dtype (through float32, as numpy and ml_dtypes do). */
export function roundTo(v: number, dt: DataType): number {
  switch (dt) {
    case DataType.FLOAT: return Math.fround(v);
    case DataType.FLOAT16: return float16ToFloat32(float32ToFloat16(Math.fround(v)));
    case DataType.BFLOAT16: return bfloat16ToFloat32(float32ToBfloat16(Math.fround(v)));
    default: return v;
  }
}

/** True for the float dtypes a scale may have. */
export function isScaleType(dt: DataType): boolean {
  return dt === DataType.FLOAT || dt === DataType.FLOAT16 || dt === DataType.BFLOAT16 || dt === DataType.DOUBLE;
}

/** Writes float results (already rounded as wanted) into storage of float dtype `dt`. */
export function storeFloats(src: Float64Array, dt: DataType, out: Float32Array | Float64Array | Uint16Array, fromDouble: boolean): void {
  const n = src.length;
  if (dt === DataType.FLOAT16) {
    for (let i = 0; i < n; i++) out[i] = fromDouble ? float64ToFloat16(src[i]) : float32ToFloat16(src[i]);
  } else if (dt === DataType.BFLOAT16) {
    for (let i = 0; i < n; i++) out[i] = float32ToBfloat16(src[i]);
  } else {
    out.set(src);
  }
}

/** How elements map to scale / zero-point entries. mode 0: per tensor; 1: per axis; 2: blocked. */
export interface QuantLayout { mode: 0 | 1 | 2; outer: number; dim: number; inner: number; blocks: number; blockSize: number }

/**
 * Resolves the quantization granularity from x's and the scale's shapes (ONNX QuantizeLinear /
 * DequantizeLinear): a 1-element scale is per tensor, a 1-D scale of x.shape[axis] entries per axis,
 * and with block_size > 0 a scale of x's rank whose `axis` dimension is ceil(D / block_size).
 */
export function quantLayout(
  node: Node, xShape: readonly number[], sShape: readonly number[], axisAttr: number, blockSize: number, opset: number,
): QuantLayout {
  const n = sizeOf(xShape);
  const r = xShape.length;
  if (blockSize > 0) {
    const axis = axisAttr < 0 ? axisAttr + r : axisAttr;
    if (axis < 0 || axis >= r) throw nodeError(node, `axis ${axisAttr} is out of range for input rank ${r}`);
    const D = xShape[axis];
    const blocks = Math.ceil(D / blockSize);
    const ok = sShape.length === r && sShape.every((s, i) => (i === axis ? s === blocks : s === xShape[i]));
    if (!ok) {
      throw nodeError(node, `blocked quantization (axis ${axis}, block_size ${blockSize}) needs a scale of shape ${shapeStr(xShape.map((s, i) => (i === axis ? blocks : s)))}, got ${shapeStr(sShape)}`);
    }
    return { mode: 2, outer: sizeOf(xShape.slice(0, axis)), dim: D, inner: sizeOf(xShape.slice(axis + 1)), blocks, blockSize };
  }
  if (sizeOf(sShape) === 1 && sShape.length <= 1) return { mode: 0, outer: 1, dim: 1, inner: n, blocks: 1, blockSize: 1 };
  if (opset < 13) throw nodeError(node, `the scale must be a scalar before opset 13, got shape ${shapeStr(sShape)}`);
  const axis = axisAttr < 0 ? axisAttr + r : axisAttr;
  if (axis < 0 || axis >= r) throw nodeError(node, `axis ${axisAttr} is out of range for input rank ${r}`);
  if (sShape.length !== 1 || sShape[0] !== xShape[axis]) {
    throw nodeError(node, `a per-axis scale must be 1-D with ${xShape[axis]} entries (x ${shapeStr(xShape)}, axis ${axis}), got ${shapeStr(sShape)}${opset < 21 ? ' (blocked quantization needs opset 21)' : ''}`);
  }
  return { mode: 1, outer: sizeOf(xShape.slice(0, axis)), dim: xShape[axis], inner: sizeOf(xShape.slice(axis + 1)), blocks: xShape[axis], blockSize: 1 };
}

/** The zero point must have the scale's shape (a [1] / [] mismatch is tolerated for one element). */
export function checkZeroPointShape(node: Node, sShape: readonly number[], zShape: readonly number[]): void {
  const same = sShape.length === zShape.length && sShape.every((s, i) => s === zShape[i]);
  if (!same && !(sizeOf(sShape) === 1 && sizeOf(zShape) === 1)) {
    throw nodeError(node, `the zero point has shape ${shapeStr(zShape)} but the scale has ${shapeStr(sShape)}; they must match`);
  }
}

/** Throws unless every float zero point is ±0 (float8/float4 zero points are not supported otherwise). */
export function requireZeroFloatZp(node: Node, zp: ArrayLike<number>, dt: DataType): void {
  for (let i = 0; i < zp.length; i++) {
    if (zp[i] !== 0) throw unsupported(nodeError(node, `a non-zero ${dtypeName(dt)} zero point is not supported (ONNX's reference ignores or rejects it)`));
  }
}
