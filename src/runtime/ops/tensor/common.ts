// Helpers shared by the tensor op files: attribute readers (re-exported from the nn family),
// reading int tensors (shapes, axes, indices) as numbers, zero-copy views and dtype checks.

import { DataType, Node } from '../../../onnx/ir';
import { Tensor } from '../../tensor';
import { nodeError } from '../nn/attrs';
import { unsupported } from '../../errors';

export { floatAttr, floatsAttr, hasAttr, intAttr, intsAttr, need, nodeError, normAxis, shapeStr, stringAttr } from '../nn/attrs';

/** The integer values of an int32/int64 (or other integer) tensor as JS numbers. */
export function readInts(node: Node, t: Tensor, what: string): number[] {
  const d = t.data;
  if (Array.isArray(d) || d instanceof Float32Array || d instanceof Float64Array || t.dtype === DataType.FLOAT16 || t.dtype === DataType.BFLOAT16) {
    throw nodeError(node, `${what} must be an integer tensor, got ${DataType[t.dtype] ?? t.dtype}`);
  }
  const out = new Array<number>(d.length);
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    out[i] = typeof v === 'bigint' ? bigToNumber(v) : v;
  }
  return out;
}

/** A BigInt as a number, saturating beyond ±2^53 (INT64 max/min sentinels stay huge). */
export function bigToNumber(v: bigint): number {
  if (v > 9007199254740991n) return Number.MAX_SAFE_INTEGER;
  if (v < -9007199254740991n) return -Number.MAX_SAFE_INTEGER;
  return Number(v);
}

/** The single value of a scalar (or 1-element) numeric tensor as a number. */
export function scalarNumber(node: Node, t: Tensor, what: string): number {
  if (t.data.length !== 1 || Array.isArray(t.data)) throw nodeError(node, `${what} must be a numeric scalar, got shape [${t.shape.join(',')}]`);
  const v = t.data[0];
  return typeof v === 'bigint' ? bigToNumber(v) : v;
}

/** A tensor sharing `t`'s storage with a new shape (zero-copy; the output aliases the input). */
export function view(t: Tensor, shape: readonly number[]): Tensor {
  return { dtype: t.dtype, shape: shape.slice(), data: t.data };
}

/** Refuses complex dtypes, whose interleaved storage the index-moving kernels do not handle. */
export function noComplex(node: Node, t: Tensor): void {
  if (t.dtype === DataType.COMPLEX64 || t.dtype === DataType.COMPLEX128) {
    throw unsupported(nodeError(node, `${DataType[t.dtype]} inputs are not supported by this op`));
  }
}

/** Normalises a list of axes against a rank; rejects out-of-range and duplicate axes. */
export function normAxes(node: Node, axes: readonly number[], rank: number): number[] {
  const out = axes.map((a) => {
    const n = a < 0 ? a + rank : a;
    if (n < 0 || n >= rank) throw nodeError(node, `axis ${a} is out of range for rank ${rank}`);
    return n;
  });
  if (new Set(out).size !== out.length) throw nodeError(node, `axes [${axes.join(',')}] contain a duplicate`);
  return out;
}

/** The constant input i if it is known at plan time, as ints. */
export function constInts(node: Node, constants: ReadonlyArray<Tensor | undefined>, i: number, what: string): number[] | undefined {
  const t = constants[i];
  return t ? readInts(node, t, what) : undefined;
}
