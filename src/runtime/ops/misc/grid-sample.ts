// GridSample (opsets 16, 20, 22): samples X [N, C, D1..Dr] at the normalized grid locations
// [N, O1..Or, r] with nearest / (bi)linear / (bi)cubic interpolation and zeros / border /
// reflection padding, as ONNX's reference does (coordinates adjusted before interpolation,
// neighbours looked up with the padding rule). Opset 16 is 4-D only with the 'bi*' mode names.

import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { floatData, intAttr, need, nodeError, shapeStr, stringAttr } from '../nn/attrs';
import { unsupported } from '../../errors';

/** GridSample attributes: mode 0 nearest, 1 linear, 2 cubic; padding 0 zeros, 1 border, 2 reflection. */
interface GridAttrs { mode: 0 | 1 | 2; padding: 0 | 1 | 2; alignCorners: boolean; ndOk: boolean }

/** Reflects x into [lo, hi] by the nearer border until inside. */
function reflect(x: number, lo: number, hi: number): number {
  const rng = hi - lo;
  if (x < lo) {
    const dx = lo - x;
    const n = Math.trunc(dx / rng);
    const r = dx - n * rng;
    return n % 2 === 0 ? lo + r : hi - r;
  }
  if (x > hi) {
    const dx = x - hi;
    const n = Math.trunc(dx / rng);
    const r = dx - n * rng;
    return n % 2 === 0 ? hi - r : lo + r;
  }
  return x;
}

/** The stored index for neighbour i of a dimension of size d, or −1 for a zero (padding) read. */
function padIndex(i: number, d: number, padding: number, lo: number, hi: number): number {
  if (i >= 0 && i < d) return i;
  if (padding === 0) return -1;
  if (padding === 1) return i < 0 ? 0 : d - 1;
  const r = Math.trunc(reflect(i, lo, hi));
  return r < 0 ? 0 : r >= d ? d - 1 : r;
}

/** Keys' cubic convolution weights (A = −0.75) for fractional offset t into w[off..off+4). */
function cubicWeights(t: number, w: Float64Array, off: number): void {
  const A = -0.75;
  const x = Math.abs(t);
  w[off] = ((A * (x + 1) - 5 * A) * (x + 1) + 8 * A) * (x + 1) - 4 * A;
  w[off + 1] = ((A + 2) * x - (A + 3)) * x * x + 1;
  w[off + 2] = ((A + 2) * (1 - x) - (A + 3)) * (1 - x) * (1 - x) + 1;
  w[off + 3] = ((A * (2 - x) - 5 * A) * (2 - x) + 8 * A) * (2 - x) - 4 * A;
}

