// Pooling kernels (max with argmax, average, Lp) over up to 3 spatial axes: lower ranks are
// lifted to 3-D with unit axes. Per-axis tables give the valid kernel range of each output
// position, so the inner loops carry no bounds checks.

import { Window } from './window';

/** Pooling flavours. */
export type PoolKind = 'max' | 'avg' | 'lp';

type Num = Float32Array | Float64Array | Int8Array | Uint8Array;

/** Per-axis kernel ranges: for output o, kernel taps [lo[o], hi[o]) read inside the input, and
 * [loP[o], hiP[o]) lie inside the padded extent (for count_include_pad). */
interface AxisTable { lo: Int32Array; hi: Int32Array; loP: Int32Array; hiP: Int32Array }

function axisTable(inp: number, k: number, s: number, d: number, pb: number, pe: number, out: number): AxisTable {
  const t = { lo: new Int32Array(out), hi: new Int32Array(out), loP: new Int32Array(out), hiP: new Int32Array(out) };
  for (let o = 0; o < out; o++) {
    const start = o * s - pb;
    let lo = k, hi = 0, loP = k, hiP = 0;
    for (let j = 0; j < k; j++) {
      const p = start + j * d;
      if (p >= 0 && p < inp) { if (j < lo) lo = j; hi = j + 1; }
      if (p >= -pb && p < inp + pe) { if (j < loP) loP = j; hiP = j + 1; }
    }
    t.lo[o] = lo; t.hi[o] = Math.max(lo, hi); t.loP[o] = loP; t.hiP[o] = Math.max(loP, hiP);
  }
  return t;
}

/** Options of one pooling call. */
export interface PoolOptions {
  kind: PoolKind;
  countIncludePad: boolean;
  p: number;
  /** Receives flat argmax indices (max only), or undefined. */
  indices?: BigInt64Array;
  /** Column-major spatial index order for `indices` (storage_order = 1). */
  columnMajor: boolean;
}

/**
 * Pools x [N, C, ...in] (spatial rank 1–3) into y [N, C, ...win.outShape].
 */
export function pool(x: Num, xShape: readonly number[], win: Window, y: Num, opt: PoolOptions): void {
  const r = xShape.length - 2;
  const lift = (v: readonly number[], fill: number): number[] => [...new Array<number>(3 - r).fill(fill), ...v];
  const [D, H, W] = lift(xShape.slice(2), 1);
  const [kD, kH, kW] = lift(win.kernel, 1);
  const [sD, sH, sW] = lift(win.strides, 1);
  const [dD, dH, dW] = lift(win.dilations, 1);
  const [bD, bH, bW] = lift(win.padsBegin, 0);
  const [eD, eH, eW] = lift(win.padsEnd, 0);
  const [oD, oH, oW] = lift(win.outShape, 1);
  const tD = axisTable(D, kD, sD, dD, bD, eD, oD);
  const tH = axisTable(H, kH, sH, dH, bH, eH, oH);
  const tW = axisTable(W, kW, sW, dW, bW, eW, oW);
  const planes = xShape[0] * xShape[1];
  const inSize = D * H * W;
  const { kind, p, indices, columnMajor } = opt;
  if (kind === 'max' && !indices) {
    maxNoIndices(x, y, planes, inSize, H, W, oD, oH, oW, sD, sH, sW, dD, dH, dW, bD, bH, bW, tD, tH, tW);
    return;
  }
  let yi = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * inSize;
    for (let od = 0; od < oD; od++) {
      const d0 = od * sD - bD;
      const kdLo = tD.lo[od], kdHi = tD.hi[od];
      for (let oh = 0; oh < oH; oh++) {
        const h0 = oh * sH - bH;
        const khLo = tH.lo[oh], khHi = tH.hi[oh];
        for (let ow = 0; ow < oW; ow++) {
          const w0 = ow * sW - bW;
          const kwLo = tW.lo[ow], kwHi = tW.hi[ow];
          if (kind === 'max') {
            let best = -Infinity;
            let bestAt = -1;
            for (let kd = kdLo; kd < kdHi; kd++) {
              const dd = d0 + kd * dD;
              for (let kh = khLo; kh < khHi; kh++) {
                const hh = h0 + kh * dH;
                const row = base + (dd * H + hh) * W;
                for (let kw = kwLo; kw < kwHi; kw++) {
                  const ww = w0 + kw * dW;
                  const v = x[row + ww];
                  if (v > best || bestAt < 0) {
                    best = v;
                    bestAt = columnMajor ? base + dd + hh * D + ww * D * H : row + ww;
                  }
                }
              }
            }
            y[yi] = best;
            if (indices) indices[yi] = BigInt(bestAt);
          } else {
            let s = 0;
            let cnt = 0;
            for (let kd = kdLo; kd < kdHi; kd++) {
              const dd = d0 + kd * dD;
              for (let kh = khLo; kh < khHi; kh++) {
                const row = base + (dd * H + h0 + kh * dH) * W;
                for (let kw = kwLo; kw < kwHi; kw++) {
                  const v = x[row + w0 + kw * dW];
                  s += kind === 'lp' ? Math.pow(Math.abs(v), p) : v;
                }
                cnt += kwHi - kwLo;
              }
            }
            if (kind === 'lp') y[yi] = Math.pow(s, 1 / p);
            else {
              if (opt.countIncludePad) {
                cnt = (tD.hiP[od] - tD.loP[od]) * (tH.hiP[oh] - tH.loP[oh]) * (tW.hiP[ow] - tW.loP[ow]);
              }
              y[yi] = s / cnt;
            }
          }
          yi++;
        }
      }
    }
  }
}

