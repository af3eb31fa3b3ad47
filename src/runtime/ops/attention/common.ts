// Helpers shared by the attention op files: float views of any float dtype (float16/bfloat16
// widened to float32) and outputs written back in a given float dtype.

import { DataType, Node, TensorValues } from '../../../onnx/ir';
import { fromFloat32Array, toFloat32Array } from '../../../onnx/dtype';
import { unsupported } from '../../errors';
import { RunContext } from '../../op';
import { Tensor } from '../../tensor';
import { nodeError } from '../nn/attrs';

export { floatAttr, hasAttr, intAttr, need, nodeError } from '../nn/attrs';

/** Float types the attention ops read: FLOAT and DOUBLE natively, FLOAT16/BFLOAT16 widened. */
export function isAttnFloat(dt: DataType): boolean {
  return dt === DataType.FLOAT || dt === DataType.DOUBLE || dt === DataType.FLOAT16 || dt === DataType.BFLOAT16;
}

/** The tensor's values as float32/float64 (float16 and bfloat16 widened exactly to float32). */
export function readFloats(node: Node, t: Tensor, what: string): Float32Array | Float64Array {
  if (t.data instanceof Float64Array && t.dtype === DataType.DOUBLE) return t.data;
  if (t.data instanceof Float32Array && t.dtype === DataType.FLOAT) return t.data;
  if (t.dtype === DataType.FLOAT16 || t.dtype === DataType.BFLOAT16) return toFloat32Array(t.data, t.dtype);
  throw unsupported(nodeError(node, `${what} has dtype ${DataType[t.dtype] ?? t.dtype}; only FLOAT, DOUBLE, FLOAT16 and BFLOAT16 are supported`));
}

/** Scratch storage for an output of float dtype `dt`: float64 for DOUBLE, else float32 (narrowed by `finish`). */
export function scratch(ctx: RunContext, dt: DataType, shape: readonly number[]): Float32Array | Float64Array {
  if (dt === DataType.DOUBLE) return ctx.alloc(DataType.DOUBLE, shape) as Float64Array;
  return ctx.alloc(DataType.FLOAT, shape) as Float32Array;
}

/** The output tensor of dtype `dt` from scratch storage made by `scratch`. */
export function finish(dt: DataType, shape: readonly number[], data: Float32Array | Float64Array): Tensor {
  const values: TensorValues = dt === DataType.FLOAT16 || dt === DataType.BFLOAT16 ? fromFloat32Array(data as Float32Array, dt) : data;
  return { dtype: dt, shape: shape.slice(), data: values };
}
