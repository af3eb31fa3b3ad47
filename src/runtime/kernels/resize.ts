// Resize geometry and interpolation as the ONNX reference defines it: per-axis tables of source
// indices and weights (nearest / linear / cubic, antialiased variants, exclude_outside, the
// tf_crop_and_resize extrapolation flag), then one separable pass per axis, innermost first.

import { TensorValues } from '../../onnx/ir';
import { Elems, fillBlock } from './strides';

/** The coordinate transformation modes of Resize. */
export type CoordMode = 'half_pixel' | 'half_pixel_symmetric' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric' | 'tf_half_pixel_for_nn' | 'tf_crop_and_resize';
/** The rounding modes of mode=nearest. */
export type NearestMode = 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil';
/** The interpolation modes. */
export type InterpMode = 'nearest' | 'linear' | 'cubic';

/** Interpolation settings shared by every axis. */
export interface ResizeSpec {
  mode: InterpMode;
  coord: CoordMode;
  nearest: NearestMode;
  cubicA: number;
  excludeOutside: boolean;
  antialias: boolean;
}

/** Per-axis table: `n` taps per output position; extrap[o] = 1 means "use the extrapolation value". */
export interface AxisTable {
  n: number;
  idx: Int32Array;
  w: Float64Array;
  extrap: Uint8Array;
  identity: boolean;
}

/** Maps an output coordinate to the input coordinate; NaN marks tf_crop_and_resize extrapolation. */
function sourceCoord(x: number, scale: number, inW: number, outInt: number, coord: CoordMode, roi: [number, number]): number {
  const outW = scale * inW;
  switch (coord) {
    case 'align_corners': return outW === 1 ? 0 : (x * (inW - 1)) / (outW - 1);
    case 'asymmetric': return x / scale;
    case 'tf_half_pixel_for_nn': return (x + 0.5) / scale;
    case 'pytorch_half_pixel': return outW === 1 ? -0.5 : (x + 0.5) / scale - 0.5;
    case 'half_pixel': return (x + 0.5) / scale - 0.5;
    case 'half_pixel_symmetric': {
      const adjustment = outInt / outW;
      const center = inW / 2;
      return center * (1 - adjustment) + (x + 0.5) / scale - 0.5;
    }
    case 'tf_crop_and_resize': {
      let v = outW === 1 ? ((roi[1] - roi[0]) * (inW - 1)) / 2 : (x * (roi[1] - roi[0]) * (inW - 1)) / (outW - 1);
      v += roi[0] * (inW - 1);
      return v < 0 || v > inW - 1 ? NaN : v;
    }
  }
}

function cubicKernel(x: number, A: number): number {
  const a = Math.abs(x), a2 = a * a, a3 = a2 * a;
  if (a <= 1) return (A + 2) * a3 - (A + 3) * a2 + 1;
  if (a < 2) return A * a3 - 5 * A * a2 + 8 * A * a - 4 * A;
  return 0;
}

/** Number of taps for one axis. */
function tapCount(spec: ResizeSpec, scale: number): number {
  if (spec.mode === 'nearest') return 2;
  if (!spec.antialias) return spec.mode === 'linear' ? 2 : 4;
  const s = Math.min(scale, 1);
  const start = Math.floor((spec.mode === 'linear' ? -1 : -2) / s) + 1;
  return 2 - 2 * start;
}

/** Fills coefficients c[0..n) for the fractional position `ratio` in (0, 1]. */
function coeffs(spec: ResizeSpec, ratio: number, scale: number, n: number, c: Float64Array): void {
  if (spec.mode === 'nearest') {
    let up: boolean;
    if (ratio === 1) up = true;
    else if (spec.nearest === 'round_prefer_floor') up = ratio > 0.5;
    else if (spec.nearest === 'round_prefer_ceil') up = ratio >= 0.5;
    else up = spec.nearest === 'ceil';
    c[0] = up ? 0 : 1;
    c[1] = up ? 1 : 0;
    return;
  }
  if (!spec.antialias) {
    if (spec.mode === 'linear') { c[0] = 1 - ratio; c[1] = ratio; return; }
    const A = spec.cubicA;
    c[0] = cubicKernel(ratio + 1, A); c[1] = cubicKernel(ratio, A); c[2] = cubicKernel(1 - ratio, A); c[3] = cubicKernel(2 - ratio, A);
    return;
  }
  const s = Math.min(scale, 1);
  const start = 1 - n / 2;
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const arg = (start + j - ratio) * s;
    const v = spec.mode === 'linear' ? Math.min(Math.max(1 - Math.abs(arg), 0), 1) : cubicKernel(arg, spec.cubicA);
    c[j] = v;
    sum += v;
  }
  for (let j = 0; j < n; j++) c[j] /= sum;
}

