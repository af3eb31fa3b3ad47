// Abstract values of bound propagation (a known constant tensor, an interval box, or unknown) and
// the helpers that run a runtime OpDef on them: constants and boxes go in as float64 tensors.
import { DataType } from '../../onnx/ir';
import { allocValues } from '../../onnx/dtype';
import { OpDef, RunContext } from '../../runtime/op';
import { sizeOf, Tensor } from '../../runtime/tensor';
import { Box, toFloat64 } from '../interval';

/** What bound propagation knows about one value: its exact tensor, an interval per element, or nothing. */
export type Value = { kind: 'const'; t: Tensor; f64?: Tensor; abs?: Tensor } | { kind: 'box'; box: Box } | undefined;

/** Dtypes whose values the bounds carry (as float64). */
export function isFloat(dt: DataType): boolean {
  return dt === DataType.FLOAT || dt === DataType.DOUBLE;
}

/** A float64 view of a constant float tensor (cached on the value); integer constants stay as they are. */
export function constArg(v: { kind: 'const'; t: Tensor; f64?: Tensor }): Tensor {
  if (!isFloat(v.t.dtype) || v.t.dtype === DataType.DOUBLE) return v.t;
  if (!v.f64) {
    const d = toFloat64(v.t) as Float64Array;
    v.f64 = { dtype: DataType.DOUBLE, shape: v.t.shape, data: d };
  }
  return v.f64;
}

/** |t| elementwise for a constant float tensor, in its own float dtype (float32 stays float32), cached on the value. */
export function absArg(v: { kind: 'const'; t: Tensor; f64?: Tensor; abs?: Tensor }, f32: boolean): Tensor {
  const t = f32 ? v.t : constArg(v);
  if (v.abs && v.abs.dtype === t.dtype) return v.abs;
  const d = t.data as Float32Array | Float64Array;
  const out = f32 ? new Float32Array(d.length) : new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = Math.abs(d[i]);
  v.abs = { dtype: t.dtype, shape: t.shape, data: out };
  return v.abs;
}

/** A float64 tensor over one side of a box (or any array of the box's shape). */
export function side(shape: readonly number[], data: Float64Array): Tensor {
  return { dtype: DataType.DOUBLE, shape, data };
}

/** A RunContext whose allocator refuses tensors above `maxElements`. */
export function boundsContext(node: RunContext['node'], opset: number, maxElements: number): RunContext {
  return {
    node,
    opset,
    alloc(dtype: DataType, shape: readonly number[]) {
      const n = sizeOf(shape);
      if (!(n <= maxElements)) throw new Error(`bounds: a ${n}-element tensor exceeds the ${maxElements}-element limit`);
      return allocValues(dtype, n);
    },
  };
}

/** Runs `def` and returns output `k`'s float64 data (throws when it is not float64). */
export function runF64(def: OpDef<unknown>, attrs: unknown, inputs: ReadonlyArray<Tensor | undefined>, ctx: RunContext, k = 0): { shape: readonly number[]; data: Float64Array } {
  const out = def.run(inputs, attrs, ctx)[k];
  if (!out || !(out.data instanceof Float64Array)) throw new Error('bounds: op did not return float64 data');
  return { shape: out.shape, data: out.data };
}

/** A box from two op results of the same shape; copies arrays shared with `inputs` (ops may alias). */
export function boxOf(shape: readonly number[], lo: Float64Array, hi: Float64Array, inputs: readonly Float64Array[] = []): Box {
  const l = inputs.includes(lo) || lo === hi ? lo.slice() : lo;
  const h = inputs.includes(hi) ? hi.slice() : hi;
  return { shape: shape.slice(), lo: l, hi: h };
}

/** Elementwise min/max of two results: the box of an op monotone (either way, per element) in one input. */
export function hullOf(shape: readonly number[], a: Float64Array, b: Float64Array): Box {
  const lo = new Float64Array(a.length);
  const hi = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x <= y) { lo[i] = x; hi[i] = y; } else if (y < x) { lo[i] = y; hi[i] = x; } else { lo[i] = -Infinity; hi[i] = Infinity; }
  }
  return { shape: shape.slice(), lo, hi };
}
