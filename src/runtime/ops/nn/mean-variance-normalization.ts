// MeanVarianceNormalization: y = (x − mean) / (√(E[x²] − mean²) + 1e-9), statistics over `axes`
// (default [0, 2, 3]), as the spec's function body defines it.

import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatData, intsAttr, need, normAxis } from './attrs';

interface MvnAttrs { axes: number[] }

function run(inputs: ReadonlyArray<Tensor | undefined>, a: MvnAttrs, ctx: RunContext): Tensor[] {
  const X = need(ctx.node, inputs, 0, 'X');
  const x = floatData(ctx.node, X, 'input X');
  const r = X.shape.length;
  const reduced = new Array<boolean>(r).fill(false);
  for (const ax of a.axes) reduced[normAxis(ctx.node, ax, r)] = true;
  // Group id of each element = its index over the kept axes.
  let groups = 1;
  for (let i = 0; i < r; i++) if (!reduced[i]) groups *= X.shape[i];
  const gStride = new Array<number>(r).fill(0);
  let s = 1;
  for (let i = r - 1; i >= 0; i--) if (!reduced[i]) { gStride[i] = s; s *= X.shape[i]; }
  const n = x.length;
  const gid = new Int32Array(n);
  const idx = new Array<number>(r).fill(0);
  let g = 0;
  for (let e = 0; e < n; e++) {
    gid[e] = g;
    for (let i = r - 1; i >= 0; i--) {
      g += gStride[i];
      if (++idx[i] < X.shape[i]) break;
      g -= gStride[i] * X.shape[i];
      idx[i] = 0;
    }
  }
  const sum = new Float64Array(groups);
  const sq = new Float64Array(groups);
  const count = groups === 0 ? 0 : n / groups;
  for (let e = 0; e < n; e++) { sum[gid[e]] += x[e]; sq[gid[e]] += x[e] * x[e]; }
  for (let k = 0; k < groups; k++) {
    const m = sum[k] / count;
    sum[k] = m;
    sq[k] = Math.sqrt(Math.max(0, sq[k] / count - m * m)) + 1e-9;
  }
  const y = ctx.alloc(X.dtype, X.shape) as Float32Array | Float64Array;
  for (let e = 0; e < n; e++) y[e] = (x[e] - sum[gid[e]]) / sq[gid[e]];
  return [makeTensor(X.dtype, X.shape, y)];
}

/** MeanVarianceNormalization from opset 9 on. */
export const meanVarianceNormalization: OpDef<MvnAttrs> = {
  domain: '', opType: 'MeanVarianceNormalization', since: 9,
  parse: (ctx: PlanContext) => ({ axes: intsAttr(ctx.node, 'axes') ?? [0, 2, 3] }), run,
};
