// Test helpers for calling OpDefs directly: a node, a RunContext whose alloc uses dtype.ts, and
// parse + run (optionally through runNode, so low-precision inputs are widened like the executor does).
import { Attribute, DataType, Node, TensorValues } from '../../src/onnx/ir';
import { allocValues } from '../../src/onnx/dtype';
import { OpDef, RunContext } from '../../src/runtime/op';
import { runNode } from '../../src/runtime/run-node';
import { makeTensor, sizeOf, Tensor } from '../../src/runtime/tensor';

/** Zero-filled storage of the dtype's array kind. */
export function alloc(dtype: DataType, shape: readonly number[]): TensorValues {
  return allocValues(dtype, sizeOf(shape));
}

/** A node of `opType` with `nIn` inputs named x0.. and one output y0. */
export function node(opType: string, attributes: Attribute[] = [], nIn = 1): Node {
  return { name: `test_${opType}`, opType, domain: '', inputs: Array.from({ length: nIn }, (_, i) => `x${i}`), outputs: ['y0'], attributes, docString: '' };
}

/** Picks the def of `defs` the registry would pick for `opset`. */
export function pick<A>(defs: ReadonlyArray<OpDef<A>>, opset: number): OpDef<A> {
  let best: OpDef<A> | undefined;
  for (const d of defs) if (d.since <= opset && (!best || d.since > best.since)) best = d;
  if (!best) throw new Error(`no version of ${defs[0]?.opType} at opset ${opset}`);
  return best;
}

/** Parses and runs the version of an op for `opset` (default 25) through runNode; returns output 0. */
export function run<A>(defs: ReadonlyArray<OpDef<A>>, inputs: ReadonlyArray<Tensor | undefined>, attributes: Attribute[] = [], opset = 25): Tensor {
  const def = pick(defs, opset);
  const n = node(def.opType, attributes, inputs.length);
  const attrs = def.parse ? def.parse({ node: n, opset, constantInputs: inputs.map(() => undefined) }) : (undefined as A);
  const ctx: RunContext = { node: n, opset, alloc };
  return runNode(def as OpDef<unknown>, attrs, inputs, ctx)[0];
}

/** A tensor from plain values (numbers, bigints or strings) of `dtype`. */
export function t(dtype: DataType, shape: number[], values: ReadonlyArray<number | bigint | string>): Tensor {
  const d = allocValues(dtype, sizeOf(shape));
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (d instanceof BigInt64Array || d instanceof BigUint64Array) d[i] = BigInt(v);
    else (d as Float64Array | string[])[i] = v as never;
  }
  return makeTensor(dtype, shape, d);
}

/** Attribute builders. */
export const at = {
  int: (name: string, value: number): Attribute => ({ name, type: 'int', value }),
  float: (name: string, value: number): Attribute => ({ name, type: 'float', value }),
  str: (name: string, value: string): Attribute => ({ name, type: 'string', value: new TextEncoder().encode(value) }),
};

/** Values of a tensor as a plain array (bigints as strings, for deepEqual). */
export function vals(x: Tensor): Array<number | string> {
  return Array.from(x.data as ArrayLike<number | bigint | string>, (v) => (typeof v === 'bigint' ? v.toString() : v));
}
