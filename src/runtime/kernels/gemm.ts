// Matrix multiply kernels: a cache-blocked float32 GEMM (packed panels, 4×8 register-blocked
// micro-kernel, transposes absorbed by packing) whose inner kernel runs as WebAssembly SIMD where
// available (gemm-wasm.ts) and as plain JS otherwise, and a plain float64 GEMM for DOUBLE tensors.
// C = alpha · op(A) · op(B) + beta · C, all matrices row-major with explicit offsets and strides.

import { WASM_CROWS, WASM_KC, WASM_MC, WASM_MR, WASM_NC, wasmGemm, WasmGemm } from './gemm-wasm';

const MR = 4;
const NR = 8;
const KC = 256;
const MC = 64;
const NC = 512;

// Packing buffers and an edge tile, reused across calls (the runtime is single-threaded).
const packA = new Float32Array(MC * KC);
let packB = new Float32Array(KC * NC);
const edge = new Float64Array(MR * NR);

let simdEnabled = true;

/** Turns the WebAssembly SIMD path on or off (tests use it to exercise the JS micro-kernel). */
export function setGemmSimd(on: boolean): void {
  simdEnabled = on;
}

/** Below this many multiply-adds the packing overhead is not worth it. */
const SMALL = 32 * 32 * 32;

/**
 * Float32 GEMM: C[cOff + i·ldc + j] = alpha · Σk op(A)[i,k] · op(B)[k,j] + beta · C[...].
 * op(A)[i,k] is A[aOff + i·lda + k], or A[aOff + k·lda + i] when transA; likewise for B.
 * beta = 0 overwrites C (NaNs already in C do not propagate). The SIMD path accumulates in
 * float32 (as onnxruntime does); the JS paths accumulate in float64.
 */
export function sgemm(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, aOff: number, lda: number, B: Float32Array, bOff: number, ldb: number,
  beta: number, C: Float32Array, cOff: number, ldc: number,
): void {
  if (M === 0 || N === 0) return;
  if (K === 0) {
    scaleC(M, N, beta, C, cOff, ldc);
    return;
  }
  if (M * N * K <= SMALL || M < 2) {
    smallGemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
    return;
  }
  const simd = simdEnabled ? wasmGemm() : null;
  if (simd) {
    blockedWasm(simd, transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
    return;
  }
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    const ncPad = Math.ceil(nc / NR) * NR;
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      if (packB.length < kc * ncPad) packB = new Float32Array(kc * ncPad);
      packPanelB(transB, B, bOff, ldb, pc, kc, jc, nc, packB);
      const first = pc === 0;
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        packPanelA(transA, A, aOff, lda, ic, mc, pc, kc, packA, MR);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            micro(kc, packA, ir * kc, packB, jr * kc, C, cOff + (ic + ir) * ldc + jc + jr, ldc,
              alpha, first ? beta : 1, mr, nr);
          }
        }
      }
    }
  }
}

/**
 * The blocked loop nest over the WebAssembly SIMD macro-kernel (float32 accumulation). A block of
 * up to WASM_CROWS rows × WASM_NC columns of C stays in the module while every K panel is added to
 * it, then is written out once with alpha and beta.
 */
