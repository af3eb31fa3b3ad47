// The GEMM kernel, Gemm, FusedGemm, MatMul and Einsum against naive triple loops on random
// shapes (odd sizes, transposes, broadcasting, 1-D operands, diagonals, ellipses).

import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { setGemmSimd, sgemm } from '../../src/runtime/kernels/gemm';
import { wasmGemm } from '../../src/runtime/kernels/gemm-wasm';
import { einsum } from '../../src/runtime/ops/nn/einsum';
import { fusedGemm } from '../../src/runtime/ops/nn/fused-gemm';
import { gemm } from '../../src/runtime/ops/nn/gemm';
import { matMul } from '../../src/runtime/ops/nn/matmul';
import { Tensor } from '../../src/runtime/tensor';
import { assertClose, attr, randTensor, rng, runOp, tensor } from '../helpers/fake-context-nn';

/** C = alpha·op(A)·op(B) + beta·C, naive. */
function naiveGemm(ta: boolean, tb: boolean, M: number, N: number, K: number, alpha: number, A: ArrayLike<number>, B: ArrayLike<number>, beta: number, C: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (ta ? A[k * M + i] : A[i * K + k]) * (tb ? B[j * K + k] : B[k * N + j]);
      out.push(alpha * s + beta * C[i * N + j]);
    }
  }
  return out;
}

describe('nn kernels: sgemm', () => {
  after(() => setGemmSimd(true));

  it('has the WebAssembly SIMD kernel available under Node', () => {
    assert.ok(wasmGemm(), 'WebAssembly SIMD should validate on Node >= 20');
  });

  for (const simd of [true, false]) {
    it(`matches naive loops across block edges, transposes, alpha/beta and strided views (${simd ? 'SIMD' : 'JS'} path)`, () => {
      setGemmSimd(simd);
      checkSgemm();
    });
  }
});

function checkSgemm(): void {
  {
    const r = rng(5);
    const sizes = [[1, 1, 1], [3, 5, 7], [4, 8, 256], [5, 9, 257], [65, 70, 300], [130, 513, 33], [64, 8, 1], [2, 600, 3]];
    for (const [M, N, K] of sizes) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const A = Float32Array.from({ length: M * K }, () => r.next() - 0.5);
          const B = Float32Array.from({ length: K * N }, () => r.next() - 0.5);
          const C = Float32Array.from({ length: M * N }, () => r.next() - 0.5);
          const want = naiveGemm(ta, tb, M, N, K, 0.75, A, B, 0.5, C);
          const got = C.slice();
          sgemm(ta, tb, M, N, K, 0.75, A, 0, ta ? M : K, B, 0, tb ? K : N, 0.5, got, 0, N);
          for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-4 * (1 + Math.abs(want[i])), `${M}x${N}x${K} ${ta} ${tb} at ${i}`);
        }
      }
    }
    // beta = 0 ignores NaN already in C; a sub-matrix view with offsets and leading dimensions.
    const A = new Float32Array([9, 1, 2, 9, 3, 4]);
    const C = new Float32Array([NaN, NaN, NaN, NaN, 7]);
    sgemm(false, false, 2, 2, 2, 1, A, 1, 3, new Float32Array([1, 0, 0, 1]), 0, 2, 0, C, 0, 2);
    assert.deepEqual(Array.from(C), [1, 2, 3, 4, 7]);
    // A large product with Inf/NaN operands propagates them (no zero-skipping shortcuts).
    const M = 40, N = 40, K = 40;
    const X = new Float32Array(M * K).fill(1);
    const Y = new Float32Array(K * N).fill(0);
    X[5] = Infinity;
    const Z = new Float32Array(M * N);
    sgemm(false, false, M, N, K, 1, X, 0, K, Y, 0, N, 0, Z, 0, N);
    assert.ok(Number.isNaN(Z[0]) && Z[N] === 0, 'Inf·0 must give NaN in row 0 only');
  }
}

