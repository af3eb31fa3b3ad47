// Test helpers for the tensor ops: run an OpDef's parse + run with a plain allocator for every
// dtype, build tensors of any dtype, naive row-major index helpers and a seeded random source.

import { Attribute, DataType, Node, TensorValues } from '../../src/onnx/ir';
import { allocValues } from '../../src/onnx/dtype';
import { OpDef, RunContext } from '../../src/runtime/op';
import { makeTensor, sizeOf, Tensor } from '../../src/runtime/tensor';

export { attr, rng } from './fake-context-nn';

/** A node of the given op; `nOut` outputs named y0, y1, ... */
function makeNode(opType: string, attributes: Attribute[], nIn: number, nOut: number): Node {
  return {
    name: `test_${opType}`, opType, domain: '', inputs: Array.from({ length: nIn }, (_, i) => `x${i}`),
    outputs: Array.from({ length: nOut }, (_, i) => `y${i}`), attributes, docString: '',
  };
}

/** Runs parse + run of `def` (undefined input = omitted optional input). */
export function run<A>(def: OpDef<A>, inputs: ReadonlyArray<Tensor | undefined>, attributes: Attribute[] = [], opts: { opset?: number; nOut?: number } = {}): Tensor[] {
  const node = makeNode(def.opType, attributes, inputs.length, opts.nOut ?? 1);
  const opset = opts.opset ?? 21;
  const a = def.parse ? def.parse({ node, opset, constantInputs: inputs.map(() => undefined) }) : (undefined as A);
  const ctx: RunContext = { node, opset, alloc: (dt, shape) => allocValues(dt, sizeOf(shape)) };
  return def.run(inputs, a, ctx);
}

/** A tensor of any dtype from plain values (numbers become BigInt for 64-bit ints). */
export function T(shape: number[], values: ReadonlyArray<number | string | bigint>, dtype: DataType = DataType.FLOAT): Tensor {
  const d: TensorValues = allocValues(dtype, sizeOf(shape));
  const big = d instanceof BigInt64Array || d instanceof BigUint64Array;
  values.forEach((v, i) => { (d as unknown as unknown[])[i] = big ? BigInt(v) : v; });
  return makeTensor(dtype, shape, d);
}

/** An INT64 1-D tensor. */
export function I(values: number[]): Tensor {
  return T([values.length], values, DataType.INT64);
}

/** 0, 1, 2, ... as a tensor of the given shape. */
export function iota(shape: number[], dtype: DataType = DataType.FLOAT): Tensor {
  return T(shape, Array.from({ length: sizeOf(shape) }, (_, i) => i), dtype);
}

/** Plain numbers of a tensor's storage. */
export function nums(t: Tensor): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v));
}

/** Row-major multi-index of a flat index. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    out[a] = i % shape[a];
    i = Math.floor(i / shape[a]);
  }
  return out;
}

/** Flat index of a row-major multi-index. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let f = 0;
  for (let a = 0; a < shape.length; a++) f = f * shape[a] + idx[a];
  return f;
}
