// Transpose kernel for every element kind: coalesces axes that stay adjacent, block-copies when the
// innermost axis stays innermost, and otherwise walks the output with precomputed input strides.

import { TensorValues } from '../../onnx/ir';
import { copyBlock, Elems, stridesOf } from './strides';

/** Shape of `shape` permuted by `perm`. */
export function permuteShape(shape: readonly number[], perm: readonly number[]): number[] {
  return perm.map((p) => shape[p]);
}

/** Drops size-1 axes and merges runs of axes that stay consecutive in `perm`. */
function coalesce(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const keep = perm.filter((p) => shape[p] !== 1);
  // Rank positions of kept input axes, in input order.
  const inAxes = keep.slice().sort((a, b) => a - b);
  const rankOf = new Map<number, number>();
  inAxes.forEach((a, i) => rankOf.set(a, i));
  const p = keep.map((a) => rankOf.get(a) as number);
  const s = inAxes.map((a) => shape[a]);
  // Merge output-consecutive pairs p[i], p[i+1] with p[i+1] === p[i] + 1.
  const groups: number[][] = [];
  for (const a of p) {
    const g = groups[groups.length - 1];
    if (g && g[g.length - 1] + 1 === a) g.push(a);
    else groups.push([a]);
  }
  const order = groups.slice().sort((a, b) => a[0] - b[0]);
  const newShape = order.map((g) => g.reduce((acc, a) => acc * s[a], 1));
  const newPerm = groups.map((g) => order.indexOf(g));
  return { shape: newShape, perm: newPerm };
}

/** Writes the transpose of `src` (shape `shape`) by `perm` into `dst` (row-major output). */
export function transposeInto(src: TensorValues, dst: TensorValues, shape: readonly number[], perm: readonly number[]): void {
  const total = dst.length;
  if (total === 0) return;
  const c = coalesce(shape, perm);
  const rank = c.shape.length;
  if (rank <= 1) {
    copyBlock(dst, 0, src, 0, total);
    return;
  }
  const inStr = stridesOf(c.shape);
  const outShape = permuteShape(c.shape, c.perm);
  const srcStr = c.perm.map((p) => inStr[p]);
  const s = src as Elems;
  const d = dst as Elems;
  if (rank === 2) {
    // Plain 2-D transpose, tiled for cache friendliness.
    const R = outShape[0], C = outShape[1], sr = srcStr[0], sc = srcStr[1];
    const T = 32;
    for (let r0 = 0; r0 < R; r0 += T) {
      const r1 = Math.min(R, r0 + T);
      for (let c0 = 0; c0 < C; c0 += T) {
        const c1 = Math.min(C, c0 + T);
        for (let r = r0; r < r1; r++) {
          let o = r * C + c0, i = r * sr + c0 * sc;
          for (let k = c0; k < c1; k++, o++, i += sc) d[o] = s[i];
        }
      }
    }
    return;
  }
  const last = rank - 1;
  // E.g. perm [0,2,1,3]: the innermost axis stays innermost, so whole rows are block-copied.
  const innerContig = c.perm[last] === rank - 1;
  const inner = outShape[last];
  const innerStride = srcStr[last];
  const idx = new Array<number>(last).fill(0);
  let srcOff = 0;
  for (let o = 0; o < total; o += inner) {
    if (innerContig) copyBlock(dst, o, src, srcOff, inner);
    else for (let k = 0, i = srcOff; k < inner; k++, i += innerStride) d[o + k] = s[i];
    // Advance the odometer over the outer output axes.
    for (let a = last - 1; a >= 0; a--) {
      idx[a]++;
      srcOff += srcStr[a];
      if (idx[a] < outShape[a]) break;
      srcOff -= srcStr[a] * outShape[a];
      idx[a] = 0;
    }
  }
}
