// NegativeLogLikelihoodLoss (opsets 12, 13, 22): −input[n, target, d…] · weight[target] with
// ignore_index and none / sum / mean (weighted) reduction.

import { OpDef } from '../../op';
import { floatData, need, nodeError } from '../nn/attrs';
import { LossAttrs, nllCore, parseLossAttrs } from './loss-common';

function def(since: number): OpDef<LossAttrs> {
  return {
    domain: '', opType: 'NegativeLogLikelihoodLoss', since,
    parse: (ctx) => parseLossAttrs(ctx.node),
    run(inputs, a, ctx) {
      const x = need(ctx.node, inputs, 0, 'input');
      const target = need(ctx.node, inputs, 1, 'target');
      const xd = floatData(ctx.node, x, 'input');
      const w = inputs[2];
      if (w && w.dtype !== x.dtype) throw nodeError(ctx.node, 'weight must have the dtype of input');
      return [nllCore(ctx, a, xd, x.shape, target, w, x.dtype)];
    },
  };
}

/** NegativeLogLikelihoodLoss 12, 13 (float16/bfloat16), 22. */
export const nllLossOps = [def(12), def(13), def(22)];
