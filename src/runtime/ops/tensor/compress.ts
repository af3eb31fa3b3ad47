// Compress: keeps the slices along an axis (or elements of the flattened input) whose condition
// entry is true; a condition shorter than the axis treats the rest as false.

import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { copyBlock } from '../../kernels/strides';
import { hasAttr, intAttr, need, noComplex, nodeError } from './common';

/** Compress (opset 9+; negative axis from 11). */
export const compress: OpDef<number | undefined> = {
  domain: '', opType: 'Compress', since: 9, lowPrecision: 'native',
  parse(ctx) {
    return hasAttr(ctx.node, 'axis') ? intAttr(ctx.node, 'axis', 0) : undefined;
  },
  run(inputs, axisAttr, ctx) {
    const x = need(ctx.node, inputs, 0, 'input');
    const c = need(ctx.node, inputs, 1, 'condition');
    noComplex(ctx.node, x);
    if (c.shape.length !== 1 || Array.isArray(c.data)) throw nodeError(ctx.node, 'condition must be a 1-D bool tensor');
    const flat = axisAttr === undefined;
    const xshape = flat ? [sizeOf(x.shape)] : x.shape;
    const r = xshape.length;
    const axis = flat ? 0 : (axisAttr as number) < 0 ? (axisAttr as number) + r : (axisAttr as number);
    if (axis < 0 || axis >= r) throw nodeError(ctx.node, `axis ${axisAttr} is out of range for rank ${r}`);
    const dim = xshape[axis];
    if (c.data.length > dim) throw nodeError(ctx.node, `condition has ${c.data.length} entries but the axis has ${dim}`);
    const keep: number[] = [];
    for (let i = 0; i < c.data.length; i++) if (c.data[i]) keep.push(i);
    const shape = xshape.slice();
    shape[axis] = keep.length;
    const out = ctx.alloc(x.dtype, shape);
    const outer = sizeOf(xshape.slice(0, axis)), inner = sizeOf(xshape.slice(axis + 1));
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < keep.length; j++) copyBlock(out, (o * keep.length + j) * inner, x.data, (o * dim + keep[j]) * inner, inner);
    }
    return [{ dtype: x.dtype, shape, data: out }];
  },
};
