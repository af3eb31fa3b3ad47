// Stable merge sort of indices by key (no comparator closures): ties keep the lower index first,
// which is the TopK order the ONNX reference produces; NaN keys go last.

/** Keys of one lane: numbers or bigints, compared with < and >. */
export type Keys = ArrayLike<number> | ArrayLike<bigint>;

/** Sorts idx[0..n) so keys[idx] descend (descending=true) or ascend; stable. `tmp` has length ≥ n. */
export function argsort(keys: Keys, idx: Int32Array, tmp: Int32Array, n: number, descending: boolean): void {
  const k = keys as ArrayLike<number>;
  let src = idx, dst = tmp;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
      let i = lo, j = mid, o = lo;
      while (i < mid && j < hi) {
        const a = k[src[i]], b = k[src[j]];
        // Take from the right run only when strictly before, so equal keys stay in order.
        // NaN sorts after every number in either direction (numpy's NaN-last order).
        const takeRight = (a !== a && b === b) || (descending ? b > a : b < a);
        dst[o++] = takeRight ? src[j++] : src[i++];
      }
      while (i < mid) dst[o++] = src[i++];
      while (j < hi) dst[o++] = src[j++];
    }
    const t = src; src = dst; dst = t;
  }
  if (src !== idx) idx.set(src.subarray(0, n));
}
