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

/** A sequence value (SequenceProto): tensors of one element type; its tensors are never pooled storage. */
export interface SequenceValue {
  readonly kind: 'sequence';
  /** The element dtype (known even when the sequence is empty). */
  readonly elemType: DataType;
  readonly items: readonly Tensor[];
}

/** An optional value (OptionalProto): a tensor, a sequence, or none. */
export interface OptionalValue {
  readonly kind: 'optional';
  readonly value: Tensor | SequenceValue | undefined;
}

/** Any value the executor carries between nodes: a tensor, a sequence or an optional. */
export type Value = Tensor | SequenceValue | OptionalValue;

/** True for tensors (sequences and optionals carry a `kind`). */
export function isTensor(v: Value | undefined): v is Tensor {
  return v !== undefined && !('kind' in v);
}

/** A value's type in words, for errors ("tensor", "sequence", "optional"). */
export function valueKind(v: Value | undefined): string {
  return v === undefined ? 'nothing' : isTensor(v) ? 'tensor' : v.kind;
}
