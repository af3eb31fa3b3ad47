// Index arithmetic along one axis of a dense row-major tensor: the slices of a weight, bias or
// BatchNorm tensor that belong to given units, to overwrite them (revive) or drop them (prune).

/** Sizes before, at and after `axis`. */
export function split(dims: readonly number[], axis: number): { outer: number; n: number; inner: number } {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= dims[i];
  for (let i = axis + 1; i < dims.length; i++) inner *= dims[i];
  return { outer, n: dims[axis], inner };
}

/** Elements in one index's slice along `axis` (the fan of a unit). */
export function sliceSize(dims: readonly number[], axis: number): number {
  const { outer, inner } = split(dims, axis);
  return outer * inner;
}

/**
 * Writes index `i` along `axis`: every element of that slice gets `src[k]` in row-major order of
 * the slice, or the number `src`. `rows` limits the outer range (grouped convolutions).
 */
export function setSlice(values: Float32Array, dims: readonly number[], axis: number, i: number, src: Float32Array | number, rows?: [number, number]): void {
  const { outer, n, inner } = split(dims, axis);
  const [from, to] = rows ?? [0, outer];
  let k = 0;
  for (let o = from; o < to; o++) {
    const base = (o * n + i) * inner;
    if (typeof src === 'number') values.fill(src, base, base + inner);
    else {
      values.set(src.subarray(k, k + inner), base);
      k += inner;
    }
  }
}

/** The tensor without the indices in `drop` along `axis`; returns the values and the new dims. */
export function dropIndices(values: Float32Array, dims: readonly number[], axis: number, drop: ReadonlySet<number>): { values: Float32Array; dims: number[] } {
  const { outer, n, inner } = split(dims, axis);
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (!drop.has(i)) keep.push(i);
  const out = new Float32Array(outer * keep.length * inner);
  let w = 0;
  for (let o = 0; o < outer; o++) {
    for (const i of keep) {
      const base = (o * n + i) * inner;
      out.set(values.subarray(base, base + inner), w);
      w += inner;
    }
  }
  const nd = dims.slice();
  nd[axis] = keep.length;
  return { values: out, dims: nd };
}

/** Indices [u·block, (u+1)·block) for every unit u: where units land after a flatten. */
export function expand(units: readonly number[], block: number): Set<number> {
  const out = new Set<number>();
  for (const u of units) for (let k = 0; k < block; k++) out.add(u * block + k);
  return out;
}
