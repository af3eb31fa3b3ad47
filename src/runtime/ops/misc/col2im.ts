// Col2Im (opset 18): scatter-adds sliding blocks [N, C·Πblock, L] back into images
// [N, C, ...image_shape] with strides, dilations and pads (the adjoint of im2col).

import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { col2imNd } from '../../kernels/im2col';
import { forwardWindow } from '../../kernels/window';
import { floatData, intsAttr, need, nodeError, shapeStr } from '../nn/attrs';
import { readInts } from '../tensor/common';

/** Col2Im attributes as written (absent lists undefined). */
interface Col2ImAttrs { dilations?: number[]; pads?: number[]; strides?: number[] }

/** Col2Im (opset 18). */
export const col2im: OpDef<Col2ImAttrs> = {
  domain: '', opType: 'Col2Im', since: 18,
  parse: (ctx) => ({ dilations: intsAttr(ctx.node, 'dilations'), pads: intsAttr(ctx.node, 'pads'), strides: intsAttr(ctx.node, 'strides') }),
  run(inputs, a, ctx) {
    const node = ctx.node;
    const x = need(node, inputs, 0, 'input');
    const xd = floatData(node, x, 'input');
    const image = readInts(node, need(node, inputs, 1, 'image_shape'), 'image_shape');
    const block = readInts(node, need(node, inputs, 2, 'block_shape'), 'block_shape');
    const r = image.length;
    const list = (v: number[] | undefined, n: number, def: number, what: string): number[] => {
      if (v === undefined) return new Array<number>(n).fill(def);
      if (v.length !== n) throw nodeError(node, `${what} has ${v.length} entries, needs ${n}`);
      return v;
    };
    const dil = list(a.dilations, r, 1, 'dilations');
    const str = list(a.strides, r, 1, 'strides');
    const pads = list(a.pads, 2 * r, 0, 'pads');
    if (block.length !== r || r < 1 || image.some((v) => v < 1) || block.some((v) => v < 1) || dil.some((v) => v < 1) || str.some((v) => v < 1) || pads.some((v) => v < 0)) {
      throw nodeError(node, `invalid geometry: image_shape [${image.join(',')}], block_shape [${block.join(',')}]`);
    }
    const kSize = sizeOf(block);
    if (x.shape.length !== 3 || x.shape[1] % kSize !== 0) throw nodeError(node, `input ${shapeStr(x.shape)} must be [N, C·${kSize}, L]`);
    const [N, CK, L] = x.shape;
    const C = CK / kSize;
    const win = forwardWindow(image, block, str, dil, pads, 'NOTSET', false);
    if (sizeOf(win.outShape) !== L || win.outShape.some((v) => v < 1)) {
      throw nodeError(node, `input has ${L} blocks but the geometry gives ${win.outShape.join('×')}`);
    }
    const shape = [N, C, ...image];
    const y = ctx.alloc(x.dtype, shape) as Float32Array | Float64Array;
    const plane = C * sizeOf(image);
    for (let n = 0; n < N; n++) col2imNd(xd.subarray(n * CK * L, (n + 1) * CK * L), C, image, win, y, n * plane);
    return [{ dtype: x.dtype, shape, data: y }];
  },
};
