// The negative log-likelihood core shared by NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss:
// attribute parsing (reduction, ignore_index) and the weighted, ignore-aware gather and reduction.

import { DataType, Node } from '../../../onnx/ir';
import { RunContext } from '../../op';
import { Tensor } from '../../tensor';
import { hasAttr, intAttr, nodeError, shapeStr, stringAttr } from '../nn/attrs';
import { readInts } from '../tensor/common';

/** Loss attributes. */
export interface LossAttrs { reduction: 'none' | 'sum' | 'mean'; ignoreIndex: number | undefined }

/** Reads reduction (none/sum/mean, default mean) and the optional ignore_index. */
export function parseLossAttrs(node: Node): LossAttrs {
  const r = stringAttr(node, 'reduction', 'mean');
  if (r !== 'none' && r !== 'sum' && r !== 'mean') throw nodeError(node, `reduction '${r}' is not none, sum or mean`);
  return { reduction: r, ignoreIndex: hasAttr(node, 'ignore_index') ? intAttr(node, 'ignore_index', 0) : undefined };
}

/**
 * loss[n, d…] = −logp[n, target[n, d…], d…] · weight[target] (0 where target = ignore_index),
 * then reduced. `logp` is [N, C, d…] in float64; the result has `dtype` (FLOAT or DOUBLE).
 */
export function nllCore(
  ctx: RunContext, a: LossAttrs, logp: ArrayLike<number>, shape: readonly number[], target: Tensor, weight: Tensor | undefined, dtype: DataType,
): Tensor {
  const node = ctx.node;
  if (shape.length < 2) throw nodeError(node, `input must be [N, C, ...], got ${shapeStr(shape)}`);
  const N = shape[0];
  const C = shape[1];
  const dShape = shape.slice(2);
  const want = [N, ...dShape];
  if (target.shape.length !== want.length || target.shape.some((v, i) => v !== want[i])) {
    throw nodeError(node, `target has shape ${shapeStr(target.shape)}; expected ${shapeStr(want)}`);
  }
  const t = readInts(node, target, 'target');
  let w: ArrayLike<number> | undefined;
  if (weight) {
    if (weight.shape.length !== 1 || weight.shape[0] !== C) throw nodeError(node, `weight must have shape [${C}], got ${shapeStr(weight.shape)}`);
    w = weight.data as Float32Array | Float64Array;
  }
  const D = t.length / Math.max(N, 1);
  const loss = new Float64Array(t.length);
  let wsum = 0;
  for (let n = 0; n < N; n++) {
    for (let d = 0; d < D; d++) {
      const k = n * D + d;
      const c = t[k];
      if (c === a.ignoreIndex) continue;
      if (c < 0 || c >= C) throw nodeError(node, `target value ${c} is outside [0, ${C - 1}] and is not ignore_index`);
      const wc = w ? w[c] : 1;
      loss[k] = -logp[(n * C + c) * D + d] * wc;
      wsum += wc;
    }
  }
  if (a.reduction === 'none') {
    const out = ctx.alloc(dtype, want) as Float32Array | Float64Array;
    out.set(loss);
    return { dtype, shape: want, data: out };
  }
  let s = 0;
  for (let i = 0; i < loss.length; i++) s += loss[i];
  const out = ctx.alloc(dtype, []) as Float32Array | Float64Array;
  out[0] = a.reduction === 'sum' ? s : s / wsum;
  return { dtype, shape: [], data: out };
}