function blockedWasm(
  w: WasmGemm, transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, aOff: number, lda: number, B: Float32Array, bOff: number, ldb: number,
  beta: number, C: Float32Array, cOff: number, ldc: number,
): void {
  const cb = w.c;
  for (let m0 = 0; m0 < M; m0 += WASM_CROWS) {
    const mAll = Math.min(WASM_CROWS, M - m0);
    for (let jc = 0; jc < N; jc += WASM_NC) {
      const nc = Math.min(WASM_NC, N - jc);
      const ncPad = Math.ceil(nc / NR) * NR;
      for (let pc = 0; pc < K; pc += WASM_KC) {
        const kc = Math.min(WASM_KC, K - pc);
        packPanelB(transB, B, bOff, ldb, pc, kc, jc, nc, w.b);
        for (let ic = 0; ic < mAll; ic += WASM_MC) {
          const mc = Math.min(WASM_MC, mAll - ic);
          packPanelA(transA, A, aOff, lda, m0 + ic, mc, pc, kc, w.a, WASM_MR);
          w.run(kc, Math.ceil(mc / WASM_MR) * WASM_MR, ncPad, ic, pc > 0);
        }
      }
      for (let i = 0; i < mAll; i++) {
        const row = cOff + (m0 + i) * ldc + jc;
        const src = i * ncPad;
        if (beta === 0 && alpha === 1) C.set(cb.subarray(src, src + nc), row);
        else if (beta === 0) for (let j = 0; j < nc; j++) C[row + j] = alpha * cb[src + j];
        else if (beta === 1 && alpha === 1) for (let j = 0; j < nc; j++) C[row + j] += cb[src + j];
        else for (let j = 0; j < nc; j++) C[row + j] = alpha * cb[src + j] + beta * C[row + j];
      }
    }
  }
}

/** C = beta · C (beta 0 writes zeros). */
function scaleC(M: number, N: number, beta: number, C: Float32Array, cOff: number, ldc: number): void {
  for (let i = 0; i < M; i++) {
    const row = cOff + i * ldc;
    if (beta === 0) C.fill(0, row, row + N);
    else if (beta !== 1) for (let j = 0; j < N; j++) C[row + j] *= beta;
  }
}

/** Packs rows ic..ic+mc, columns pc..pc+kc of op(A) into `rows`-row slivers (k-major, zero-padded). */
function packPanelA(
  trans: boolean, A: Float32Array, aOff: number, lda: number,
  ic: number, mc: number, pc: number, kc: number, dst: Float32Array, rows: number,
): void {
  let d = 0;
  for (let ir = 0; ir < mc; ir += rows) {
    const mr = Math.min(rows, mc - ir);
    if (!trans && mr === 4 && rows === 4) {
      // Full 4-row sliver of a row-major A: four row pointers, k-major writes.
      const r0 = aOff + (ic + ir) * lda + pc;
      const r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
      for (let p = 0; p < kc; p++, d += 4) {
        dst[d] = A[r0 + p]; dst[d + 1] = A[r1 + p]; dst[d + 2] = A[r2 + p]; dst[d + 3] = A[r3 + p];
      }
      continue;
    }
    for (let p = 0; p < kc; p++) {
      for (let r = 0; r < rows; r++) {
        if (r < mr) {
          const i = ic + ir + r;
          const k = pc + p;
          dst[d++] = trans ? A[aOff + k * lda + i] : A[aOff + i * lda + k];
        } else dst[d++] = 0;
      }
    }
  }
}

/** Packs rows pc..pc+kc, columns jc..jc+nc of op(B) into NR-column slivers (k-major, zero-padded). */
function packPanelB(
  trans: boolean, B: Float32Array, bOff: number, ldb: number,
  pc: number, kc: number, jc: number, nc: number, dst: Float32Array,
): void {
  let d = 0;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = Math.min(NR, nc - jr);
    if (!trans && nr === NR) {
      for (let p = 0; p < kc; p++) {
        const s = bOff + (pc + p) * ldb + jc + jr;
        dst[d] = B[s]; dst[d + 1] = B[s + 1]; dst[d + 2] = B[s + 2]; dst[d + 3] = B[s + 3];
        dst[d + 4] = B[s + 4]; dst[d + 5] = B[s + 5]; dst[d + 6] = B[s + 6]; dst[d + 7] = B[s + 7];
        d += NR;
      }
      continue;
    }
    for (let p = 0; p < kc; p++) {
      const k = pc + p;
      for (let c = 0; c < NR; c++) {
        if (c < nr) {
          const j = jc + jr + c;
          dst[d++] = trans ? B[bOff + j * ldb + k] : B[bOff + k * ldb + j];
        } else dst[d++] = 0;
      }
    }
  }
}

