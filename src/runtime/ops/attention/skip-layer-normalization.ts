// com.microsoft.SkipLayerNormalization: layer normalization over the last axis of
// input + skip (+ bias), scaled by gamma and shifted by beta; optionally also returns the sum
// input + skip + bias (output 3). The mean / inverse-std-dev outputs (1, 2) are refused.

import { DataType } from '../../../onnx/ir';
import { unsupported } from '../../errors';
import { OpDef } from '../../op';
import { sizeOf, Tensor } from '../../tensor';
import { floatData } from '../nn/attrs';
import { floatAttr, need, nodeError } from './common';

/** com.microsoft.SkipLayerNormalization (epsilon default 1e-12). */
export const skipLayerNormalization: OpDef<number> = {
  domain: 'com.microsoft', opType: 'SkipLayerNormalization', since: 1,
  parse(ctx) {
    const { node } = ctx;
    if ((node.outputs[1] ?? '') !== '' || (node.outputs[2] ?? '') !== '') {
      throw unsupported(nodeError(node, 'the mean and inv_std_var outputs are not supported'));
    }
    return floatAttr(node, 'epsilon', 1e-12);
  },
  run(inputs, eps, ctx) {
    const { node } = ctx;
    const X = need(node, inputs, 0, 'input');
    const S = need(node, inputs, 1, 'skip');
    const G = need(node, inputs, 2, 'gamma');
    const x = floatData(node, X, 'input');
    const s = floatData(node, S, 'skip');
    const g = floatData(node, G, 'gamma');
    const beta = inputs[3] ? floatData(node, inputs[3], 'beta') : undefined;
    const bias = inputs[4] ? floatData(node, inputs[4], 'bias') : undefined;
    const r = X.shape.length;
    if (r < 2) throw nodeError(node, `input must have rank 2 or more, got [${X.shape.join(',')}]`);
    const H = X.shape[r - 1];
    const rows = sizeOf(X.shape) / H;
    // skip: the input's shape, or a suffix of it (broadcast over leading axes).
    const sr = S.shape.length;
    if (sr < 2 || sr > r || S.shape.some((d, k) => d !== X.shape[r - sr + k])) {
      throw nodeError(node, `skip [${S.shape.join(',')}] must equal input [${X.shape.join(',')}] or a suffix of it`);
    }
    const skipRows = sizeOf(S.shape) / H;
    for (const [v, what] of [[g, 'gamma'], [beta, 'beta'], [bias, 'bias']] as const) {
      if (v && v.length !== H) throw nodeError(node, `${what} must have ${H} values (the last axis), got ${v.length}`);
    }
    const y = ctx.alloc(X.dtype, X.shape) as Float32Array | Float64Array;
    const wantSum = (node.outputs[3] ?? '') !== '';
    const sum = wantSum ? ctx.alloc(X.dtype, X.shape) as Float32Array | Float64Array : undefined;
    const row = new Float64Array(H);
    for (let i = 0; i < rows; i++) {
      const o = i * H;
      const so = (i % skipRows) * H;
      let mean = 0;
      for (let k = 0; k < H; k++) {
        const v = x[o + k] + s[so + k] + (bias ? bias[k] : 0);
        row[k] = v;
        mean += v;
      }
      mean /= H;
      let vr = 0;
      for (let k = 0; k < H; k++) vr += (row[k] - mean) * (row[k] - mean);
      const inv = 1 / Math.sqrt(vr / H + eps);
      for (let k = 0; k < H; k++) y[o + k] = (row[k] - mean) * inv * g[k] + (beta ? beta[k] : 0);
      if (sum) sum.set(row, o);
    }
    const dt = X.dtype === DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
    const out: Tensor[] = [{ dtype: dt, shape: X.shape.slice(), data: y }];
    if (sum) {
      const empty = { dtype: dt, shape: [0], data: ctx.alloc(dt, [0]) };
      out.push(empty, empty, { dtype: dt, shape: X.shape.slice(), data: sum });
    }
    return out;
  },
};
