// A WebAssembly SIMD macro-kernel for the float32 GEMM, emitted as bytes at load time (no build
// step, no dependency). It multiplies packed panels that gemm.ts writes straight into the module's
// memory: A as WASM_MR-row slivers, B as 8-column slivers, both k-major, into a C block of ncPad columns.
// WASM_MR f32x4 splats × two B vectors per k step give an MR×8 tile in 2·MR v128 accumulators.

import { get, i32, instantiate, leb, moduleOf, set, simd } from './wasm-encode';

/** Layout of the module's memory, in float32 elements. */
export const WASM_MC = 64;
export const WASM_KC = 256;
export const WASM_NC = 512;
/** Rows per micro-tile (A sliver height). */
export const WASM_MR = 4;
const A_BASE = 0;
const B_BASE = A_BASE + WASM_MC * WASM_KC;
const C_BASE = B_BASE + WASM_KC * WASM_NC;
const TOTAL = C_BASE + WASM_MC * WASM_NC;

/** The instantiated kernel with typed views on its memory. */
export interface WasmGemm {
  /** Packed A panel (MC × KC, WASM_MR-row slivers). */
  readonly a: Float32Array;
  /** Packed B panel (KC × NC, 8-column slivers). */
  readonly b: Float32Array;
  /** C block, row-major with ncPad columns. */
  readonly c: Float32Array;
  /** C block ← packed A · packed B for mcPad (multiple of WASM_MR) × ncPad (multiple of 8) over kc. */
  run(kc: number, mcPad: number, ncPad: number): void;
}

/** Emits the module bytes. */
function moduleBytes(pages: number): Uint8Array<ArrayBuffer> {
  // Params: 0 kc, 1 mcPad, 2 ncPad, 3 aBase, 4 bBase, 5 cBase (bytes).
  // Locals: 6 jr, 7 ir, 8 p, 9 ap, 10 bp, 11 cp; then 2·MR accumulators, b0, b1, a.
  const R = WASM_MR;
  const B0 = 12 + 2 * R, B1 = B0 + 1, AV = B0 + 2;
  const load = (off: number): number[] => simd(0x00, 2, ...leb(off));
  const splat = (off: number): number[] => simd(0x09, 2, ...leb(off));
  const store = (off: number): number[] => simd(0x0b, 2, ...leb(off));
  const fadd = simd(0xe4);
  const fmul = simd(0xe6);
  const zero = simd(0x0c, ...new Array<number>(16).fill(0));
  const body: number[] = [];
  body.push(...i32(0), ...set(6));
  body.push(0x03, 0x40); // loop jr
  body.push(...i32(0), ...set(7));
  body.push(0x03, 0x40); // loop ir
  // ap = aBase + ir*kc*4; bp = bBase + jr*kc*4
  body.push(...get(3), ...get(7), ...get(0), 0x6c, ...i32(2), 0x74, 0x6a, ...set(9));
  body.push(...get(4), ...get(6), ...get(0), 0x6c, ...i32(2), 0x74, 0x6a, ...set(10));
  for (let k = 12; k < B0; k++) body.push(...zero, ...set(k));
  body.push(...get(0), ...set(8));
  body.push(0x03, 0x40); // loop k
  body.push(...get(10), ...load(0), ...set(B0));
  body.push(...get(10), ...load(16), ...set(B1));
  for (let r = 0; r < R; r++) {
    body.push(...get(9), ...splat(4 * r), ...set(AV));
    body.push(...get(12 + 2 * r), ...get(AV), ...get(B0), ...fmul, ...fadd, ...set(12 + 2 * r));
    body.push(...get(13 + 2 * r), ...get(AV), ...get(B1), ...fmul, ...fadd, ...set(13 + 2 * r));
  }
  body.push(...get(9), ...i32(4 * R), 0x6a, ...set(9));
  body.push(...get(10), ...i32(32), 0x6a, ...set(10));
  body.push(...get(8), ...i32(1), 0x6b, 0x22, 8, 0x0d, 0); // p = p - 1 (tee); br_if loop k
  body.push(0x0b); // end loop k
  // cp = cBase + (ir*ncPad + jr)*4
  body.push(...get(5), ...get(7), ...get(2), 0x6c, ...get(6), 0x6a, ...i32(2), 0x74, 0x6a, ...set(11));
  for (let r = 0; r < R; r++) {
    body.push(...get(11), ...get(12 + 2 * r), ...store(0));
    body.push(...get(11), ...get(13 + 2 * r), ...store(16));
    if (r < R - 1) body.push(...get(11), ...get(2), ...i32(2), 0x74, 0x6a, ...set(11));
  }
  body.push(...get(7), ...i32(R), 0x6a, 0x22, 7, ...get(1), 0x49, 0x0d, 0); // ir += MR; br_if ir < mcPad
  body.push(0x0b); // end loop ir
  body.push(...get(6), ...i32(8), 0x6a, 0x22, 6, ...get(2), 0x49, 0x0d, 0); // jr += 8; br_if jr < ncPad
  body.push(0x0b); // end loop jr
  return moduleOf([0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f], [6, 0x7f, 2 * R + 3, 0x7b], body, pages);
}

let cached: WasmGemm | null | undefined;

/** The SIMD kernel, or null where WebAssembly SIMD is unavailable (callers fall back to JS). */
export function wasmGemm(): WasmGemm | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    const inst = instantiate(moduleBytes(Math.ceil((TOTAL * 4) / 65536)));
    if (!inst) return null;
    const mem = inst.exports.mem as WebAssembly.Memory;
    const kernel = inst.exports.kernel as (kc: number, mc: number, nc: number, a: number, b: number, c: number) => void;
    const f = new Float32Array(mem.buffer);
    cached = {
      a: f.subarray(A_BASE, B_BASE),
      b: f.subarray(B_BASE, C_BASE),
      c: f.subarray(C_BASE, TOTAL),
      run: (kc, mcPad, ncPad) => kernel(kc, mcPad, ncPad, A_BASE * 4, B_BASE * 4, C_BASE * 4),
    };
  } catch {
    cached = null;
  }
  return cached;
}
