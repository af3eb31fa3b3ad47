// CenterCropPad (opset 18): crops or zero-pads each listed axis to the requested size, centred
// (an odd difference puts the extra element at the end), for any dtype.

import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { copyBlock } from '../../kernels/strides';
import { intsAttr, need, nodeError } from '../nn/attrs';
import { normAxes, readInts } from '../tensor/common';
import { unsupported } from '../../errors';

/** CenterCropPad (opset 18). */
export const centerCropPad: OpDef<number[] | undefined> = {
  domain: '', opType: 'CenterCropPad', since: 18, lowPrecision: 'native',
  parse: (ctx) => intsAttr(ctx.node, 'axes'),
  run(inputs, axesAttr, ctx) {
    const node = ctx.node;
    const x = need(node, inputs, 0, 'input_data');
    const want = readInts(node, need(node, inputs, 1, 'shape'), 'shape');
    const r = x.shape.length;
    const axes = axesAttr ? normAxes(node, axesAttr, r) : Array.from({ length: r }, (_, i) => i);
    if (want.length !== axes.length) throw nodeError(node, `shape has ${want.length} entries for ${axes.length} axes`);
    if (x.dtype === 14 || x.dtype === 15) throw unsupported(nodeError(node, 'complex inputs are not supported'));
    const outShape = x.shape.slice();
    const srcStart = new Array<number>(r).fill(0);
    const dstStart = new Array<number>(r).fill(0);
    axes.forEach((ax, i) => {
      const s = x.shape[ax];
      const t = want[i];
      if (!Number.isInteger(t) || t < 0) throw nodeError(node, `target size ${t} is invalid`);
      outShape[ax] = t;
      if (t < s) srcStart[ax] = Math.floor((s - t) / 2);
      else dstStart[ax] = Math.floor((t - s) / 2);
    });
    const copy = x.shape.map((s, i) => Math.min(s, outShape[i]));
    const y = ctx.alloc(x.dtype, outShape);
    if (sizeOf(copy) > 0) {
      // Copy rows along the last axis; iterate the others.
      const inner = copy[r - 1] ?? 1;
      const outerShape = copy.slice(0, -1);
      const idx = new Array<number>(Math.max(r - 1, 0)).fill(0);
      const rows = sizeOf(outerShape);
      for (let q = 0; q < rows; q++) {
        let so = 0;
        let doff = 0;
        for (let i = 0; i < r; i++) {
          const v = i < r - 1 ? idx[i] : 0;
          so = so * x.shape[i] + srcStart[i] + v;
          doff = doff * outShape[i] + dstStart[i] + v;
        }
        copyBlock(y, doff, x.data, so, r === 0 ? 1 : inner);
        for (let i = r - 2; i >= 0; i--) { if (++idx[i] < outerShape[i]) break; idx[i] = 0; }
      }
    }
    return [{ dtype: x.dtype, shape: outShape, data: y }];
  },
};
