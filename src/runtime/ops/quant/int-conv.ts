// Exact integer convolution shared by ConvInteger and QLinearConv: (X − x_zp) ⊛ (W − w_zp) with
// groups, strides, dilations and pads (padding reads as the zero point, i.e. 0 after the shift),
// through im2col and a float64 GEMM (exact below 2^53).

import { Node } from '../../../onnx/ir';
import { dgemm } from '../../kernels/gemm';
import { im2colNd } from '../../kernels/im2col';
import { sizeOf, Tensor } from '../../tensor';
import { ConvAttrs, resolveConv } from '../nn/conv-attrs';
import { nodeError, realValues, shapeStr } from './common';

/** The convolution result: output shape [N, M, ...out] and float64 accumulators. */
export interface IntConvResult { shape: number[]; acc: Float64Array; M: number; spatial: number }

/** Computes the shifted integer convolution; xZp is per tensor, wZp per tensor or per output channel. */
export function intConv(node: Node, x: Tensor, xZp: ArrayLike<number> | undefined, w: Tensor, wZp: ArrayLike<number> | undefined, a: ConvAttrs): IntConvResult {
  if (x.shape.length < 3) throw nodeError(node, `input x has shape ${shapeStr(x.shape)}; it needs [N, C, spatial...]`);
  const win = resolveConv(node, a, x.shape, w.shape);
  const [N, C] = x.shape;
  const M = w.shape[0];
  if (xZp && xZp.length !== 1) throw nodeError(node, `x_zero_point must be a single value, got ${xZp.length}`);
  if (wZp && wZp.length !== 1 && wZp.length !== M) throw nodeError(node, `w_zero_point must have 1 or ${M} (output channels) entries, got ${wZp.length}`);
  const xv = realValues(node, x, 'x');
  const wv = realValues(node, w, 'w');
  const xs = new Float64Array(xv.length);
  const xz = xZp ? xZp[0] : 0;
  for (let i = 0; i < xv.length; i++) xs[i] = xv[i] - xz;
  const ws = new Float64Array(wv.length);
  const per = wv.length / M;
  for (let m = 0; m < M; m++) {
    const z = wZp ? wZp[wZp.length === 1 ? 0 : m] : 0;
    for (let k = 0; k < per; k++) ws[m * per + k] = wv[m * per + k] - z;
  }
  const inShape = x.shape.slice(2);
  const inSize = sizeOf(inShape);
  const outSize = sizeOf(win.outShape);
  const G = a.group;
  const Cg = C / G;
  const Mg = M / G;
  const K = Cg * sizeOf(win.kernel);
  const col = new Float64Array(K * outSize);
  const acc = new Float64Array(N * M * outSize);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < G; g++) {
      im2colNd(xs, (n * C + g * Cg) * inSize, Cg, inShape, win, col);
      dgemm(false, false, Mg, outSize, K, 1, ws, g * Mg * K, K, col, 0, outSize, 0, acc, (n * M + g * Mg) * outSize, outSize);
    }
  }
  return { shape: [N, M, ...win.outShape], acc, M, spatial: outSize };
}