/** Max pooling without argmax: the hot path of CNN inference. */
function maxNoIndices(
  x: Num, y: Num, planes: number, inSize: number, H: number, W: number,
  oD: number, oH: number, oW: number, sD: number, sH: number, sW: number,
  dD: number, dH: number, dW: number, bD: number, bH: number, bW: number,
  tD: AxisTable, tH: AxisTable, tW: AxisTable,
): void {
  let yi = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * inSize;
    for (let od = 0; od < oD; od++) {
      const d0 = od * sD - bD;
      const kdLo = tD.lo[od], kdHi = tD.hi[od];
      for (let oh = 0; oh < oH; oh++) {
        const h0 = oh * sH - bH;
        const khLo = tH.lo[oh], khHi = tH.hi[oh];
        for (let ow = 0; ow < oW; ow++) {
          const w0 = ow * sW - bW;
          const kwLo = tW.lo[ow], kwHi = tW.hi[ow];
          let best = -Infinity;
          for (let kd = kdLo; kd < kdHi; kd++) {
            for (let kh = khLo; kh < khHi; kh++) {
              const row = base + ((d0 + kd * dD) * H + h0 + kh * dH) * W + w0;
              for (let kw = kwLo; kw < kwHi; kw++) {
                const v = x[row + kw * dW];
                if (v > best) best = v;
              }
            }
          }
          y[yi++] = best;
        }
      }
    }
  }
}

/** Global pooling of x [N, C, ...] into y [N, C] (one value per plane): max, avg or Lp-norm. */
export function globalPool(x: Num, planes: number, size: number, y: Num, kind: PoolKind, p: number): void {
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * size;
    if (kind === 'max') {
      let m = -Infinity;
      for (let i = 0; i < size; i++) if (x[base + i] > m) m = x[base + i];
      y[pl] = m;
    } else if (kind === 'avg') {
      let s = 0;
      for (let i = 0; i < size; i++) s += x[base + i];
      y[pl] = s / size;
    } else {
      let s = 0;
      for (let i = 0; i < size; i++) s += Math.pow(Math.abs(x[base + i]), p);
      y[pl] = Math.pow(s, 1 / p);
    }
  }
}
