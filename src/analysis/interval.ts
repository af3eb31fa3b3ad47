// Outward-rounded interval helpers for bound propagation: the rounding constants, the γ_n error
// factor of a dot product, and elementwise widening so that an interval computed in float64 always
// encloses the value the executor computes in float32.
//
// The invariant every bound in bounds.ts keeps: for every input in the box, the executor's own
// (float32) tensor element lies in [lo, hi]. Each op's result is therefore widened by a bound on
// (a) the float32 rounding the executor does and (b) the float64 rounding of our own arithmetic.
//   - A single rounded operation y = fl32(a ∘ b) with ∘ monotone: rounding is monotone, so y lies in
//     [fl32(exact_lo), fl32(exact_hi)] ⊂ [exact_lo − u32·|exact_lo| − η, exact_hi + u32·|…| + η], where
//     η = 2^-149 covers gradual underflow. Our float64 exact_lo is off by ≤ u64·|·|; `widen` with
//     rel = 2·u32 dominates both.
//   - A dot product of length n (+ bias, alpha/beta scaling: n + 4 roundings at most): Higham's bound
//     |fl(Σ w·x) − Σ w·x| ≤ γ_n·Σ|w||x|, γ_n = n·u / (1 − n·u), holds for any summation order (the
//     runtime's blocked float32 SIMD GEMM and its float64-accumulating JS paths alike). `dotMargin`
//     gives γ_{n+4}(u32) + 8·γ_{n+4}(u64): the executor's float32 error plus the error of the three
//     float64 products we compute (centre, radius, magnitude) and of the final lo/hi sums.
import { Tensor } from '../runtime/tensor';

/** Unit roundoff of float32 (round to nearest). */
export const U32 = 2 ** -24;
/** Unit roundoff of float64. */
export const U64 = 2 ** -53;
/** Absolute slack per rounding for float32 gradual underflow (twice the largest underflow error). */
export const ETA32 = 2 ** -148;
/** Beyond this magnitude a float32 result may overflow to ±Infinity: bounds there become infinite. */
export const F32_SAFE_MAX = 3.0e38;

/** γ_n = n·u / (1 − n·u) (Infinity when n·u ≥ 1). */
export function gamma(n: number, u: number): number {
  const nu = n * u;
  return nu < 1 ? nu / (1 - nu) : Infinity;
}

/** Relative factor on Σ|w||x| (+|b|) that dominates every rounding error of an n-term dot product. */
export function dotMargin(n: number): number {
  return gamma(n + 4, U32) + 8 * gamma(n + 4, U64);
}

/**
 * The same factor when the three products are themselves computed in float32 (the runtime's fast
 * kernels) on a float32 centre c32 and radii r32, m32 rounded up (centreRadius32): with γ = γ_{n+4}(u32)
 * and A* the exact |W|·(|c32| + r32) + |b|, the centre is off by ≤ γ·A*, the radius product low by ≤ γ·A*,
 * the executor's own error is ≤ γ·A*, and A* ≤ A32 / (1 − γ): 3γ / (1 − γ) on the computed A32, plus
 * float64 slack for the final lo/hi sums.
 */
export function dotMargin32(n: number): number {
  const g = gamma(n + 4, U32);
  return (3 * g) / (1 - g) + 8 * gamma(n + 4, U64);
}

/** Absolute slack of an n-term float32 dot product against underflow. */
export function dotAbsolute(n: number): number {
  return (n + 4) * ETA32;
}

/** An interval tensor: per element lo ≤ value ≤ hi (float64 storage, row-major). */
export interface Box {
  readonly shape: readonly number[];
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}

/**
 * Widens in place: lo −= rel·|lo| + abs, hi += rel·|hi| + abs. NaN turns into ±Infinity (no claim),
 * and magnitudes beyond float32's safe range become infinite (the executor may overflow there).
 */
export function widen(b: Box, rel: number, abs: number): void {
  const { lo, hi } = b;
  for (let i = 0; i < lo.length; i++) {
    let l = lo[i];
    let h = hi[i];
    l = l - (rel * Math.abs(l) + abs);
    h = h + (rel * Math.abs(h) + abs);
    lo[i] = l > -F32_SAFE_MAX && l < F32_SAFE_MAX ? l : -Infinity;
    hi[i] = h > -F32_SAFE_MAX && h < F32_SAFE_MAX ? h : Infinity;
  }
}

