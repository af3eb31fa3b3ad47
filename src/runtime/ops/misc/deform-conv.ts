// DeformConv (opsets 19, 22), 2-D: convolution whose kernel taps are shifted by learned offsets
// (bilinear samples, zero outside the image) and optionally scaled by a mask, with groups,
// offset groups, strides, dilations, pads and bias. Built as a sampled im2col plus GEMM.

import { gemm } from '../../kernels/gemm';
import { OpDef } from '../../op';
import { floatData, intAttr, intsAttr, need, nodeError, shapeStr } from '../nn/attrs';
import { unsupported } from '../../errors';

/** DeformConv attributes as written. */
interface DeformAttrs { dilations?: number[]; group: number; kernelShape?: number[]; offsetGroup: number; pads?: number[]; strides?: number[] }

function def(since: number): OpDef<DeformAttrs> {
  return {
    domain: '', opType: 'DeformConv', since,
    parse(ctx) {
      const n = ctx.node;
      const a = {
        dilations: intsAttr(n, 'dilations'), group: intAttr(n, 'group', 1), kernelShape: intsAttr(n, 'kernel_shape'),
        offsetGroup: intAttr(n, 'offset_group', 1), pads: intsAttr(n, 'pads'), strides: intsAttr(n, 'strides'),
      };
      if (a.group < 1 || a.offsetGroup < 1) throw nodeError(n, 'group and offset_group must be >= 1');
      return a;
    },
    run(inputs, a, ctx) {
      const node = ctx.node;
      const X = need(node, inputs, 0, 'X');
      const Wt = need(node, inputs, 1, 'W');
      const O = need(node, inputs, 2, 'offset');
      const xd = floatData(node, X, 'X');
      const wd = floatData(node, Wt, 'W');
      const od = floatData(node, O, 'offset');
      if (Wt.dtype !== X.dtype || O.dtype !== X.dtype) throw nodeError(node, 'X, W and offset must have the same dtype');
      if (X.shape.length !== 4) throw unsupported(nodeError(node, `only 2-D DeformConv is supported; X has shape ${shapeStr(X.shape)}`));
      const [N, C, H, W] = X.shape;
      if (Wt.shape.length !== 4) throw nodeError(node, `W must be 4-D, got ${shapeStr(Wt.shape)}`);
      const [M, Cg, kH, kW] = Wt.shape;
      const G = a.group;
      const OG = a.offsetGroup;
      if (Cg * G !== C || M % G !== 0 || C % OG !== 0) throw nodeError(node, `X ${shapeStr(X.shape)}, W ${shapeStr(Wt.shape)}, group ${G}, offset_group ${OG} are inconsistent`);
      if (a.kernelShape && (a.kernelShape[0] !== kH || a.kernelShape[1] !== kW)) throw nodeError(node, 'kernel_shape does not match W');
      const [dH, dW] = a.dilations ?? [1, 1];
      const [sH, sW] = a.strides ?? [1, 1];
      const [pT, pL, pB, pR] = a.pads ?? [0, 0, 0, 0];
      const oH = Math.floor((H + pT + pB - ((kH - 1) * dH + 1)) / sH) + 1;
      const oW = Math.floor((W + pL + pR - ((kW - 1) * dW + 1)) / sW) + 1;
      const K = kH * kW;
      if (O.shape.length !== 4 || O.shape[0] !== N || O.shape[1] !== OG * 2 * K || O.shape[2] !== oH || O.shape[3] !== oW) {
        throw nodeError(node, `offset ${shapeStr(O.shape)} must be [${N},${OG * 2 * K},${oH},${oW}]`);
      }
      const B = inputs[3];
      const bd = B ? floatData(node, B, 'B') : undefined;
      if (bd && bd.length !== M) throw nodeError(node, `B must have ${M} entries`);
      const Mk = inputs[4];
      const md = Mk ? floatData(node, Mk, 'mask') : undefined;
      if (Mk && (Mk.shape.length !== 4 || Mk.shape[1] !== OG * K || Mk.shape[2] !== oH || Mk.shape[3] !== oW || Mk.shape[0] !== N)) {
        throw nodeError(node, `mask ${shapeStr(Mk.shape)} must be [${N},${OG * K},${oH},${oW}]`);
      }
      const P = oH * oW;
      const shape = [N, M, oH, oW];
      const y = ctx.alloc(X.dtype, shape) as Float32Array | Float64Array;
      const col = xd instanceof Float64Array ? new Float64Array(Cg * K * P) : new Float32Array(Cg * K * P);
      const cPerOg = C / OG;
      const Mg = M / G;
      for (let n = 0; n < N; n++) {
        for (let g = 0; g < G; g++) {
          for (let cl = 0; cl < Cg; cl++) {
            const c = g * Cg + cl;
            const og = Math.floor(c / cPerOg);
            const xb = (n * C + c) * H * W;
            for (let k = 0; k < K; k++) {
              const kh = Math.floor(k / kW);
              const kw = k % kW;
              const offH = ((n * OG * 2 * K) + og * 2 * K + 2 * k) * P;
              const offW = offH + P;
              const mo = ((n * OG * K) + og * K + k) * P;
              const row = (cl * K + k) * P;
              for (let oh = 0; oh < oH; oh++) {
                for (let ow = 0; ow < oW; ow++) {
                  const p = oh * oW + ow;
                  const h = oh * sH - pT + kh * dH + od[offH + p];
                  const w = ow * sW - pL + kw * dW + od[offW + p];
                  const h0 = Math.floor(h);
                  const w0 = Math.floor(w);
                  const lh = h - h0;
                  const lw = w - w0;
                  let v = 0;
                  if (h0 >= 0 && h0 < H && w0 >= 0 && w0 < W) v += (1 - lh) * (1 - lw) * xd[xb + h0 * W + w0];
                  if (h0 >= 0 && h0 < H && w0 + 1 >= 0 && w0 + 1 < W) v += (1 - lh) * lw * xd[xb + h0 * W + w0 + 1];
                  if (h0 + 1 >= 0 && h0 + 1 < H && w0 >= 0 && w0 < W) v += lh * (1 - lw) * xd[xb + (h0 + 1) * W + w0];
                  if (h0 + 1 >= 0 && h0 + 1 < H && w0 + 1 >= 0 && w0 + 1 < W) v += lh * lw * xd[xb + (h0 + 1) * W + w0 + 1];
                  col[row + p] = md ? v * md[mo + p] : v;
                }
              }
            }
          }
          const yo = (n * M + g * Mg) * P;
          if (bd) for (let m = 0; m < Mg; m++) y.fill(bd[g * Mg + m], yo + m * P, yo + (m + 1) * P);
          gemm(false, false, Mg, P, Cg * K, 1, wd, g * Mg * Cg * K, Cg * K, col, 0, P, bd ? 1 : 0, y, yo, P);
        }
      }
      return [{ dtype: X.dtype, shape, data: y }];
    },
  };
}

/** DeformConv 19 and 22. */
export const deformConvOps = [def(19), def(22)];
