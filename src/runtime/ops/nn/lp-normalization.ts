// LpNormalization: x divided by its L1 or L2 norm along one axis; a zero norm gives zeros
// (as the ONNX reference and onnxruntime do).

import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatData, intAttr, need, nodeError, normAxis } from './attrs';

interface LpnAttrs { axis: number; p: number }

function parse(ctx: PlanContext): LpnAttrs {
  const p = intAttr(ctx.node, 'p', 2);
  if (p !== 1 && p !== 2) throw nodeError(ctx.node, `p must be 1 or 2, got ${p}`);
  return { axis: intAttr(ctx.node, 'axis', -1), p };
}

function run(inputs: ReadonlyArray<Tensor | undefined>, a: LpnAttrs, ctx: RunContext): Tensor[] {
  const X = need(ctx.node, inputs, 0, 'input');
  const x = floatData(ctx.node, X, 'input');
  const axis = normAxis(ctx.node, a.axis, X.shape.length);
  const outer = X.shape.slice(0, axis).reduce((s, v) => s * v, 1);
  const n = X.shape[axis];
  const inner = X.shape.slice(axis + 1).reduce((s, v) => s * v, 1);
  const y = ctx.alloc(X.dtype, X.shape) as Float32Array | Float64Array;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let s = 0;
      for (let j = 0; j < n; j++) { const v = x[base + j * inner]; s += a.p === 1 ? Math.abs(v) : v * v; }
      const norm = a.p === 1 ? s : Math.sqrt(s);
      const inv = norm === 0 ? 0 : 1 / norm;
      for (let j = 0; j < n; j++) y[base + j * inner] = x[base + j * inner] * inv;
    }
  }
  return [makeTensor(X.dtype, X.shape, y)];
}

/** LpNormalization from opset 1 on. */
export const lpNormalization: OpDef<LpnAttrs> = { domain: '', opType: 'LpNormalization', since: 1, parse, run };