/** 4×8 micro-kernel over packed slivers; writes C = alpha·acc + beta·C for the valid mr×nr part. */
function micro(
  kc: number, pa: Float32Array, ai: number, pb: Float32Array, bi: number,
  C: Float32Array, c0: number, ldc: number, alpha: number, beta: number, mr: number, nr: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c04 = 0, c05 = 0, c06 = 0, c07 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0, c14 = 0, c15 = 0, c16 = 0, c17 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c24 = 0, c25 = 0, c26 = 0, c27 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0, c34 = 0, c35 = 0, c36 = 0, c37 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = pa[ai], a1 = pa[ai + 1], a2 = pa[ai + 2], a3 = pa[ai + 3];
    const b0 = pb[bi], b1 = pb[bi + 1], b2 = pb[bi + 2], b3 = pb[bi + 3];
    const b4 = pb[bi + 4], b5 = pb[bi + 5], b6 = pb[bi + 6], b7 = pb[bi + 7];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c04 += a0 * b4; c05 += a0 * b5; c06 += a0 * b6; c07 += a0 * b7;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c14 += a1 * b4; c15 += a1 * b5; c16 += a1 * b6; c17 += a1 * b7;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c24 += a2 * b4; c25 += a2 * b5; c26 += a2 * b6; c27 += a2 * b7;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    c34 += a3 * b4; c35 += a3 * b5; c36 += a3 * b6; c37 += a3 * b7;
    ai += MR;
    bi += NR;
  }
  if (mr === MR && nr === NR && alpha === 1 && (beta === 0 || beta === 1)) {
    let r = c0;
    if (beta === 0) {
      C[r] = c00; C[r + 1] = c01; C[r + 2] = c02; C[r + 3] = c03; C[r + 4] = c04; C[r + 5] = c05; C[r + 6] = c06; C[r + 7] = c07;
      r += ldc;
      C[r] = c10; C[r + 1] = c11; C[r + 2] = c12; C[r + 3] = c13; C[r + 4] = c14; C[r + 5] = c15; C[r + 6] = c16; C[r + 7] = c17;
      r += ldc;
      C[r] = c20; C[r + 1] = c21; C[r + 2] = c22; C[r + 3] = c23; C[r + 4] = c24; C[r + 5] = c25; C[r + 6] = c26; C[r + 7] = c27;
      r += ldc;
      C[r] = c30; C[r + 1] = c31; C[r + 2] = c32; C[r + 3] = c33; C[r + 4] = c34; C[r + 5] = c35; C[r + 6] = c36; C[r + 7] = c37;
    } else {
      C[r] += c00; C[r + 1] += c01; C[r + 2] += c02; C[r + 3] += c03; C[r + 4] += c04; C[r + 5] += c05; C[r + 6] += c06; C[r + 7] += c07;
      r += ldc;
      C[r] += c10; C[r + 1] += c11; C[r + 2] += c12; C[r + 3] += c13; C[r + 4] += c14; C[r + 5] += c15; C[r + 6] += c16; C[r + 7] += c17;
      r += ldc;
      C[r] += c20; C[r + 1] += c21; C[r + 2] += c22; C[r + 3] += c23; C[r + 4] += c24; C[r + 5] += c25; C[r + 6] += c26; C[r + 7] += c27;
      r += ldc;
      C[r] += c30; C[r + 1] += c31; C[r + 2] += c32; C[r + 3] += c33; C[r + 4] += c34; C[r + 5] += c35; C[r + 6] += c36; C[r + 7] += c37;
    }
    return;
  }
  const e = edge;
  e[0] = c00; e[1] = c01; e[2] = c02; e[3] = c03; e[4] = c04; e[5] = c05; e[6] = c06; e[7] = c07;
  e[8] = c10; e[9] = c11; e[10] = c12; e[11] = c13; e[12] = c14; e[13] = c15; e[14] = c16; e[15] = c17;
  e[16] = c20; e[17] = c21; e[18] = c22; e[19] = c23; e[20] = c24; e[21] = c25; e[22] = c26; e[23] = c27;
  e[24] = c30; e[25] = c31; e[26] = c32; e[27] = c33; e[28] = c34; e[29] = c35; e[30] = c36; e[31] = c37;
  for (let i = 0; i < mr; i++) {
    const row = c0 + i * ldc;
    for (let j = 0; j < nr; j++) {
      const v = alpha * e[i * NR + j];
      C[row + j] = beta === 0 ? v : v + beta * C[row + j];
    }
  }
}

