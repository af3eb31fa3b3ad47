// Test helpers for the nn ops: build a node, run an OpDef's parse + run with a plain allocator,
// attribute builders, a seeded random source and an element-wise closeness check.

import * as assert from 'node:assert/strict';
import { Attribute, DataType, Node, TensorValues } from '../../src/onnx/ir';
import { OpDef, RunContext } from '../../src/runtime/op';
import { makeTensor, sizeOf, Tensor } from '../../src/runtime/tensor';

/** Allocates zero-filled storage of the dtype's array kind. */
export function allocFor(dtype: DataType, shape: readonly number[]): TensorValues {
  const n = sizeOf(shape);
  switch (dtype) {
    case DataType.FLOAT: return new Float32Array(n);
    case DataType.DOUBLE: return new Float64Array(n);
    case DataType.INT64: return new BigInt64Array(n);
    case DataType.UINT64: return new BigUint64Array(n);
    case DataType.INT32: return new Int32Array(n);
    case DataType.UINT32: return new Uint32Array(n);
    case DataType.INT8: return new Int8Array(n);
    case DataType.UINT8: return new Uint8Array(n);
    default: throw new Error(`fake context: no storage for dtype ${dtype}`);
  }
}

/** A node of the given op with attributes; `nOut` outputs named y0, y1, ... ('' for skipped ones). */
export function makeNode(opType: string, attributes: Attribute[], nIn: number, outputs: string[] = ['y0'], domain = ''): Node {
  return {
    name: `test_${opType}`, opType, domain, inputs: Array.from({ length: nIn }, (_, i) => `x${i}`),
    outputs, attributes, docString: '',
  };
}

/** Runs parse + run of `def` on the inputs (undefined = omitted optional input). */
export function runOp<A>(
  def: OpDef<A>, inputs: ReadonlyArray<Tensor | undefined>, attributes: Attribute[] = [],
  opts: { opset?: number; outputs?: string[]; constants?: boolean } = {},
): Tensor[] {
  const node = makeNode(def.opType, attributes, inputs.length, opts.outputs, def.domain);
  const opset = opts.opset ?? 22;
  const attrs = def.parse ? def.parse({ node, opset, constantInputs: opts.constants ? inputs : inputs.map(() => undefined) }) : (undefined as A);
  const ctx: RunContext = { node, opset, alloc: allocFor };
  return def.run(inputs, attrs, ctx);
}

/** Attribute builders. */
export const attr = {
  int: (name: string, value: number): Attribute => ({ name, type: 'int', value }),
  float: (name: string, value: number): Attribute => ({ name, type: 'float', value }),
  ints: (name: string, value: number[]): Attribute => ({ name, type: 'ints', value }),
  floats: (name: string, value: number[]): Attribute => ({ name, type: 'floats', value }),
  str: (name: string, value: string): Attribute => ({ name, type: 'string', value: new TextEncoder().encode(value) }),
};

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): { next(): number; int(lo: number, hi: number): number } {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)) };
}

/** A float tensor of random values in [-1, 1). */
export function randTensor(r: { next(): number }, shape: number[], dtype: DataType.FLOAT | DataType.DOUBLE = DataType.FLOAT): Tensor {
  const d = allocFor(dtype, shape) as Float32Array | Float64Array;
  for (let i = 0; i < d.length; i++) d[i] = r.next() * 2 - 1;
  return makeTensor(dtype, shape, d);
}

/** A tensor from plain numbers. */
export function tensor(shape: number[], values: number[], dtype: DataType = DataType.FLOAT): Tensor {
  const d = allocFor(dtype, shape);
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) values.forEach((v, i) => { d[i] = BigInt(v); });
  else (d as Float32Array).set(values);
  return makeTensor(dtype, shape, d);
}

/** Asserts shape equality and |got − want| ≤ atol + rtol·|want| everywhere. */
export function assertClose(got: Tensor, wantShape: readonly number[], want: ArrayLike<number>, rtol = 1e-4, atol = 1e-5, label = ''): void {
  assert.deepEqual([...got.shape], [...wantShape], `${label} shape`);
  assert.equal(got.data.length, want.length, `${label} length`);
  for (let i = 0; i < want.length; i++) {
    const g = Number(got.data[i]);
    const w = want[i];
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) {
      assert.fail(`${label} element ${i}: got ${g}, want ${w}`);
    }
  }
}
