// InstanceNormalization: per (n, c) plane, y = scale[c]·(x − mean)/√(var + ε) + B[c].

import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatAttr, floatData, need, nodeError, shapeStr } from './attrs';

interface InAttrs { epsilon: number }

function run(inputs: ReadonlyArray<Tensor | undefined>, a: InAttrs, ctx: RunContext): Tensor[] {
  const node = ctx.node;
  const X = need(node, inputs, 0, 'input');
  const x = floatData(node, X, 'input');
  const scale = floatData(node, need(node, inputs, 1, 'scale'), 'scale');
  const bias = floatData(node, need(node, inputs, 2, 'B'), 'B');
  if (X.shape.length < 3) throw nodeError(node, `input has shape ${shapeStr(X.shape)}; needs [N, C, spatial...]`);
  const N = X.shape[0];
  const C = X.shape[1];
  const S = X.shape.slice(2).reduce((s, v) => s * v, 1);
  if (scale.length !== C || bias.length !== C) throw nodeError(node, `scale and B must have ${C} elements (channels)`);
  const y = ctx.alloc(X.dtype, X.shape) as Float32Array | Float64Array;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const o = (n * C + c) * S;
      let s = 0;
      for (let i = 0; i < S; i++) s += x[o + i];
      const m = s / S;
      let q = 0;
      for (let i = 0; i < S; i++) { const d = x[o + i] - m; q += d * d; }
      const k = scale[c] / Math.sqrt(q / S + a.epsilon);
      const sh = bias[c];
      for (let i = 0; i < S; i++) y[o + i] = (x[o + i] - m) * k + sh;
    }
  }
  return [makeTensor(X.dtype, X.shape, y)];
}

/** InstanceNormalization from opset 1 on. */
export const instanceNormalization: OpDef<InAttrs> = {
  domain: '', opType: 'InstanceNormalization', since: 1,
  parse: (ctx: PlanContext) => ({ epsilon: floatAttr(ctx.node, 'epsilon', 1e-5) }), run,
};
