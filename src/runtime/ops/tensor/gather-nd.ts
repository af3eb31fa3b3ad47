// GatherND: indexes data by tuples from the last axis of `indices`, with leading batch_dims shared.

import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { copyBlock, stridesOf } from '../../kernels/strides';
import { intAttr, need, noComplex, nodeError, readInts, shapeStr } from './common';

/** GatherND (opset 11+; batch_dims from 12). */
export const gatherND: OpDef<number> = {
  domain: '', opType: 'GatherND', since: 11, lowPrecision: 'native',
  parse(ctx) {
    return ctx.opset >= 12 ? intAttr(ctx.node, 'batch_dims', 0) : 0;
  },
  run(inputs, b, ctx) {
    const x = need(ctx.node, inputs, 0, 'data');
    const it = need(ctx.node, inputs, 1, 'indices');
    noComplex(ctx.node, x);
    const r = x.shape.length, q = it.shape.length;
    if (q < 1) throw nodeError(ctx.node, 'indices must have rank ≥ 1');
    const k = it.shape[q - 1];
    if (b < 0 || b >= Math.min(r, q) || k < 1 || k > r - b) {
      throw nodeError(ctx.node, `indices ${shapeStr(it.shape)} with batch_dims ${b} do not fit data ${shapeStr(x.shape)}`);
    }
    for (let i = 0; i < b; i++) {
      if (x.shape[i] !== it.shape[i]) throw nodeError(ctx.node, `batch dimension ${i} differs: data ${shapeStr(x.shape)}, indices ${shapeStr(it.shape)}`);
    }
    const idx = readInts(ctx.node, it, 'indices');
    const shape = [...it.shape.slice(0, q - 1), ...x.shape.slice(b + k)];
    const out = ctx.alloc(x.dtype, shape);
    const xs = stridesOf(x.shape);
    const slice = sizeOf(x.shape.slice(b + k));
    const batch = sizeOf(x.shape.slice(0, b));
    const perBatch = sizeOf(it.shape.slice(b, q - 1));
    const batchStride = b > 0 ? xs[b - 1] : 0;
    for (let bi = 0; bi < batch; bi++) {
      for (let j = 0; j < perBatch; j++) {
        const t = bi * perBatch + j;
        let off = bi * batchStride;
        for (let c = 0; c < k; c++) {
          const dim = x.shape[b + c];
          let v = idx[t * k + c];
          if (v < -dim || v >= dim) throw nodeError(ctx.node, `index ${v} is out of range for data axis ${b + c} of size ${dim}`);
          if (v < 0) v += dim;
          off += v * xs[b + c];
        }
        copyBlock(out, t * slice, x.data, off, slice);
      }
    }
    return [{ dtype: x.dtype, shape, data: out }];
  },
};
