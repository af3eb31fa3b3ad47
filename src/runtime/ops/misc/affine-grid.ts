// AffineGrid (opset 20): the sampling grid of 2-D ([N,2,3]) or 3-D ([N,3,4]) affine matrices
// theta over an output of size [N, C, (D,) H, W], in GridSample's normalized coordinates.

import { OpDef } from '../../op';
import { floatData, intAttr, need, nodeError, shapeStr } from '../nn/attrs';
import { readInts } from '../tensor/common';

/** Normalized coordinate of position i of L along one axis. */
function coord(i: number, L: number, align: boolean): number {
  if (align) return L === 1 ? 0 : -1 + (2 * i) / (L - 1);
  return (2 * i + 1) / L - 1;
}

/** AffineGrid (opset 20). */
export const affineGrid: OpDef<boolean> = {
  domain: '', opType: 'AffineGrid', since: 20,
  parse: (ctx) => intAttr(ctx.node, 'align_corners', 0) !== 0,
  run(inputs, align, ctx) {
    const node = ctx.node;
    const theta = need(node, inputs, 0, 'theta');
    const td = floatData(node, theta, 'theta');
    const size = readInts(node, need(node, inputs, 1, 'size'), 'size');
    const r = size.length - 2;
    if (r !== 2 && r !== 3) throw nodeError(node, `size must have 4 or 5 entries, got ${size.length}`);
    const N = size[0];
    if (theta.shape.length !== 3 || theta.shape[0] !== N || theta.shape[1] !== r || theta.shape[2] !== r + 1) {
      throw nodeError(node, `theta ${shapeStr(theta.shape)} must be [${N},${r},${r + 1}] for size [${size.join(',')}]`);
    }
    const sp = size.slice(2); // (D,) H, W
    const D = r === 3 ? sp[0] : 1;
    const H = sp[r - 2];
    const W = sp[r - 1];
    const shape = [N, ...sp, r];
    const y = ctx.alloc(theta.dtype, shape) as Float32Array | Float64Array;
    let o = 0;
    for (let n = 0; n < N; n++) {
      const t = n * r * (r + 1);
      for (let d = 0; d < D; d++) {
        const z = r === 3 ? coord(d, D, align) : 0;
        for (let h = 0; h < H; h++) {
          const yv = coord(h, H, align);
          for (let w = 0; w < W; w++) {
            const xv = coord(w, W, align);
            for (let k = 0; k < r; k++) {
              const row = t + k * (r + 1);
              y[o++] = r === 2
                ? td[row] * xv + td[row + 1] * yv + td[row + 2]
                : td[row] * xv + td[row + 1] * yv + td[row + 2] * z + td[row + 3];
            }
          }
        }
      }
    }
    return [{ dtype: theta.dtype, shape, data: y }];
  },
};
