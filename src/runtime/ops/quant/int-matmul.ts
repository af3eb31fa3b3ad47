// Exact integer matrix product shared by MatMulInteger and QLinearMatMul: (A − a_zp)·(B − b_zp)
// with numpy matmul shapes (1-D promotion, broadcast batch dimensions), per-tensor or per-row
// (A) / per-column (B) zero points, accumulated in float64 (exact below 2^53).

import { Node } from '../../../onnx/ir';
import { dgemm } from '../../kernels/gemm';
import { sizeOf, Tensor } from '../../tensor';
import { nodeError, realValues, shapeStr } from './common';

/** The product: output shape, row count M, column count N and the accumulators. */
export interface IntProduct { shape: number[]; M: number; N: number; acc: Float64Array }

/** Shifts values by a per-tensor (length 1) or per-`axis`-index zero point into a float64 copy. */
function shifted(node: Node, t: Tensor, zp: ArrayLike<number> | undefined, rows: number, cols: number, perRow: boolean, what: string): Float64Array {
  const v = realValues(node, t, what);
  const out = new Float64Array(v.length);
  if (!zp) {
    for (let i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  }
  const per = perRow ? rows : cols;
  if (zp.length !== 1 && zp.length !== per) {
    throw nodeError(node, `the zero point of ${what} has ${zp.length} entries; it must have 1 or ${per} (per ${perRow ? 'row' : 'column'})`);
  }
  const plane = rows * cols;
  for (let i = 0; i < v.length; i++) {
    const w = i % plane;
    const k = zp.length === 1 ? 0 : perRow ? Math.floor(w / cols) : w % cols;
    out[i] = v[i] - zp[k];
  }
  return out;
}

/** Computes (A − aZp)·(B − bZp) exactly; zero points are per tensor, per row of A, per column of B. */
export function intMatMul(node: Node, A: Tensor, B: Tensor, aZp: ArrayLike<number> | undefined, bZp: ArrayLike<number> | undefined): IntProduct {
  const as = A.shape.length === 1 ? [1, A.shape[0]] : A.shape.slice();
  const bs = B.shape.length === 1 ? [B.shape[0], 1] : B.shape.slice();
  if (as.length < 2 || bs.length < 2) throw nodeError(node, `inputs must be at least 1-D, got ${shapeStr(A.shape)} and ${shapeStr(B.shape)}`);
  const M = as[as.length - 2];
  const K = as[as.length - 1];
  const N = bs[bs.length - 1];
  if (bs[bs.length - 2] !== K) throw nodeError(node, `inner dimensions differ: A ${shapeStr(A.shape)}, B ${shapeStr(B.shape)}`);
  const ab = as.slice(0, -2);
  const bb = bs.slice(0, -2);
  const r = Math.max(ab.length, bb.length);
  const batch: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = ab[i - r + ab.length] ?? 1;
    const y = bb[i - r + bb.length] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw nodeError(node, `batch dimensions of A ${shapeStr(A.shape)} and B ${shapeStr(B.shape)} do not broadcast`);
    batch.push(x === 1 ? y : x);
  }
  const a = shifted(node, A, aZp, M, K, true, 'A');
  const b = shifted(node, B, bZp, K, N, false, 'B');
  const nb = sizeOf(batch);
  const acc = new Float64Array(nb * M * N);
  const idx = new Array<number>(r).fill(0);
  for (let t = 0; t < nb; t++) {
    let ao = 0;
    let bo = 0;
    let am = 1;
    let bm = 1;
    for (let i = r - 1; i >= 0; i--) {
      const x = ab[i - r + ab.length] ?? 1;
      const y = bb[i - r + bb.length] ?? 1;
      if (x !== 1) ao += idx[i] * am;
      if (y !== 1) bo += idx[i] * bm;
      am *= x;
      bm *= y;
    }
    dgemm(false, false, M, N, K, 1, a, ao * M * K, K, b, bo * K * N, N, 0, acc, t * M * N, N);
    for (let i = r - 1; i >= 0; i--) {
      if (++idx[i] < batch[i]) break;
      idx[i] = 0;
    }
  }
  const shape = [...batch];
  if (A.shape.length !== 1) shape.push(M);
  if (B.shape.length !== 1) shape.push(N);
  return { shape, M, N, acc };
}
