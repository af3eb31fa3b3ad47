// Convolution numerics: im2col + GEMM per (image, group), a 1×1 stride-1 shortcut that feeds the
// input straight to GEMM, and a direct kernel for 2-D depthwise convolutions.

import { gemm } from './gemm';
import { wasmGemmBytes } from './gemm-wasm';
import { depthwiseKernel, depthwiseKernelBytes, DW_PLANE, DW_TAPS } from './depthwise-wasm';
import { im2col2d, im2colNd } from './im2col';
import { Window } from './window';

type Floats = Float32Array | Float64Array;

let scratch32 = new Float32Array(0);
let scratch64 = new Float64Array(0);

/** Elements of column buffer per GEMM call: 2-D convolutions unfold this many output rows at a time (at least one). */
const SLAB = 1 << 18;

let simdEnabled = true;

/** Turns the WebAssembly depthwise kernel on or off (tests compare it with the plain loops). */
export function setConvSimd(on: boolean): void {
  simdEnabled = on;
}

/** Bytes of kernel scratch this thread holds: column buffers and the WebAssembly kernels' memory. */
export function scratchBytes(): number {
  return scratch32.byteLength + scratch64.byteLength + wasmGemmBytes() + depthwiseKernelBytes();
}

/** A reusable column buffer of at least n elements, of the same kind as `like`. */
export function colScratch(like: Floats, n: number): Floats {
  if (like instanceof Float32Array) {
    if (scratch32.length < n) scratch32 = new Float32Array(n);
    return scratch32;
  }
  if (scratch64.length < n) scratch64 = new Float64Array(n);
  return scratch64;
}

/**
 * y[N, M, ...out] = conv(x[N, C, ...in], w[M, C/group, ...k]) + b[M] (b may be undefined).
 * `y` must be zero-initialised or will be fully overwritten (it is overwritten).
 */
export function convForward(
  x: Floats, xShape: readonly number[], w: Floats, M: number, b: Floats | undefined,
  group: number, win: Window, y: Floats,
): void {
  const N = xShape[0];
  const C = xShape[1];
  const inShape = xShape.slice(2);
  const r = inShape.length;
  const inSize = inShape.reduce((a, v) => a * v, 1);
  const outSize = win.outShape.reduce((a, v) => a * v, 1);
  const kSize = win.kernel.reduce((a, v) => a * v, 1);
  const cg = C / group;
  const mg = M / group;
  if (outSize === 0) return;
  // Depthwise (one input channel per group, several groups) runs direct; a single-channel ordinary
  // convolution goes through GEMM, which sums as onnxruntime's does (its results then quantize the
  // same way in QDQ models).
  if (cg === 1 && group > 1 && r === 2) {
    depthwise2d(x, N, C, inShape[0], inShape[1], w, M, b, win, y);
    return;
  }
  const K = cg * kSize;
  let pointwise = kSize === 1;
  for (let a = 0; a < r; a++) {
    if (win.strides[a] !== 1 || win.padsBegin[a] !== 0 || win.outShape[a] !== inShape[a]) pointwise = false;
  }
  // 2-D (and 1-D) windows unfold a slab of output rows at a time, which bounds the column buffer.
  const win2 = r === 1 ? lift1d(win) : win;
  const [oH, oW] = r <= 2 ? win2.outShape : [1, outSize];
  const rows = r <= 2 ? Math.max(1, Math.min(oH, Math.floor(SLAB / Math.max(1, K * oW)))) : 1;
  const col = pointwise ? x : colScratch(x, K * (r <= 2 ? rows * oW : outSize));
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < group; g++) {
      const xOff = (n * C + g * cg) * inSize;
      const yOff = (n * M + g * mg) * outSize;
      let beta = 0;
      if (b) {
        for (let m = 0; m < mg; m++) y.fill(b[g * mg + m], yOff + m * outSize, yOff + (m + 1) * outSize);
        beta = 1;
      }
      if (pointwise) {
        gemm(false, false, mg, outSize, K, 1, w, g * mg * K, K, x, xOff, outSize, beta, y, yOff, outSize);
      } else if (r <= 2) {
        const [H, W] = r === 2 ? inShape : [1, inShape[0]];
        for (let oh = 0; oh < oH; oh += rows) {
          const hi = Math.min(oH, oh + rows);
          const cols = (hi - oh) * oW;
          im2col2d(x, xOff, cg, H, W, win2, col, oh, hi);
          gemm(false, false, mg, cols, K, 1, w, g * mg * K, K, col, 0, cols, beta, y, yOff + oh * oW, outSize);
        }
      } else {
        im2colNd(x, xOff, cg, inShape, win, col);
        gemm(false, false, mg, outSize, K, 1, w, g * mg * K, K, col, 0, outSize, beta, y, yOff, outSize);
      }
    }
  }
}

