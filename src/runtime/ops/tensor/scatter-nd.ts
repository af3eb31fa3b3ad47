// ScatterND: a copy of data where each index tuple (last axis of indices) addresses a slice that
// is replaced (or reduced) by the matching slice of updates.

import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { copyBlock, stridesOf } from '../../kernels/strides';
import { need, noComplex, nodeError, readInts, shapeStr } from './common';
import { applyUpdate, parseReduction, Reduction } from './scatter-reduce';

/** ScatterND (opset 11+; reduction add/mul from 16, max/min from 18). */
export const scatterND: OpDef<Reduction> = {
  domain: '', opType: 'ScatterND', since: 11, lowPrecision: 'native',
  parse(ctx) {
    return parseReduction(ctx.node, ctx.opset);
  },
  run(inputs, red, ctx) {
    const x = need(ctx.node, inputs, 0, 'data');
    const it = need(ctx.node, inputs, 1, 'indices');
    const up = need(ctx.node, inputs, 2, 'updates');
    noComplex(ctx.node, x);
    const q = it.shape.length;
    const k = q > 0 ? it.shape[q - 1] : 0;
    const want = [...it.shape.slice(0, q - 1), ...x.shape.slice(k)];
    if (q < 1 || k < 1 || k > x.shape.length || up.shape.join(',') !== want.join(',')) {
      throw nodeError(ctx.node, `indices ${shapeStr(it.shape)} and updates ${shapeStr(up.shape)} do not fit data ${shapeStr(x.shape)} (updates should be ${shapeStr(want)})`);
    }
    const idx = readInts(ctx.node, it, 'indices');
    const out = ctx.alloc(x.dtype, x.shape);
    copyBlock(out, 0, x.data, 0, x.data.length);
    const xs = stridesOf(x.shape);
    const slice = sizeOf(x.shape.slice(k));
    const n = sizeOf(it.shape.slice(0, q - 1));
    for (let t = 0; t < n; t++) {
      let off = 0;
      for (let c = 0; c < k; c++) {
        const dim = x.shape[c];
        let v = idx[t * k + c];
        if (v < -dim || v >= dim) throw nodeError(ctx.node, `index ${v} is out of range for data axis ${c} of size ${dim}`);
        if (v < 0) v += dim;
        off += v * xs[c];
      }
      applyUpdate(out, off, up.data, t * slice, slice, red);
    }
    return [{ dtype: x.dtype, shape: x.shape.slice(), data: out }];
  },
};