/** Builds the tap table of one axis (input size inW → output size outW). */
export function axisTable(spec: ResizeSpec, inW: number, outW: number, scale: number, roi: [number, number]): AxisTable {
  const n = tapCount(spec, scale);
  const idx = new Int32Array(outW * n), w = new Float64Array(outW * n), extrap = new Uint8Array(outW);
  const c = new Float64Array(n);
  const pad = Math.ceil(n / 2);
  const padLen = inW + 2 * pad;
  let identity = inW === outW;
  for (let o = 0; o < outW; o++) {
    const x = sourceCoord(o, scale, inW, outW, spec.coord, roi);
    if (Number.isNaN(x)) { extrap[o] = 1; identity = false; continue; }
    const xi = Math.floor(x);
    const ratio = x === xi ? 1 : x - xi;
    const f = ratio === 1 ? x - 1 : xi;
    coeffs(spec, ratio, scale, n, c);
    // The n nearest positions in the edge-padded axis, as the reference picks them.
    let lo = f - n / 2 + 1 + pad;
    if (lo < 0) lo = 0;
    if (lo + n > padLen) lo = padLen - n;
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const raw = lo + j - pad;
      if (spec.excludeOutside && (raw < 0 || raw >= inW)) c[j] = 0;
      sum += c[j];
      idx[o * n + j] = raw < 0 ? 0 : raw >= inW ? inW - 1 : raw;
    }
    for (let j = 0; j < n; j++) w[o * n + j] = spec.excludeOutside ? c[j] / sum : c[j];
    if (identity) {
      for (let j = 0; j < n; j++) {
        const wj = w[o * n + j];
        if (wj !== 0 && !(wj === 1 && idx[o * n + j] === o)) identity = false;
      }
    }
  }
  return { n, idx, w, extrap, identity };
}

/** One interpolation pass: src viewed as [outer, inW, inner] → dst [outer, outW, inner]. */
export function interpPass(src: Float64Array, dst: Float64Array, outer: number, inW: number, inner: number, t: AxisTable, extrapolation: number): void {
  const outW = t.extrap.length, n = t.n;
  for (let b = 0; b < outer; b++) {
    const sb = b * inW * inner;
    for (let o = 0; o < outW; o++) {
      const db = (b * outW + o) * inner;
      if (t.extrap[o]) { dst.fill(extrapolation, db, db + inner); continue; }
      for (let i = 0; i < inner; i++) dst[db + i] = 0;
      for (let j = 0; j < n; j++) {
        const wj = t.w[o * n + j];
        if (wj === 0) continue;
        const s0 = sb + t.idx[o * n + j] * inner;
        for (let i = 0; i < inner; i++) dst[db + i] += wj * src[s0 + i];
      }
    }
  }
}

/**
 * Nearest-neighbour resize as a gather on any element kind: for each axis the chosen source index
 * is the tap with weight 1; extrapolated positions get `fill`.
 */
export function nearestGather(src: TensorValues, dst: TensorValues, inShape: readonly number[], outShape: readonly number[], tables: AxisTable[], fill: unknown): void {
  const r = inShape.length;
  const pick = tables.map((t) => {
    const p = new Int32Array(t.extrap.length);
    for (let o = 0; o < p.length; o++) p[o] = t.extrap[o] ? -1 : t.w[o * t.n] === 1 ? t.idx[o * t.n] : t.idx[o * t.n + 1];
    return p;
  });
  const total = dst.length;
  if (total === 0) return;
  if (r === 0) { (dst as Elems)[0] = (src as Elems)[0]; return; }
  const inStr = new Array<number>(r);
  let acc = 1;
  for (let a = r - 1; a >= 0; a--) { inStr[a] = acc; acc *= inShape[a]; }
  const last = r - 1, inner = outShape[last], pl = pick[last];
  const s = src as Elems, d = dst as Elems;
  const idx = new Array<number>(r).fill(0);
  for (let o = 0; o < total; o += inner) {
    let base = 0, ext = false;
    for (let a = 0; a < last; a++) {
      const p = pick[a][idx[a]];
      if (p < 0) { ext = true; break; }
      base += p * inStr[a];
    }
    if (ext) fillBlock(dst, o, inner, fill);
    else for (let k = 0; k < inner; k++) d[o + k] = pl[k] < 0 ? fill : s[base + pl[k]];
    for (let a = last - 1; a >= 0; a--) {
      if (++idx[a] < outShape[a]) break;
      idx[a] = 0;
    }
  }
}
