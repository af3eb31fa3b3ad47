// Shared helpers of the sequence and optional ops: reading their values, positions, and private
// copies of tensors put into a sequence or optional (pooled storage would be reused under them).
import { allocValues } from '../../../onnx/dtype';
import { Node } from '../../../onnx/ir';
import { isTensor, OptionalValue, SequenceValue, Tensor, Value, valueKind } from '../../tensor';
import { nodeError } from '../nn/attrs';
import { readInts } from '../tensor/common';

export { intAttr, hasAttr, need, nodeError } from '../nn/attrs';

/** The raw value of input `i` (the executor hands sequence ops their values as they are). */
export function valueAt(inputs: ReadonlyArray<Tensor | undefined>, i: number): Value | undefined {
  return inputs[i] as Value | undefined;
}

/** Input `i` as a sequence, or a one-line error. */
export function sequenceInput(node: Node, inputs: ReadonlyArray<Tensor | undefined>, i: number, what: string): SequenceValue {
  const v = valueAt(inputs, i);
  if (!v || isTensor(v) || v.kind !== 'sequence') throw nodeError(node, `${what} must be a sequence, got a ${valueKind(v)}`);
  return v;
}

/** Input `i` as a tensor, or a one-line error. */
export function tensorInput(node: Node, inputs: ReadonlyArray<Tensor | undefined>, i: number, what: string): Tensor {
  const v = valueAt(inputs, i);
  if (!isTensor(v)) throw nodeError(node, `${what} must be a tensor, got a ${valueKind(v)}`);
  return v;
}

/** A tensor in fresh storage of its own (not the executor's pool). */
export function ownCopy(t: Tensor): Tensor {
  const n = t.data.length;
  const data = allocValues(t.dtype, n);
  if (Array.isArray(data)) for (let i = 0; i < n; i++) data[i] = (t.data as string[])[i];
  else (data as unknown as { set(a: ArrayLike<unknown>): void }).set(t.data as unknown as ArrayLike<unknown>);
  return { dtype: t.dtype, shape: t.shape.slice(), data };
}

/** A position input (scalar int32/int64), checked against [-n, n - 1] (or [-n, n] when inserting). */
export function position(node: Node, t: Tensor | undefined, n: number, inserting: boolean, fallback: number): number {
  if (!t) return fallback;
  const [p] = readInts(node, t, 'position');
  const hi = inserting ? n : n - 1;
  if (p === undefined || p < -n || p > hi) throw nodeError(node, `position ${p} is out of range for a sequence of ${n} (allowed ${-n}..${hi})`);
  return p < 0 ? p + n : p;
}

/** A sequence value. */
export function sequence(elemType: SequenceValue['elemType'], items: readonly Tensor[]): SequenceValue {
  return { kind: 'sequence', elemType, items };
}

/** An optional value. */
export function optional(value: OptionalValue['value']): OptionalValue {
  return { kind: 'optional', value };
}

/** Returns a value where the op contract expects tensors (the executor carries it as it is). */
export function out(v: Value): Tensor {
  return v as unknown as Tensor;
}