/** Replaces NaN and out-of-float32-range values by ±Infinity (used after exact ops). */
export function sanitize(b: Box): void {
  widen(b, 0, 0);
}

/**
 * Centre / radius of a box with [c − r, c + r] ⊇ [lo, hi] despite float64 rounding: r is rounded
 * outward by 2·u64·(|c| + r) plus the smallest normal float64.
 */
export function centreRadius(b: Box): { c: Float64Array; r: Float64Array; m: Float64Array } {
  const n = b.lo.length;
  const c = new Float64Array(n);
  const r = new Float64Array(n);
  const m = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const l = b.lo[i];
    const h = b.hi[i];
    if (!(l > -Infinity && h < Infinity)) {
      c[i] = 0;
      r[i] = Infinity;
      m[i] = Infinity;
      continue;
    }
    const ci = 0.5 * l + 0.5 * h;
    let ri = Math.max(h - ci, ci - l);
    ri += 2 * U64 * (Math.abs(ci) + ri) + 2 ** -1022;
    c[i] = ci;
    r[i] = ri;
    m[i] = Math.abs(ci) + ri;
  }
  return { c, r, m };
}

/** fround(x) rounded up: the smallest float32 ≥ x (x ≥ 0, finite), within 2^-22 relative. */
function roundUp32(x: number): number {
  const y = Math.fround(x * (1 + 2 ** -22));
  return y >= x * (1 + 2 ** -40) ? y : Math.fround(x + 2 ** -149);
}

/**
 * Float32 centre c32 and radius r32 with [c32 − r32, c32 + r32] ⊇ [lo, hi] exactly, and m32 ≥ |c32| + r32;
 * infinite or float32-overflowing bounds give c = 0, r = m = Infinity.
 */
export function centreRadius32(b: Box): { c: Float32Array; r: Float32Array; m: Float32Array } {
  const n = b.lo.length;
  const c = new Float32Array(n);
  const r = new Float32Array(n);
  const m = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const l = b.lo[i];
    const h = b.hi[i];
    const ci = Math.fround(0.5 * l + 0.5 * h);
    // hi − c32 and c32 − lo are exact or within u64 in float64; the (1 + 2^-22) of roundUp32 covers that.
    const d = Math.max(h - ci, ci - l);
    if (!(l > -F32_SAFE_MAX && h < F32_SAFE_MAX && Number.isFinite(ci) && d < F32_SAFE_MAX)) {
      c[i] = 0;
      r[i] = Infinity;
      m[i] = Infinity;
      continue;
    }
    const ri = roundUp32(d);
    c[i] = ci;
    r[i] = ri;
    m[i] = roundUp32(Math.abs(ci) + ri);
  }
  return { c, r, m };
}

/** Elementwise |x| into a new Float64Array. */
export function absOf(x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]);
  return out;
}

/** A tensor's float values as a float64 copy (any float or integer dtype), or undefined. */
export function toFloat64(t: Tensor): Float64Array | undefined {
  const d = t.data;
  if (Array.isArray(d)) return undefined;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) return Float64Array.from(d, (v) => Number(v));
  return Float64Array.from(d as ArrayLike<number>);
}

/** Per-unit max of hi and min of lo over every axis but `axis` (negative counts from the end). */
export function perUnit(b: Box, axis: number): { upper: Float64Array; lower: Float64Array } | undefined {
  const rank = b.shape.length;
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) return undefined;
  const units = b.shape[a];
  let inner = 1;
  for (let k = a + 1; k < rank; k++) inner *= b.shape[k];
  const upper = new Float64Array(units).fill(-Infinity);
  const lower = new Float64Array(units).fill(Infinity);
  const block = units * inner;
  for (let base = 0; base < b.hi.length; base += block) {
    for (let u = 0; u < units; u++) {
      const o = base + u * inner;
      let mx = upper[u];
      let mn = lower[u];
      for (let i = 0; i < inner; i++) {
        const h = b.hi[o + i];
        const l = b.lo[o + i];
        if (h > mx || h !== h) mx = h === h ? h : Infinity;
        if (l < mn || l !== l) mn = l === l ? l : -Infinity;
      }
      upper[u] = mx;
      lower[u] = mn;
    }
  }
  return { upper, lower };
}
