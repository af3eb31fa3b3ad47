// Row-major stride arithmetic and generic element copies shared by the data-movement ops
// (Transpose, Gather, Slice, Pad, Tile, ...). Copies work for every TensorValues kind.

import { TensorValues } from '../../onnx/ir';

/** Row-major strides of a shape (elements, not bytes). */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** An element array viewed generically; every TensorValues kind is indexable like this. */
export type Elems = { [i: number]: unknown; length: number };

/** Copies `n` contiguous elements src[sOff..] to dst[dOff..]; typed arrays use a block copy. */
export function copyBlock(dst: TensorValues, dOff: number, src: TensorValues, sOff: number, n: number): void {
  if (n <= 0) return;
  if (Array.isArray(dst) || n < 8) {
    const d = dst as Elems;
    const s = src as Elems;
    for (let i = 0; i < n; i++) d[dOff + i] = s[sOff + i];
    return;
  }
  // Same dtype on both sides, so the subarray kind matches the destination's.
  (dst as Float32Array).set((src as Float32Array).subarray(sOff, sOff + n), dOff);
}

/** Fills dst[off..off+n) with `v` (a value of dst's element kind). */
export function fillBlock(dst: TensorValues, off: number, n: number, v: unknown): void {
  if (Array.isArray(dst)) {
    for (let i = 0; i < n; i++) dst[off + i] = v as string;
    return;
  }
  (dst as Float32Array).fill(v as number, off, off + n);
}

/** Merges adjacent axes; returns the shape with size-1 axes dropped (keeps at least one axis). */
export function dropOnes(shape: readonly number[]): number[] {
  const out = shape.filter((d) => d !== 1);
  return out.length ? out : [1];
}

/**
 * Fills dst (row-major, shape `outShape`) with src[base + Σ idx[a]·srcStr[a]]. Strides may be
 * negative (reversed slices) or 0 (broadcast). The innermost axis is block-copied when its stride is 1.
 */
export function copyStrided(src: TensorValues, base: number, srcStr: readonly number[], dst: TensorValues, outShape: readonly number[]): void {
  const total = dst.length;
  if (total === 0) return;
  const rank = outShape.length;
  if (rank === 0) {
    (dst as Elems)[0] = (src as Elems)[base];
    return;
  }
  const last = rank - 1;
  const inner = outShape[last];
  const st = srcStr[last];
  const s = src as Elems;
  const d = dst as Elems;
  const idx = new Array<number>(rank).fill(0);
  let off = base;
  for (let o = 0; o < total; o += inner) {
    if (st === 1) copyBlock(dst, o, src, off, inner);
    else if (st === 0) fillBlock(dst, o, inner, s[off]);
    else for (let k = 0, i = off; k < inner; k++, i += st) d[o + k] = s[i];
    for (let a = last - 1; a >= 0; a--) {
      idx[a]++;
      off += srcStr[a];
      if (idx[a] < outShape[a]) break;
      off -= srcStr[a] * outShape[a];
      idx[a] = 0;
    }
  }
}
