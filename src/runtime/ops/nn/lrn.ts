// LRN: local response normalisation across channels,
// y = x / (bias + alpha/size · Σ x² over channels [c − ⌊(size−1)/2⌋, c + ⌈(size−1)/2⌉])^beta.

import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatAttr, floatData, hasAttr, intAttr, need, nodeError, shapeStr } from './attrs';

interface LrnAttrs { alpha: number; beta: number; bias: number; size: number }

function parse(ctx: PlanContext): LrnAttrs {
  if (!hasAttr(ctx.node, 'size')) throw nodeError(ctx.node, 'attribute size is required');
  const size = intAttr(ctx.node, 'size', 1);
  if (size < 1) throw nodeError(ctx.node, `size must be >= 1, got ${size}`);
  return {
    alpha: floatAttr(ctx.node, 'alpha', 1e-4), beta: floatAttr(ctx.node, 'beta', 0.75),
    bias: floatAttr(ctx.node, 'bias', 1), size,
  };
}

function run(inputs: ReadonlyArray<Tensor | undefined>, a: LrnAttrs, ctx: RunContext): Tensor[] {
  const X = need(ctx.node, inputs, 0, 'X');
  const x = floatData(ctx.node, X, 'input X');
  if (X.shape.length < 2) throw nodeError(ctx.node, `input X has shape ${shapeStr(X.shape)}; needs [N, C, ...]`);
  const N = X.shape[0];
  const C = X.shape[1];
  const S = X.shape.slice(2).reduce((s, v) => s * v, 1);
  const before = Math.floor((a.size - 1) / 2);
  const after = Math.ceil((a.size - 1) / 2);
  const k = a.alpha / a.size;
  const y = ctx.alloc(X.dtype, X.shape) as Float32Array | Float64Array;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const lo = Math.max(0, c - before);
      const hi = Math.min(C - 1, c + after);
      const o = (n * C + c) * S;
      for (let i = 0; i < S; i++) {
        let s = 0;
        for (let j = lo; j <= hi; j++) { const v = x[(n * C + j) * S + i]; s += v * v; }
        y[o + i] = x[o + i] / Math.pow(a.bias + k * s, a.beta);
      }
    }
  }
  return [makeTensor(X.dtype, X.shape, y)];
}

/** LRN from opset 1 on. */
export const lrn: OpDef<LrnAttrs> = { domain: '', opType: 'LRN', since: 1, parse, run };