describe('nn ops: Gemm / FusedGemm', () => {
  it('matches naive loops for transposes, alpha, beta and every C broadcast shape', () => {
    const r = rng(8);
    for (let t = 0; t < 40; t++) {
      const M = r.int(1, 20), N = r.int(1, 20), K = r.int(1, 20);
      const ta = r.next() < 0.5, tb = r.next() < 0.5;
      const alpha = r.next() * 2, beta = r.next() * 2;
      const A = randTensor(r, ta ? [K, M] : [M, K]);
      const B = randTensor(r, tb ? [N, K] : [K, N]);
      const cShapes = [[M, N], [N], [1, N], [M, 1], [1], [], [1, 1]];
      const cs = cShapes[t % cShapes.length];
      const C = randTensor(r, cs);
      const full: number[] = [];
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
          const ci = cs.length === 2 ? (cs[0] === 1 ? 0 : i) * cs[1] + (cs[1] === 1 ? 0 : j) : cs.length === 1 && cs[0] === N ? j : 0;
          full.push(Number(C.data[ci]));
        }
      }
      const want = naiveGemm(ta, tb, M, N, K, alpha, A.data as Float32Array, B.data as Float32Array, beta, full);
      const attrs = [attr.int('transA', ta ? 1 : 0), attr.int('transB', tb ? 1 : 0), attr.float('alpha', alpha), attr.float('beta', beta)];
      assertClose(runOp(gemm, [A, B, C], attrs)[0], [M, N], want, 1e-4, 1e-5, `gemm ${t}`);
      const act = runOp(fusedGemm, [A, B, C], [...attrs, attr.str('activation', 'LeakyRelu'), attr.float('activation_alpha', 0.2)])[0];
      assertClose(act, [M, N], want.map((v) => (v < 0 ? 0.2 * v : v)), 1e-4, 1e-5, `fused ${t}`);
    }
    const A = tensor([2, 2], [1, 2, 3, 4]);
    assertClose(runOp(gemm, [A, A])[0], [2, 2], [7, 10, 15, 22]);
    assert.throws(() => runOp(gemm, [A, tensor([3, 2], [1, 2, 3, 4, 5, 6])]), /Gemm node 'test_Gemm': inner dimensions differ/);
    assert.throws(() => runOp(gemm, [A, A, tensor([3], [1, 2, 3])]), /cannot broadcast/);
    assert.throws(() => runOp(fusedGemm, [A, A], [attr.str('activation', 'ScaledTanh')]), /needs attribute activation_alpha/);
    assert.throws(() => runOp(fusedGemm, [A, A], [attr.str('activation', 'LeakyRelu')]), /needs attribute activation_alpha/);
    const sel = runOp(fusedGemm, [A, tensor([2, 2], [-1, 0, 0, 1])],
      [attr.str('activation', 'Selu'), attr.float('activation_alpha', 1.5), attr.float('activation_gamma', 1.25)])[0];
    const selu = (v: number): number => (v > 0 ? 1.25 * v : 1.25 * 1.5 * (Math.exp(v) - 1));
    assertClose(sel, [2, 2], [-1, 2, -3, 4].map(selu), 1e-5);
  });
});

/** numpy-style matmul, naive. */
function naiveMatMul(A: Tensor, B: Tensor): { shape: number[]; data: number[] } {
  const a = A.shape.length === 1 ? [1, A.shape[0]] : [...A.shape];
  const b = B.shape.length === 1 ? [B.shape[0], 1] : [...B.shape];
  const M = a[a.length - 2], K = a[a.length - 1], N = b[b.length - 1];
  const ab = a.slice(0, -2), bb = b.slice(0, -2);
  const r = Math.max(ab.length, bb.length);
  const pa = [...new Array<number>(r - ab.length).fill(1), ...ab];
  const pb = [...new Array<number>(r - bb.length).fill(1), ...bb];
  const batch = pa.map((v, i) => Math.max(v, pb[i]));
  const nb = batch.reduce((x, y) => x * y, 1);
  const data: number[] = [];
  for (let t = 0; t < nb; t++) {
    const idx = batch.map((_, i) => Math.floor(t / batch.slice(i + 1).reduce((x, y) => x * y, 1)) % batch[i]);
    const ao = idx.reduce((o, v, i) => o * pa[i] + (pa[i] === 1 ? 0 : v), 0) * M * K;
    const bo = idx.reduce((o, v, i) => o * pb[i] + (pb[i] === 1 ? 0 : v), 0) * K * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += Number(A.data[ao + i * K + k]) * Number(B.data[bo + k * N + j]);
        data.push(s);
      }
    }
  }
  const shape = [...batch];
  if (A.shape.length > 1) shape.push(M);
  if (B.shape.length > 1) shape.push(N);
  return { shape, data };
}

