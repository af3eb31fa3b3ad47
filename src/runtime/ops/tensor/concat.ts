// Concat: joins tensors along one axis with block copies per (outer index, input).

import { OpDef } from '../../op';
import { Tensor, sizeOf } from '../../tensor';
import { copyBlock } from '../../kernels/strides';
import { intAttr, hasAttr, noComplex, nodeError, shapeStr } from './common';

/** Concat (opset 1+; axis required from 4, negative from 11). */
export const concat: OpDef<number> = {
  domain: '', opType: 'Concat', since: 1, lowPrecision: 'native',
  parse(ctx) {
    if (ctx.opset >= 4 && !hasAttr(ctx.node, 'axis')) throw nodeError(ctx.node, "missing required attribute 'axis'");
    return intAttr(ctx.node, 'axis', 1);
  },
  run(inputs, axisAttr, ctx) {
    const xs = inputs.filter((t): t is Tensor => t !== undefined);
    if (xs.length === 0) throw nodeError(ctx.node, 'needs at least one input');
    const r = xs[0].shape.length;
    const axis = axisAttr < 0 ? axisAttr + r : axisAttr;
    if (axis < 0 || axis >= r) throw nodeError(ctx.node, `axis ${axisAttr} is out of range for rank ${r}`);
    const shape = xs[0].shape.slice();
    shape[axis] = 0;
    for (const t of xs) {
      noComplex(ctx.node, t);
      if (t.dtype !== xs[0].dtype) throw nodeError(ctx.node, 'inputs have different dtypes');
      if (t.shape.length !== r || t.shape.some((d, i) => i !== axis && d !== xs[0].shape[i])) {
        throw nodeError(ctx.node, `input shapes ${shapeStr(xs[0].shape)} and ${shapeStr(t.shape)} differ outside axis ${axis}`);
      }
      shape[axis] += t.shape[axis];
    }
    const out = ctx.alloc(xs[0].dtype, shape);
    const outer = sizeOf(shape.slice(0, axis));
    const inner = sizeOf(shape.slice(axis + 1));
    const rowOut = shape[axis] * inner;
    let off = 0;
    for (const t of xs) {
      const row = t.shape[axis] * inner;
      for (let o = 0; o < outer; o++) copyBlock(out, o * rowOut + off, t.data, o * row, row);
      off += row;
    }
    return [{ dtype: xs[0].dtype, shape, data: out }];
  },
};
