// OneHot: inserts a depth axis where position indices[...] holds values[1] and the rest values[0];
// negative indices count from the end (opset 11), out-of-range indices give an all-off row.

import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { Elems, fillBlock } from '../../kernels/strides';
import { intAttr, need, noComplex, nodeError, scalarNumber, shapeStr } from './common';

/** OneHot (opset 9+). */
export const oneHot: OpDef<number> = {
  domain: '', opType: 'OneHot', since: 9, lowPrecision: 'native',
  parse(ctx) {
    return intAttr(ctx.node, 'axis', -1);
  },
  run(inputs, axisAttr, ctx) {
    const n = ctx.node;
    const it = need(n, inputs, 0, 'indices'), dt = need(n, inputs, 1, 'depth'), vt = need(n, inputs, 2, 'values');
    noComplex(n, vt);
    if (vt.data.length !== 2) throw nodeError(n, `values must hold 2 elements (off, on), got ${shapeStr(vt.shape)}`);
    if (Array.isArray(it.data)) throw nodeError(n, 'indices must be numeric');
    const depth = Math.trunc(scalarNumber(n, dt, 'depth'));
    if (depth < 1 || depth > 1e8) throw nodeError(n, `depth ${depth} is out of range`);
    const r = it.shape.length + 1;
    const axis = axisAttr < 0 ? axisAttr + r : axisAttr;
    if (axis < 0 || axis >= r) throw nodeError(n, `axis ${axisAttr} is out of range for output rank ${r}`);
    const shape = [...it.shape.slice(0, axis), depth, ...it.shape.slice(axis)];
    const out = ctx.alloc(vt.dtype, shape);
    const off = vt.data[0], on = vt.data[1];
    fillBlock(out, 0, out.length, off);
    const outer = sizeOf(it.shape.slice(0, axis)), inner = sizeOf(it.shape.slice(axis));
    const iv = it.data as unknown as number[];
    const d = out as Elems;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let v = Number(iv[o * inner + i]);
        v = Math.trunc(v);
        if (v < 0) v += depth;
        if (v >= 0 && v < depth) d[(o * depth + v) * inner + i] = on;
      }
    }
    return [{ dtype: vt.dtype, shape, data: out }];
  },
};