function def(since: number): OpDef<GridAttrs> {
  return {
    domain: '', opType: 'GridSample', since,
    parse(ctx) {
      const n = ctx.node;
      const names = since < 20 ? ['nearest', 'bilinear', 'bicubic'] : ['nearest', 'linear', 'cubic'];
      const m = stringAttr(n, 'mode', since < 20 ? 'bilinear' : 'linear');
      const mode = names.indexOf(m);
      if (mode < 0) throw nodeError(n, `mode '${m}' is not one of ${names.join(', ')} (opset ${ctx.opset})`);
      const p = stringAttr(n, 'padding_mode', 'zeros');
      const padding = ['zeros', 'border', 'reflection'].indexOf(p);
      if (padding < 0) throw nodeError(n, `padding_mode '${p}' is not zeros, border or reflection`);
      if (mode === 2 && padding === 1) {
        // ONNX's reference clamps out-of-range coordinates before the 4×4 taps; onnxruntime (like
        // PyTorch) clamps each tap only, so results differ near the border. Refuse rather than guess.
        throw unsupported(nodeError(n, 'cubic mode with border padding is not supported (ONNX reference and onnxruntime disagree on it)'));
      }
      return { mode: mode as 0 | 1 | 2, padding: padding as 0 | 1 | 2, alignCorners: intAttr(n, 'align_corners', 0) !== 0, ndOk: since >= 20 };
    },
    run(inputs, a, ctx) {
      const node = ctx.node;
      const X = need(node, inputs, 0, 'X');
      const G = need(node, inputs, 1, 'grid');
      const xd = floatData(node, X, 'X');
      const gd = floatData(node, G, 'grid');
      const r = X.shape.length - 2;
      if (r < 1 || (!a.ndOk && r !== 2)) throw nodeError(node, `X ${shapeStr(X.shape)} must be ${a.ndOk ? '[N, C, spatial...]' : '4-D before opset 20'}`);
      const [N, C] = X.shape;
      const dims = X.shape.slice(2);
      if (G.shape.length !== r + 2 || G.shape[0] !== N || G.shape[r + 1] !== r) {
        throw nodeError(node, `grid ${shapeStr(G.shape)} must be [${N}, out spatial..., ${r}] for X ${shapeStr(X.shape)}`);
      }
      const oDims = G.shape.slice(1, r + 1);
      const P = sizeOf(oDims);
      const shape = [N, C, ...oDims];
      const y = ctx.alloc(X.dtype, shape) as Float32Array | Float64Array;
      const inSize = sizeOf(dims);
      const strides = new Array<number>(r);
      for (let i = r - 1, s = 1; i >= 0; i--) { strides[i] = s; s *= dims[i]; }
      const lo = dims.map(() => (a.alignCorners ? 0 : -0.5));
      const hi = dims.map((d) => (a.alignCorners ? d - 1 : d - 0.5));
      const K = a.mode === 0 ? 1 : a.mode === 1 ? 2 : 4;
      const idx = new Int32Array(r * K);
      const w = new Float64Array(r * K);
      const corner = new Int32Array(r);
      const corners = K ** r;
      for (let n = 0; n < N; n++) {
        for (let p = 0; p < P; p++) {
          const gBase = (n * P + p) * r;
          for (let i = 0; i < r; i++) {
            const g = Math.fround(gd[gBase + (r - 1 - i)]);
            const d = dims[i];
            let x = a.alignCorners ? ((g + 1) / 2) * (d - 1) : ((g + 1) * d - 1) / 2;
            x = Math.fround(x);
            if (a.mode === 0) {
              const rr = Math.round(x);
              x = rr - x === 0.5 && rr % 2 !== 0 ? rr - 1 : rr; // rint
            }
            if (x < lo[i] || x > hi[i]) {
              if (a.padding === 1) x = x < 0 ? 0 : x > d - 1 ? d - 1 : x;
              else if (a.padding === 2) x = reflect(x, lo[i], hi[i]);
            }
            if (a.mode === 0) {
              idx[i] = padIndex(Math.trunc(x), d, a.padding, lo[i], hi[i]);
              w[i] = 1;
            } else {
              const f0 = Math.floor(x);
              const t = x - f0;
              const first = a.mode === 1 ? f0 : f0 - 1;
              for (let k = 0; k < K; k++) idx[i * K + k] = padIndex(first + k, d, a.padding, lo[i], hi[i]);
              if (a.mode === 1) { w[i * K] = 1 - t; w[i * K + 1] = t; } else cubicWeights(t, w, i * K);
            }
          }
          for (let c = 0; c < C; c++) {
            const xBase = (n * C + c) * inSize;
            let acc = 0;
            corner.fill(0);
            for (let q = 0; q < corners; q++) {
              let off = 0;
              let wt = 1;
              for (let i = 0; i < r; i++) {
                const j = idx[i * K + corner[i]];
                if (j < 0) { off = -1; break; }
                off += j * strides[i];
                wt *= w[i * K + corner[i]];
              }
              if (off >= 0) acc += wt * xd[xBase + off];
              for (let i = r - 1; i >= 0; i--) { if (++corner[i] < K) break; corner[i] = 0; }
            }
            y[(n * C + c) * P + p] = acc;
          }
        }
      }
      return [{ dtype: X.dtype, shape, data: y }];
    },
  };
}

/** GridSample 16 (4-D, bilinear/bicubic names), 20 (N-D, linear/cubic), 22. */
export const gridSampleOps = [def(16), def(20), def(22)];