/** A 1-D window seen as 2-D with a unit first axis. */
function lift1d(w: Window): Window {
  return {
    kernel: [1, w.kernel[0]], strides: [1, w.strides[0]], dilations: [1, w.dilations[0]],
    padsBegin: [0, w.padsBegin[0]], padsEnd: [0, w.padsEnd[0]], outShape: [1, w.outShape[0]],
  };
}

/** Output columns [lo, hi) whose input column o·s + off lies inside [0, W). */
function validRange(W: number, s: number, off: number, out: number): [number, number] {
  const lo = off >= 0 ? 0 : Math.ceil(-off / s);
  const hi = Math.min(out, W - off <= 0 ? 0 : Math.ceil((W - off) / s));
  return [Math.min(lo, hi), hi];
}

/**
 * Direct 2-D convolution when every group has one input channel (depthwise, any multiplier), row
 * by row: each output row starts at the bias and gets one pass per kernel tap inside the input,
 * y[ow] += w · x[ow·sW + kw·dW − pL] over the columns where that tap reads inside the input (a
 * plain multiply-add loop, no per-element bounds tests).
 */
function depthwise2d(
  x: Floats, N: number, C: number, H: number, W: number, w: Floats, M: number, b: Floats | undefined,
  win: Window, y: Floats,
): void {
  const [kH, kW] = win.kernel;
  const [sH, sW] = win.strides;
  const [dH, dW] = win.dilations;
  const [pT, pL] = win.padsBegin;
  const [oH, oW] = win.outShape;
  const mult = M / C;
  const lo = new Int32Array(kW);
  const hi = new Int32Array(kW);
  for (let kw = 0; kw < kW; kw++) [lo[kw], hi[kw]] = validRange(W, sW, kw * dW - pL, oW);
  const k = simdEnabled && sW === 1 && x instanceof Float32Array && y instanceof Float32Array && kH * kW <= DW_TAPS && H * W <= DW_PLANE && oH * oW <= DW_PLANE
    ? depthwiseKernel() : null;
  if (k) {
    // One plane at a time through the WebAssembly kernel (depthwise-wasm.ts).
    k.lo.set(lo);
    k.hi.set(hi);
    for (let n = 0; n < N; n++) {
      for (let m = 0; m < M; m++) {
        const xp = (n * C + Math.floor(m / mult)) * H * W;
        k.x.set(x.subarray(xp, xp + H * W));
        k.taps.set(w.subarray(m * kH * kW, (m + 1) * kH * kW));
        k.run(H, W, oH, oW, kH, kW, sH, dH, dW, pT, pL, b ? b[m] : 0);
        y.set(k.y.subarray(0, oH * oW), (n * M + m) * oH * oW);
      }
    }
    return;
  }
  for (let n = 0; n < N; n++) {
    for (let m = 0; m < M; m++) {
      const xp = (n * C + Math.floor(m / mult)) * H * W;
      const wp = m * kH * kW;
      const yp = (n * M + m) * oH * oW;
      y.fill(b ? b[m] : 0, yp, yp + oH * oW);
      for (let oh = 0; oh < oH; oh++) {
        const yr = yp + oh * oW;
        for (let kh = 0; kh < kH; kh++) {
          const ih = oh * sH - pT + kh * dH;
          if (ih < 0 || ih >= H) continue;
          const xr = xp + ih * W;
          for (let kw = 0; kw < kW; kw++) {
            const wv = w[wp + kh * kW + kw];
            const off = xr + kw * dW - pL;
            const end = hi[kw];
            if (sW === 1) {
              for (let ow = lo[kw]; ow < end; ow++) y[yr + ow] += wv * x[off + ow];
            } else {
              for (let ow = lo[kw]; ow < end; ow++) y[yr + ow] += wv * x[off + ow * sW];
            }
          }
        }
      }
    }
  }
}
