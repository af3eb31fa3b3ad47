// Reduction kernels over a [outer, reduced, inner] view of a tensor, one loop per reduction kind
// (no per-element closures). Float results accumulate in float64; int64 uses BigInt.

/** The reduction kinds of the ONNX Reduce* family. */
export type ReduceKind = 'sum' | 'mean' | 'max' | 'min' | 'prod' | 'l1' | 'l2' | 'logsum' | 'logsumexp' | 'sumsquare';

type NumArr = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** Value of a reduction over the empty set (ONNX opset 18 convention). */
export function emptyValue(kind: ReduceKind): number {
  switch (kind) {
    case 'max': case 'logsum': case 'logsumexp': return -Infinity;
    case 'min': return Infinity;
    case 'prod': return 1;
    case 'mean': return NaN;
    default: return 0;
  }
}

/**
 * Reduces x viewed as [outer, red, inner] over the middle axis into out ([outer, inner]).
 * Number arrays only; results are stored through the output array's own conversion.
 */
export function reduce3(x: NumArr, out: NumArr, outer: number, red: number, inner: number, kind: ReduceKind): void {
  const n = outer * inner;
  if (red === 0) {
    out.fill(emptyValue(kind));
    return;
  }
  const acc = new Float64Array(n);
  if (kind === 'max' || kind === 'min' || kind === 'logsumexp') {
    const isMin = kind === 'min';
    for (let o = 0; o < outer; o++) {
      const base = o * red * inner;
      for (let i = 0; i < inner; i++) acc[o * inner + i] = x[base + i];
      for (let r = 1; r < red; r++) {
        const b = base + r * inner;
        for (let i = 0; i < inner; i++) {
          const v = x[b + i];
          const a = acc[o * inner + i];
          // NaN propagates like numpy's max/min.
          if (isMin ? (v < a || v !== v) : (v > a || v !== v)) acc[o * inner + i] = v;
        }
      }
    }
    if (kind !== 'logsumexp') {
      out.set(acc);
      return;
    }
    const m = acc.slice();
    acc.fill(0);
    for (let o = 0; o < outer; o++) {
      for (let r = 0; r < red; r++) {
        const b = (o * red + r) * inner;
        for (let i = 0; i < inner; i++) {
          const mx = m[o * inner + i];
          acc[o * inner + i] += Math.exp(x[b + i] - (Number.isFinite(mx) ? mx : 0));
        }
      }
    }
    for (let j = 0; j < n; j++) out[j] = Math.log(acc[j]) + (Number.isFinite(m[j]) ? m[j] : 0);
    return;
  }
  if (kind === 'prod') {
    acc.fill(1);
    for (let o = 0; o < outer; o++) {
      for (let r = 0; r < red; r++) {
        const b = (o * red + r) * inner;
        for (let i = 0; i < inner; i++) acc[o * inner + i] *= x[b + i];
      }
    }
    out.set(acc);
    return;
  }
  // Sum-like kinds: transform each element, then add.
  if (inner === 1) {
    // Contiguous reduction (e.g. over the last axis): one running sum per output.
    for (let o = 0; o < outer; o++) {
      let s = 0;
      const b = o * red, e = b + red;
      if (kind === 'l1') for (let i = b; i < e; i++) s += Math.abs(x[i]);
      else if (kind === 'l2' || kind === 'sumsquare') for (let i = b; i < e; i++) s += x[i] * x[i];
      else for (let i = b; i < e; i++) s += x[i];
      acc[o] = s;
    }
  } else for (let o = 0; o < outer; o++) {
    for (let r = 0; r < red; r++) {
      const b = (o * red + r) * inner;
      const ob = o * inner;
      if (kind === 'l1') for (let i = 0; i < inner; i++) acc[ob + i] += Math.abs(x[b + i]);
      else if (kind === 'l2' || kind === 'sumsquare') for (let i = 0; i < inner; i++) acc[ob + i] += x[b + i] * x[b + i];
      else for (let i = 0; i < inner; i++) acc[ob + i] += x[b + i];
    }
  }
  if (kind === 'mean') for (let j = 0; j < n; j++) acc[j] /= red;
  else if (kind === 'l2') for (let j = 0; j < n; j++) acc[j] = Math.sqrt(acc[j]);
  else if (kind === 'logsum') for (let j = 0; j < n; j++) acc[j] = Math.log(acc[j]);
  out.set(acc);
}

/** Exact 32-bit integer product/sum for Int32/Uint32 outputs (wraps like C). */
export function reduce3Int32(x: Int32Array | Uint32Array, out: Int32Array | Uint32Array, outer: number, red: number, inner: number, kind: ReduceKind): void {
  const n = outer * inner;
  const acc = new Int32Array(n);
  acc.fill(kind === 'prod' ? 1 : 0);
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < red; r++) {
      const b = (o * red + r) * inner;
      const ob = o * inner;
      if (kind === 'prod') for (let i = 0; i < inner; i++) acc[ob + i] = Math.imul(acc[ob + i], x[b + i]);
      else if (kind === 'sumsquare') for (let i = 0; i < inner; i++) acc[ob + i] = (acc[ob + i] + Math.imul(x[b + i], x[b + i])) | 0;
      else if (kind === 'l1') for (let i = 0; i < inner; i++) acc[ob + i] = (acc[ob + i] + Math.abs(x[b + i])) | 0;
      else for (let i = 0; i < inner; i++) acc[ob + i] = (acc[ob + i] + x[b + i]) | 0;
    }
  }
  out.set(out instanceof Uint32Array ? new Uint32Array(acc.buffer) : acc);
}

/** Int64/UInt64 reductions in BigInt, wrapped to 64 bits; `signed` picks asIntN vs asUintN. */
export function reduce3Big(x: BigInt64Array | BigUint64Array, out: BigInt64Array | BigUint64Array, outer: number, red: number, inner: number, kind: ReduceKind, empty: bigint): void {
  const wrap = out instanceof BigInt64Array ? (v: bigint): bigint => BigInt.asIntN(64, v) : (v: bigint): bigint => BigInt.asUintN(64, v);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let a: bigint = kind === 'prod' ? 1n : kind === 'max' || kind === 'min' ? (red > 0 ? x[o * red * inner + i] : empty) : 0n;
      for (let r = 0; r < red; r++) {
        const v = x[(o * red + r) * inner + i];
        if (kind === 'prod') a *= v;
        else if (kind === 'max') { if (v > a) a = v; }
        else if (kind === 'min') { if (v < a) a = v; }
        else if (kind === 'sumsquare') a += v * v;
        else if (kind === 'l1') a += v < 0n ? -v : v;
        else a += v;
      }
      out[o * inner + i] = wrap(a);
    }
  }
}
