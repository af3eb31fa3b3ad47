// The general Einsum loop: iterate every combination of label values, multiply the operands'
// elements (per-label strides; a repeated label sums its strides = a diagonal; a broadcast axis
// has stride 0) and add into the output (stride 0 for summed labels). Accumulates in float64.

type Floats = Float32Array | Float64Array;

/** One operand seen through per-label strides (length = number of labels). */
export interface StridedOperand { data: Floats; strides: number[] }

/** out[...] = Σ Π operands, over labels with the given sizes; out must be zeroed by the caller. */
export function einsumLoop(sizes: readonly number[], ops: readonly StridedOperand[], outStrides: readonly number[], out: Float64Array): void {
  const L = sizes.length;
  let total = 1;
  for (let a = 0; a < L; a++) total *= sizes[a];
  if (total === 0) return;
  const n = ops.length;
  const offs = new Array<number>(n).fill(0);
  const idx = new Array<number>(L).fill(0);
  let o = 0;
  const last = L - 1;
  const innerSize = L > 0 ? sizes[last] : 1;
  const innerOut = L > 0 ? outStrides[last] : 0;
  const outer = total / innerSize;
  for (let t = 0; t < outer; t++) {
    if (n === 1) {
      const d = ops[0].data, s = L > 0 ? ops[0].strides[last] : 0;
      let p = offs[0], q = o;
      for (let j = 0; j < innerSize; j++) { out[q] += d[p]; p += s; q += innerOut; }
    } else if (n === 2) {
      const d0 = ops[0].data, d1 = ops[1].data;
      const s0 = L > 0 ? ops[0].strides[last] : 0, s1 = L > 0 ? ops[1].strides[last] : 0;
      let p0 = offs[0], p1 = offs[1], q = o;
      for (let j = 0; j < innerSize; j++) { out[q] += d0[p0] * d1[p1]; p0 += s0; p1 += s1; q += innerOut; }
    } else {
      for (let j = 0; j < innerSize; j++) {
        let prod = 1;
        for (let k = 0; k < n; k++) prod *= ops[k].data[offs[k] + j * (L > 0 ? ops[k].strides[last] : 0)];
        out[o + j * innerOut] += prod;
      }
    }
    // Advance the odometer over all labels but the last.
    for (let a = last - 1; a >= 0; a--) {
      idx[a]++;
      o += outStrides[a];
      for (let k = 0; k < n; k++) offs[k] += ops[k].strides[a];
      if (idx[a] < sizes[a]) break;
      o -= outStrides[a] * sizes[a];
      for (let k = 0; k < n; k++) offs[k] -= ops[k].strides[a] * sizes[a];
      idx[a] = 0;
    }
  }
}
