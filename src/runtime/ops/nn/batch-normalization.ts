// BatchNormalization: inference with running statistics (all opsets), and opset 14/15
// training_mode, which normalises with the batch statistics and also outputs the updated
// running mean and variance: running = input · momentum + batch · (1 − momentum).

import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatAttr, floatData, intAttr, need, nodeError, shapeStr } from './attrs';
import { unsupported } from '../../errors';

interface BnAttrs { epsilon: number; momentum: number; training: boolean }

function parse(ctx: PlanContext): BnAttrs {
  const { node, opset } = ctx;
  const outs = node.outputs.filter((o, i) => i > 0 && o !== '').length;
  if (opset < 9 && intAttr(node, 'spatial', 1) === 0) {
    throw unsupported(nodeError(node, 'spatial=0 (per-activation statistics) is not supported'));
  }
  if (opset < 7 && intAttr(node, 'is_test', 0) === 0 && outs > 0) {
    throw unsupported(nodeError(node, 'training outputs of BatchNormalization before opset 14 are not supported'));
  }
  const training = opset >= 14 && intAttr(node, 'training_mode', 0) !== 0;
  if (opset < 14 && outs > 0) throw unsupported(nodeError(node, 'training outputs (mean, var, saved_mean, saved_var) before opset 14 are not supported'));
  if (opset >= 14 && !training && outs > 0) throw nodeError(node, 'running_mean/running_var outputs require training_mode=1');
  return { epsilon: floatAttr(node, 'epsilon', 1e-5), momentum: floatAttr(node, 'momentum', 0.9), training };
}

function run(inputs: ReadonlyArray<Tensor | undefined>, a: BnAttrs, ctx: RunContext): Tensor[] {
  const node = ctx.node;
  const X = need(node, inputs, 0, 'X');
  const x = floatData(node, X, 'input X');
  const names = ['scale', 'B', 'input_mean', 'input_var'];
  const p = names.map((n, i) => floatData(node, need(node, inputs, i + 1, n), n));
  if (X.shape.length < 2) throw nodeError(node, `input X has shape ${shapeStr(X.shape)}; needs [N, C, ...]`);
  const N = X.shape[0];
  const C = X.shape[1];
  const S = X.shape.slice(2).reduce((s, v) => s * v, 1);
  for (let i = 0; i < 4; i++) {
    if (p[i].length !== C) throw nodeError(node, `${names[i]} has ${p[i].length} elements, expected ${C} (channels)`);
  }
  const [scale, bias, inMean, inVar] = p;
  const y = ctx.alloc(X.dtype, X.shape) as Float32Array | Float64Array;
  const mean = new Float64Array(C);
  const variance = new Float64Array(C);
  if (a.training) {
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let n = 0; n < N; n++) { const o = (n * C + c) * S; for (let i = 0; i < S; i++) s += x[o + i]; }
      const m = s / (N * S);
      let q = 0;
      for (let n = 0; n < N; n++) { const o = (n * C + c) * S; for (let i = 0; i < S; i++) { const d = x[o + i] - m; q += d * d; } }
      mean[c] = m;
      variance[c] = q / (N * S);
    }
  } else {
    for (let c = 0; c < C; c++) { mean[c] = inMean[c]; variance[c] = inVar[c]; }
  }
  for (let c = 0; c < C; c++) {
    const k = scale[c] / Math.sqrt(variance[c] + a.epsilon);
    const sh = bias[c] - mean[c] * k;
    for (let n = 0; n < N; n++) {
      const o = (n * C + c) * S;
      for (let i = 0; i < S; i++) y[o + i] = x[o + i] * k + sh;
    }
  }
  const out = [makeTensor(X.dtype, X.shape, y)];
  if (a.training) {
    const mt = need(node, inputs, 3, 'input_mean');
    const rm = ctx.alloc(mt.dtype, [C]) as Float32Array;
    const rv = ctx.alloc(mt.dtype, [C]) as Float32Array;
    for (let c = 0; c < C; c++) {
      rm[c] = inMean[c] * a.momentum + mean[c] * (1 - a.momentum);
      rv[c] = inVar[c] * a.momentum + variance[c] * (1 - a.momentum);
    }
    out.push(makeTensor(mt.dtype, [C], rm), makeTensor(mt.dtype, [C], rv));
  }
  return out;
}

/** BatchNormalization from opset 1 on (training outputs from 14). */
export const batchNormalization: OpDef<BnAttrs> = { domain: '', opType: 'BatchNormalization', since: 1, parse, run };