describe('nn ops: MatMul', () => {
  it('matches numpy semantics on 80 random shapes (1-D operands, batch broadcasting)', () => {
    const r = rng(21);
    for (let t = 0; t < 80; t++) {
      const M = r.int(1, 9), K = r.int(1, 40), N = r.int(1, 9);
      const ra = r.int(1, 4), rb = r.int(1, 4);
      const batch = Array.from({ length: 2 }, () => r.int(1, 3));
      const pick = (n: number): number[] => batch.slice(2 - n).map((v) => (r.next() < 0.3 ? 1 : v));
      const aS = ra === 1 ? [K] : [...pick(ra - 2), M, K];
      const bS = rb === 1 ? [K] : [...pick(rb - 2), K, N];
      const dtype = t % 4 === 0 ? DataType.DOUBLE : DataType.FLOAT;
      const A = randTensor(r, aS, dtype), B = randTensor(r, bS, dtype);
      const want = naiveMatMul(A, B);
      assertClose(runOp(matMul, [A, B])[0], want.shape, want.data, 1e-4, 1e-5, `case ${t} ${aS} x ${bS}`);
    }
  });

  it('computes integer products exactly with wrap-around', () => {
    const A = tensor([1, 2], [2 ** 20, 3], DataType.INT32);
    const B = tensor([2, 1], [2 ** 12, 5], DataType.INT32);
    assert.deepEqual(Array.from(runOp(matMul, [A, B])[0].data as Int32Array), [15]);
    const A64 = tensor([1, 2], [2 ** 40, 1], DataType.INT64);
    const B64 = tensor([2, 1], [2 ** 10, 7], DataType.INT64);
    assert.deepEqual(Array.from(runOp(matMul, [A64, B64])[0].data as BigInt64Array), [2n ** 50n + 7n]);
    assert.throws(() => runOp(matMul, [tensor([2, 3], [1, 2, 3, 4, 5, 6]), tensor([2, 3], [1, 2, 3, 4, 5, 6])]), /inner dimensions differ/);
  });
});

describe('nn ops: Einsum', () => {
  const r = rng(77);
  const run = (eq: string, ...ts: Tensor[]): Tensor => runOp(einsum, ts, [attr.str('equation', eq)])[0];

  it('contracts like matmul, batched matmul and broadcast ellipsis matmul (GEMM path and loop path)', () => {
    for (const [m, k, n] of [[3, 4, 5], [30, 40, 50]]) {
      const A = randTensor(r, [2, m, k], DataType.DOUBLE), B = randTensor(r, [2, k, n], DataType.DOUBLE);
      const want = naiveMatMul(A, B);
      assertClose(run('bij,bjk->bik', A, B), want.shape, want.data, 1e-10, 1e-10, 'bmm');
      assertClose(run('...ij,...jk', A, B), want.shape, want.data, 1e-10, 1e-10, 'ellipsis');
      const B1 = randTensor(r, [1, k, n], DataType.DOUBLE);
      const w1 = naiveMatMul(A, B1);
      assertClose(run('...ij,...jk->...ik', A, B1), w1.shape, w1.data, 1e-10, 1e-10, 'broadcast');
      // Transposed output order: bik -> kib.
      const t = run('bij,bjk->kib', A, B);
      assert.deepEqual([...t.shape], [n, m, 2]);
      for (let b = 0; b < 2; b++) for (let i = 0; i < m; i++) for (let q = 0; q < n; q++) {
        assert.ok(Math.abs(Number(t.data[(q * m + i) * 2 + b]) - want.data[(b * m + i) * n + q]) < 1e-10);
      }
    }
  });

  it('handles diagonals, sums, transposes, implicit output and scalars', () => {
    const M = tensor([3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9], DataType.DOUBLE);
    assertClose(run('ii->i', M), [3], [1, 5, 9]);
    assertClose(run('ii', M), [], [15]);
    assertClose(run('ij->ji', M), [3, 3], [1, 4, 7, 2, 5, 8, 3, 6, 9]);
    assertClose(run('ij', M), [3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assertClose(run('ji', M), [3, 3], [1, 4, 7, 2, 5, 8, 3, 6, 9]);
    assertClose(run('ij->', M), [], [45]);
    assertClose(run('ij->j', M), [3], [12, 15, 18]);
    const v = tensor([3], [1, 2, 3], DataType.DOUBLE);
    assertClose(run('i,i', v, v), [], [14]);
    assertClose(run('i,j->ij', v, v), [3, 3], [1, 2, 3, 2, 4, 6, 3, 6, 9]);
    assertClose(run('ij,j->i', M, v), [3], [14, 32, 50]);
    assertClose(run('ij,jk,kl->il', M, M, M), [3, 3], naiveMatMul(M, { ...M, data: Float64Array.from(naiveMatMul(M, M).data) }).data);
    const s = tensor([], [2], DataType.DOUBLE);
    assertClose(run(',->', s, s), [], [4]);
    const D = randTensor(r, [2, 3, 3], DataType.DOUBLE);
    const diag = run('...ii->...i', D);
    assertClose(diag, [2, 3], [0, 4, 8, 9, 13, 17].map((i) => Number(D.data[i])), 1e-12);
  });

  it('rejects malformed equations and mismatched operands', () => {
    const M = tensor([2, 2], [1, 2, 3, 4]);
    assert.throws(() => run('ij,jk', M), /2 input terms but the node has 1 inputs/);
    assert.throws(() => run('ijk', M), /does not match term/);
    assert.throws(() => run('i1', M), /invalid character/);
    assert.throws(() => run('ij,jk->ix', M, M), /output label 'x'/);
    assert.throws(() => run('ij,jk', M, tensor([3, 2], [1, 2, 3, 4, 5, 6])), /label 'j' has sizes 2 and 3/);
  });
});
