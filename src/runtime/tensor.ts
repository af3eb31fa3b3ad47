// The runtime tensor: a dtype, a shape and typed storage (see TensorValues in ../onnx/ir.ts for
// which JS array holds which dtype). Kernels read `data` directly in tight loops.
import { DataType, TensorValues } from '../onnx/ir';

export interface Tensor {
  readonly dtype: DataType;
  readonly shape: readonly number[];
  /** Row-major (C order) element storage; complex types are interleaved (re, im). */
  readonly data: TensorValues;
}

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Makes a tensor; checks that the storage length matches the shape. */
export function makeTensor(dtype: DataType, shape: readonly number[], data: TensorValues): Tensor {
  const expected = sizeOf(shape) * (dtype === DataType.COMPLEX64 || dtype === DataType.COMPLEX128 ? 2 : 1);
  if (data.length !== expected) {
    throw new Error(`tensor of shape [${shape.join(',')}] needs ${expected} elements, got ${data.length}`);
  }
  return { dtype, shape: shape.slice(), data };
}
