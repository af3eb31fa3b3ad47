// Multinomial (opset 7): for each batch row of unnormalized log-probabilities, `sample_size` class
// indices drawn with probabilities softmax(row); int32 (default) or int64 output; seeded by `seed`.

import { DataType } from '../../../onnx/ir';
import { toFloat32Array } from '../../../onnx/dtype';
import { OpDef } from '../../op';
import { intAttr, need, nodeError, seedAttr } from './common';
import { makeRng } from './prng';

interface MultinomialAttrs { readonly dtype: DataType; readonly samples: number; readonly seed: number | undefined }

/** Multinomial (opset 7). */
export const multinomial: OpDef<MultinomialAttrs> = {
  domain: '', opType: 'Multinomial', since: 7, lowPrecision: 'native',
  parse(ctx) {
    const { node } = ctx;
    const dtype = intAttr(node, 'dtype', DataType.INT32) as DataType;
    if (dtype !== DataType.INT32 && dtype !== DataType.INT64) throw nodeError(node, `dtype must be int32 (6) or int64 (7), got ${dtype}`);
    const samples = intAttr(node, 'sample_size', 1);
    if (samples < 1) throw nodeError(node, `sample_size must be positive, got ${samples}`);
    return { dtype, samples, seed: seedAttr(node) };
  },
  run(inputs, a, ctx) {
    const { node } = ctx;
    const x = need(node, inputs, 0, 'input');
    if (x.shape.length !== 2) throw nodeError(node, `input must be [batch_size, class_size], got [${x.shape.join(',')}]`);
    if (![DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.BFLOAT16].includes(x.dtype)) throw nodeError(node, `input must be a float tensor, got ${DataType[x.dtype]}`);
    const v = x.dtype === DataType.DOUBLE ? x.data as Float64Array : toFloat32Array(x.data, x.dtype);
    const [B, C] = x.shape;
    if (C === 0) throw nodeError(node, 'class_size is 0');
    const rng = makeRng(a.seed);
    const out = ctx.alloc(a.dtype, [B, a.samples]) as Int32Array | BigInt64Array;
    const cdf = new Float64Array(C);
    for (let b = 0; b < B; b++) {
      let max = -Infinity;
      for (let c = 0; c < C; c++) max = Math.max(max, v[b * C + c]);
      if (!Number.isFinite(max)) throw nodeError(node, `row ${b} has no finite log-probability`);
      let total = 0;
      for (let c = 0; c < C; c++) {
        const e = v[b * C + c];
        if (Number.isNaN(e)) throw nodeError(node, `row ${b} contains NaN`);
        total += Math.exp(e - max);
        cdf[c] = total;
      }
      for (let s = 0; s < a.samples; s++) {
        const u = rng.uniform() * total;
        let lo = 0;
        let hi = C - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cdf[mid] > u) hi = mid;
          else lo = mid + 1;
        }
        if (out instanceof BigInt64Array) out[b * a.samples + s] = BigInt(lo);
        else out[b * a.samples + s] = lo;
      }
    }
    return [{ dtype: a.dtype, shape: [B, a.samples], data: out }];
  },
};
