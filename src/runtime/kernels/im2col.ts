// im2col / col2im: unfold windows of a [C, ...spatial] image into a [C·Πk, Πout] matrix for GEMM
// (Conv), and scatter-add such a matrix back into an image (ConvTranspose). 2-D fast paths
// plus a generic N-D version; positions in the padding read as 0.

import { Window } from './window';

type Floats = Float32Array | Float64Array;

/**
 * Unfolds x[xOff..] of shape [C, H, W] into col [C·kH·kW, (ohHi − ohLo)·outW]: the windows of output
 * rows [ohLo, ohHi) (default: all rows).
 */
export function im2col2d(
  x: Floats, xOff: number, C: number, H: number, W: number, win: Window, col: Floats,
  ohLo = 0, ohHi = win.outShape[0],
): void {
  const [kH, kW] = win.kernel;
  const [sH, sW] = win.strides;
  const [dH, dW] = win.dilations;
  const [pT, pL] = win.padsBegin;
  const oW = win.outShape[1];
  let d = 0;
  for (let c = 0; c < C; c++) {
    const plane = xOff + c * H * W;
    for (let kh = 0; kh < kH; kh++) {
      for (let kw = 0; kw < kW; kw++) {
        const offW = kw * dW - pL;
        // Output columns whose input column is inside [0, W): ow in [owLo, owHi).
        let owLo = offW >= 0 ? 0 : Math.ceil(-offW / sW);
        let owHi = W - offW <= 0 ? 0 : Math.ceil((W - offW) / sW);
        if (owHi > oW) owHi = oW;
        if (owLo > owHi) owLo = owHi;
        for (let oh = ohLo; oh < ohHi; oh++) {
          const ih = oh * sH + kh * dH - pT;
          if (ih < 0 || ih >= H) {
            col.fill(0, d, d + oW);
            d += oW;
            continue;
          }
          const row = plane + ih * W + offW;
          let ow = 0;
          for (; ow < owLo; ow++) col[d++] = 0;
          if (sW === 1) {
            for (; ow < owHi; ow++) col[d++] = x[row + ow];
          } else {
            for (; ow < owHi; ow++) col[d++] = x[row + ow * sW];
          }
          for (; ow < oW; ow++) col[d++] = 0;
        }
      }
    }
  }
}

/** Unfolds x[xOff..] of shape [C, ...inShape] into col [C·Πk, Πout], any spatial rank. */
export function im2colNd(
  x: Floats, xOff: number, C: number, inShape: readonly number[], win: Window, col: Floats,
): void {
  const r = inShape.length;
  const kSize = win.kernel.reduce((a, b) => a * b, 1);
  const oSize = win.outShape.reduce((a, b) => a * b, 1);
  const iSize = inShape.reduce((a, b) => a * b, 1);
  const kIdx = new Array<number>(r).fill(0);
  const oIdx = new Array<number>(r).fill(0);
  let d = 0;
  for (let c = 0; c < C; c++) {
    const plane = xOff + c * iSize;
    kIdx.fill(0);
    for (let k = 0; k < kSize; k++) {
      oIdx.fill(0);
      for (let o = 0; o < oSize; o++) {
        let off = 0;
        let inside = true;
        for (let a = 0; a < r; a++) {
          const p = oIdx[a] * win.strides[a] + kIdx[a] * win.dilations[a] - win.padsBegin[a];
          if (p < 0 || p >= inShape[a]) { inside = false; break; }
          off = off * inShape[a] + p;
        }
        col[d++] = inside ? x[plane + off] : 0;
        for (let a = r - 1; a >= 0; a--) { if (++oIdx[a] < win.outShape[a]) break; oIdx[a] = 0; }
      }
      for (let a = r - 1; a >= 0; a--) { if (++kIdx[a] < win.kernel[a]) break; kIdx[a] = 0; }
    }
  }
}

/**
 * Scatter-adds col [C·Πk, Πin] into y[yOff..] of shape [C, ...outShape] (the adjoint of im2col,
 * where `inShape` is the small side and `win.outShape` the number of window positions = inShape).
 */
export function col2imNd(
  col: Floats, C: number, imageShape: readonly number[], win: Window, y: Floats, yOff: number,
): void {
  const r = imageShape.length;
  const kSize = win.kernel.reduce((a, b) => a * b, 1);
  const oSize = win.outShape.reduce((a, b) => a * b, 1);
  const iSize = imageShape.reduce((a, b) => a * b, 1);
  const kIdx = new Array<number>(r).fill(0);
  const oIdx = new Array<number>(r).fill(0);
  let d = 0;
  for (let c = 0; c < C; c++) {
    const plane = yOff + c * iSize;
    kIdx.fill(0);
    for (let k = 0; k < kSize; k++) {
      oIdx.fill(0);
      for (let o = 0; o < oSize; o++) {
        let off = 0;
        let inside = true;
        for (let a = 0; a < r; a++) {
          const p = oIdx[a] * win.strides[a] + kIdx[a] * win.dilations[a] - win.padsBegin[a];
          if (p < 0 || p >= imageShape[a]) { inside = false; break; }
          off = off * imageShape[a] + p;
        }
        if (inside) y[plane + off] += col[d];
        d++;
        for (let a = r - 1; a >= 0; a--) { if (++oIdx[a] < win.outShape[a]) break; oIdx[a] = 0; }
      }
      for (let a = r - 1; a >= 0; a--) { if (++kIdx[a] < win.kernel[a]) break; kIdx[a] = 0; }
    }
  }
}