/** Straightforward GEMM for small or degenerate shapes; accumulates in float64. */
function smallGemm(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, aOff: number, lda: number, B: Float32Array, bOff: number, ldb: number,
  beta: number, C: Float32Array, cOff: number, ldc: number,
): void {
  if (transB) {
    // Rows of B are contiguous along k: dot products (the usual layout of fully connected weights).
    for (let i = 0; i < M; i++) {
      const row = cOff + i * ldc;
      for (let j = 0; j < N; j++) {
        const b = bOff + j * ldb;
        let s = 0;
        if (transA) for (let k = 0; k < K; k++) s += A[aOff + k * lda + i] * B[b + k];
        else {
          const a = aOff + i * lda;
          for (let k = 0; k < K; k++) s += A[a + k] * B[b + k];
        }
        C[row + j] = beta === 0 ? alpha * s : alpha * s + beta * C[row + j];
      }
    }
    return;
  }
  const acc = rowScratch(N);
  for (let i = 0; i < M; i++) {
    acc.fill(0, 0, N);
    for (let k = 0; k < K; k++) {
      const a = transA ? A[aOff + k * lda + i] : A[aOff + i * lda + k];
      const b = bOff + k * ldb;
      for (let j = 0; j < N; j++) acc[j] += a * B[b + j];
    }
    const row = cOff + i * ldc;
    for (let j = 0; j < N; j++) C[row + j] = beta === 0 ? alpha * acc[j] : alpha * acc[j] + beta * C[row + j];
  }
}

let rowBuf = new Float64Array(1024);
function rowScratch(n: number): Float64Array {
  if (rowBuf.length < n) rowBuf = new Float64Array(n);
  return rowBuf;
}

/** Float64 GEMM with the same contract as sgemm (simple loops; used for DOUBLE tensors). */
export function dgemm(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float64Array, aOff: number, lda: number, B: Float64Array, bOff: number, ldb: number,
  beta: number, C: Float64Array, cOff: number, ldc: number,
): void {
  const acc = rowScratch(N);
  for (let i = 0; i < M; i++) {
    acc.fill(0, 0, N);
    for (let k = 0; k < K; k++) {
      const a = transA ? A[aOff + k * lda + i] : A[aOff + i * lda + k];
      if (transB) {
        for (let j = 0; j < N; j++) acc[j] += a * B[bOff + j * ldb + k];
      } else {
        const b = bOff + k * ldb;
        for (let j = 0; j < N; j++) acc[j] += a * B[b + j];
      }
    }
    const row = cOff + i * ldc;
    for (let j = 0; j < N; j++) C[row + j] = beta === 0 ? alpha * acc[j] : alpha * acc[j] + beta * C[row + j];
  }
}

/** Dispatches to sgemm or dgemm by array kind (both operands and C must be the same kind). */
export function gemm(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array | Float64Array, aOff: number, lda: number, B: Float32Array | Float64Array, bOff: number, ldb: number,
  beta: number, C: Float32Array | Float64Array, cOff: number, ldc: number,
): void {
  if (A instanceof Float32Array && B instanceof Float32Array && C instanceof Float32Array) {
    sgemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
  } else if (A instanceof Float64Array && B instanceof Float64Array && C instanceof Float64Array) {
    dgemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
  } else {
    throw new Error('gemm: operands must all be Float32Array or all Float64Array');
  }
}
