// A WebAssembly SIMD macro-kernel for the float32 GEMM, emitted as bytes at load time (no build
// step, no dependency). It multiplies packed panels that gemm.ts writes straight into the module's
// memory: A as WASM_MR-row slivers, B as 8-column slivers, both k-major, into a C block of ncPad
// columns that stays in the module across K blocks (the kernel adds to it after the first), so
// gemm.ts copies each C block out once. WASM_MR f32x4 splats × two B vectors per k step give an
// MR×8 tile in 2·MR v128 accumulators.

import { get, i32, instantiate, leb, moduleOf, set, simd, tee } from './wasm-encode';

/** Layout of the module's memory, in float32 elements. */
export const WASM_MC = 64;
export const WASM_KC = 256;
export const WASM_NC = 512;
/** Rows of C kept in the module at once (a multiple of WASM_MC). */
export const WASM_CROWS = 256;
/** Rows per micro-tile (A sliver height). */
export const WASM_MR = 4;
const A_BASE = 0;
const B_BASE = A_BASE + WASM_MC * WASM_KC;
const C_BASE = B_BASE + WASM_KC * WASM_NC;
const TOTAL = C_BASE + WASM_CROWS * WASM_NC;

/** The instantiated kernel with typed views on its memory. */
export interface WasmGemm {
  /** Packed A panel (MC × KC, WASM_MR-row slivers). */
  readonly a: Float32Array;
  /** Packed B panel (KC × NC, 8-column slivers). */
  readonly b: Float32Array;
  /** C block of up to WASM_CROWS rows, row-major with ncPad columns. */
  readonly c: Float32Array;
  /**
   * C rows [row, row + mcPad) ← (or += when `accumulate`) packed A · packed B, for mcPad (a
   * multiple of WASM_MR) × ncPad (a multiple of 8) over kc.
   */
  run(kc: number, mcPad: number, ncPad: number, row: number, accumulate: boolean): void;
  /** Bytes of the module's memory. */
  readonly bytes: number;
}

