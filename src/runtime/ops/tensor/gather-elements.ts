// GatherElements: out[i...] = data[i with axis coordinate replaced by indices[i...]].

import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { Elems, stridesOf } from '../../kernels/strides';
import { intAttr, need, noComplex, nodeError, readInts } from './common';

/** GatherElements (opset 11+). */
export const gatherElements: OpDef<number> = {
  domain: '', opType: 'GatherElements', since: 11, lowPrecision: 'native',
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
    if (it.shape.length !== r) throw nodeError(ctx.node, `indices rank ${it.shape.length} differs from data rank ${r}`);
    const idx = readInts(ctx.node, it, 'indices');
    const shape = it.shape.slice();
    const out = ctx.alloc(x.dtype, shape);
    const xs = stridesOf(x.shape);
    const dim = x.shape[axis];
    // Outer = axes before `axis`, inner = axes after; index shape may be smaller than data's.
    const outer = sizeOf(shape.slice(0, axis));
    const n = shape[axis];
    const inner = sizeOf(shape.slice(axis + 1));
    const innerShape = shape.slice(axis + 1);
    const innerOff = new Array<number>(inner);
    for (let i = 0; i < inner; i++) {
      let rem = i, off = 0;
      for (let a = innerShape.length - 1; a >= 0; a--) {
        off += (rem % innerShape[a]) * xs[axis + 1 + a];
        rem = Math.floor(rem / innerShape[a]);
      }
      innerOff[i] = off;
    }
    const outerShape = shape.slice(0, axis);
    const s = x.data as Elems;
    const d = out as Elems;
    let p = 0;
    for (let o = 0; o < outer; o++) {
      let rem = o, base = 0;
      for (let a = outerShape.length - 1; a >= 0; a--) {
        base += (rem % outerShape[a]) * xs[a];
        rem = Math.floor(rem / outerShape[a]);
      }
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < inner; i++, p++) {
          let v = idx[p];
          if (v < -dim || v >= dim) throw nodeError(ctx.node, `index ${v} is out of range for axis ${axis} of size ${dim}`);
          if (v < 0) v += dim;
          d[p] = s[base + v * xs[axis] + innerOff[i]];
        }
      }
    }
    return [{ dtype: x.dtype, shape, data: out }];
  },
};
