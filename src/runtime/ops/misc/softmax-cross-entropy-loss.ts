// SoftmaxCrossEntropyLoss (opsets 12, 13): log-softmax over axis 1, then the negative
// log-likelihood with weights, ignore_index and reduction; the optional second output is log_prob.

import { OpDef } from '../../op';
import { floatData, need, nodeError } from '../nn/attrs';
import { LossAttrs, nllCore, parseLossAttrs } from './loss-common';

function def(since: number): OpDef<LossAttrs> {
  return {
    domain: '', opType: 'SoftmaxCrossEntropyLoss', since,
    parse: (ctx) => parseLossAttrs(ctx.node),
    run(inputs, a, ctx) {
      const node = ctx.node;
      const x = need(node, inputs, 0, 'scores');
      const labels = need(node, inputs, 1, 'labels');
      const xd = floatData(node, x, 'scores');
      const w = inputs[2];
      if (w && w.dtype !== x.dtype) throw nodeError(node, 'weights must have the dtype of scores');
      if (x.shape.length < 2) throw nodeError(node, `scores must be [N, C, ...], got rank ${x.shape.length}`);
      const N = x.shape[0];
      const C = x.shape[1];
      const D = xd.length / Math.max(N * C, 1);
      const logp = new Float64Array(xd.length);
      for (let n = 0; n < N; n++) {
        for (let d = 0; d < D; d++) {
          const base = n * C * D + d;
          let mx = -Infinity;
          for (let c = 0; c < C; c++) mx = Math.max(mx, xd[base + c * D]);
          let s = 0;
          for (let c = 0; c < C; c++) s += Math.exp(xd[base + c * D] - mx);
          const lse = mx + Math.log(s);
          for (let c = 0; c < C; c++) logp[base + c * D] = xd[base + c * D] - lse;
        }
      }
      const loss = nllCore(ctx, a, logp, x.shape, labels, w, x.dtype);
      const lp = ctx.alloc(x.dtype, x.shape) as Float32Array | Float64Array;
      lp.set(logp);
      return [loss, { dtype: x.dtype, shape: x.shape.slice(), data: lp }];
    },
  };
}

/** SoftmaxCrossEntropyLoss 12, 13 (float16/bfloat16). */
export const sceLossOps = [def(12), def(13)];