/** Emits the module bytes. */
function moduleBytes(pages: number): Uint8Array<ArrayBuffer> {
  // Params: 0 kc, 1 mcPad, 2 ncPad, 3 aBase, 4 bBase, 5 cBase (bytes), 6 accumulate (0/1).
  // Locals: jr, ir, p, ap, bp, cp; then 2·MR accumulators, b0, b1, a.
  const KCP = 0, MCPAD = 1, NCPAD = 2, ABASE = 3, BBASE = 4, CBASE = 5, ACC = 6;
  const JR = 7, IR = 8, P = 9, AP = 10, BP = 11, CP = 12, T0 = 13;
  const R = WASM_MR;
  const B0 = T0 + 2 * R, B1 = B0 + 1, AV = B0 + 2;
  const load = (off: number): number[] => simd(0x00, 2, ...leb(off));
  const splat = (off: number): number[] => simd(0x09, 2, ...leb(off));
  const store = (off: number): number[] => simd(0x0b, 2, ...leb(off));
  const fadd = simd(0xe4);
  const fmul = simd(0xe6);
  const zero = simd(0x0c, ...new Array<number>(16).fill(0));
  const nextRow = [...get(CP), ...get(NCPAD), ...i32(2), 0x74, 0x6a, ...set(CP)]; // cp += ncPad*4
  const body: number[] = [];
  body.push(...i32(0), ...set(JR));
  body.push(0x03, 0x40); // loop jr
  body.push(...i32(0), ...set(IR));
  body.push(0x03, 0x40); // loop ir
  // ap = aBase + ir*kc*4; bp = bBase + jr*kc*4
  body.push(...get(ABASE), ...get(IR), ...get(KCP), 0x6c, ...i32(2), 0x74, 0x6a, ...set(AP));
  body.push(...get(BBASE), ...get(JR), ...get(KCP), 0x6c, ...i32(2), 0x74, 0x6a, ...set(BP));
  for (let k = T0; k < B0; k++) body.push(...zero, ...set(k));
  body.push(...get(KCP), ...set(P));
  body.push(0x03, 0x40); // loop k
  body.push(...get(BP), ...load(0), ...set(B0));
  body.push(...get(BP), ...load(16), ...set(B1));
  for (let r = 0; r < R; r++) {
    body.push(...get(AP), ...splat(4 * r), ...set(AV));
    body.push(...get(T0 + 2 * r), ...get(AV), ...get(B0), ...fmul, ...fadd, ...set(T0 + 2 * r));
    body.push(...get(T0 + 1 + 2 * r), ...get(AV), ...get(B1), ...fmul, ...fadd, ...set(T0 + 1 + 2 * r));
  }
  body.push(...get(AP), ...i32(4 * R), 0x6a, ...set(AP));
  body.push(...get(BP), ...i32(32), 0x6a, ...set(BP));
  body.push(...get(P), ...i32(1), 0x6b, ...tee(P), 0x0d, 0); // p -= 1; br_if loop k
  body.push(0x0b); // end loop k
  // cp = cBase + (ir*ncPad + jr)*4
  body.push(...get(CBASE), ...get(IR), ...get(NCPAD), 0x6c, ...get(JR), 0x6a, ...i32(2), 0x74, 0x6a, ...set(CP));
  body.push(...get(ACC), 0x04, 0x40); // if accumulate: C tile += acc
  for (let r = 0; r < R; r++) {
    body.push(...get(CP), ...get(CP), ...load(0), ...get(T0 + 2 * r), ...fadd, ...store(0));
    body.push(...get(CP), ...get(CP), ...load(16), ...get(T0 + 1 + 2 * r), ...fadd, ...store(16));
    if (r < R - 1) body.push(...nextRow);
  }
  body.push(0x05); // else: C tile = acc
  for (let r = 0; r < R; r++) {
    body.push(...get(CP), ...get(T0 + 2 * r), ...store(0));
    body.push(...get(CP), ...get(T0 + 1 + 2 * r), ...store(16));
    if (r < R - 1) body.push(...nextRow);
  }
  body.push(0x0b); // end if
  body.push(...get(IR), ...i32(R), 0x6a, ...tee(IR), ...get(MCPAD), 0x49, 0x0d, 0); // ir += MR; br_if ir < mcPad
  body.push(0x0b); // end loop ir
  body.push(...get(JR), ...i32(8), 0x6a, ...tee(JR), ...get(NCPAD), 0x49, 0x0d, 0); // jr += 8; br_if jr < ncPad
  body.push(0x0b); // end loop jr
  return moduleOf([0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f], [6, 0x7f, 2 * R + 3, 0x7b], body, pages);
}

let cached: WasmGemm | null | undefined;

/** Bytes of this thread's kernel memory (0 before the first use, or without WebAssembly). */
export function wasmGemmBytes(): number {
  return cached ? cached.bytes : 0;
}

/** The SIMD kernel, or null where WebAssembly SIMD is unavailable (callers fall back to JS). */
export function wasmGemm(): WasmGemm | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    const inst = instantiate(moduleBytes(Math.ceil((TOTAL * 4) / 65536)));
    if (!inst) return null;
    const mem = inst.exports.mem as WebAssembly.Memory;
    const kernel = inst.exports.kernel as (kc: number, mc: number, nc: number, a: number, b: number, c: number, acc: number) => void;
    const f = new Float32Array(mem.buffer);
    cached = {
      a: f.subarray(A_BASE, B_BASE),
      b: f.subarray(B_BASE, C_BASE),
      c: f.subarray(C_BASE, TOTAL),
      run: (kc, mcPad, ncPad, row, accumulate) => kernel(kc, mcPad, ncPad, A_BASE * 4, B_BASE * 4, (C_BASE + row * ncPad) * 4, accumulate ? 1 : 0),
      bytes: mem.buffer.byteLength,
    };
  } catch {
    cached = null;
  }
  return cached;
}
