// Gather: picks slices along one axis by index (negative indices count from the end). Each picked
// slice is block-copied, so embedding lookups cost one copy per token.

import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { copyBlock } from '../../kernels/strides';
import { intAttr, need, noComplex, nodeError, readInts, shapeStr } from './common';

/** Gather (opset 1+; negative indices from 11). */
export const gather: OpDef<number> = {
  domain: '', opType: 'Gather', since: 1, lowPrecision: 'native',
  parse(ctx) {
    return intAttr(ctx.node, 'axis', 0);
  },
  run(inputs, axisAttr, ctx) {
    const x = need(ctx.node, inputs, 0, 'data');
    const it = need(ctx.node, inputs, 1, 'indices');
    noComplex(ctx.node, x);
    const r = x.shape.length;
    const axis = axisAttr < 0 ? axisAttr + r : axisAttr;
    if (axis < 0 || axis >= r) throw nodeError(ctx.node, `axis ${axisAttr} is out of range for rank ${r}`);
    const idx = readInts(ctx.node, it, 'indices');
    const dim = x.shape[axis];
    const shape = [...x.shape.slice(0, axis), ...it.shape, ...x.shape.slice(axis + 1)];
    const out = ctx.alloc(x.dtype, shape);
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(x.shape.slice(axis + 1));
    const n = idx.length;
    for (let j = 0; j < n; j++) {
      const v = idx[j];
      if (v < -dim || v >= dim) throw nodeError(ctx.node, `index ${v} is out of range for axis ${axis} of size ${dim} (data ${shapeStr(x.shape)})`);
      if (v < 0) idx[j] = v + dim;
    }
    for (let o = 0; o < outer; o++) {
      const inBase = o * dim * inner;
      const outBase = o * n * inner;
      for (let j = 0; j < n; j++) copyBlock(out, outBase + j * inner, x.data, inBase + idx[j] * inner, inner);
    }
    return [{ dtype: x.dtype, shape, data: out }];
  },
};
