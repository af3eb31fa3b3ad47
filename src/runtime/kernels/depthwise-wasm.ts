// A WebAssembly SIMD kernel for one plane of a depthwise 2-D convolution with unit column stride
// (any row stride, dilation and padding), emitted at load time: the same row-by-row multiply-add
// passes as conv.ts's depthwise2d, four output columns per step. conv.ts copies the input plane in
// and the output plane out, and keeps its own loops for other strides or planes too large.
import { get, i32, instantiate, leb, moduleOf, set, simd, tee } from './wasm-encode';

/** Largest input or output plane (floats) the module holds. */
export const DW_PLANE = 1 << 16;
/** Largest kernel (taps) and kernel width. */
export const DW_TAPS = 256;

// Memory layout in bytes: input plane, output plane, taps, per-kw column ranges (lo, hi).
const X = 0;
const Y = X + DW_PLANE * 4;
const TAPS = Y + DW_PLANE * 4;
const LO = TAPS + DW_TAPS * 4;
const HI = LO + DW_TAPS * 4;
const TOTAL = HI + DW_TAPS * 4;

/** The instantiated kernel and views on its memory. */
export interface DepthwiseKernel {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly taps: Float32Array;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  /** y ← bias + Σ taps · x over the plane (see conv.ts depthwise2d for the geometry). */
  run(H: number, W: number, oH: number, oW: number, kH: number, kW: number, sH: number, dH: number, dW: number, pT: number, pL: number, bias: number): void;
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  // Params (i32 unless noted): 0 H, 1 W, 2 oH, 3 oW, 4 kH, 5 kW, 6 sH, 7 dH, 8 dW, 9 pT, 10 pL, 11 bias (f32).
  const H = 0, W = 1, oH = 2, oW = 3, kH = 4, kW = 5, sH = 6, dH = 7, dW = 8, pT = 9, pL = 10, BIAS = 11;
  // Locals: i32 12 oh, 13 yr, 14 kh, 15 ih, 16 xr, 17 kw, 18 off, 19 ow, 20 hi, 21 t; f32 22 wv; v128 23 wvv.
  const OH = 12, YR = 13, KH = 14, IH = 15, XR = 16, KW = 17, OFF = 18, OW = 19, HIV = 20, T = 21, WV = 22, WVV = 23;
  const add = 0x6a, sub = 0x6b, mul = 0x6c, shl = 0x74, geS = 0x4e, ltU = 0x49, gtS = 0x4a;
  const f32load = (off: number): number[] => [0x2a, 2, ...leb(off)];
  const f32store = (off: number): number[] => [0x38, 2, ...leb(off)];
  const i32load = (off: number): number[] => [0x28, 2, ...leb(off)];
  const vload = (off: number): number[] => simd(0x00, 2, ...leb(off));
  const vstore = (off: number): number[] => simd(0x0b, 2, ...leb(off));
  const fmul = 0x94, fadd = 0x92;
  const loop = (body: number[]): number[] => [0x02, 0x40, 0x03, 0x40, ...body, 0x0b, 0x0b]; // block { loop { … } }
  const brIfOut = [0x0d, 1]; // br_if to the enclosing block (leave the loop)
  const again = [0x0c, 0]; // br to the loop head
  const b: number[] = [];
  b.push(...i32(0), ...set(OH));
  b.push(...loop([
    ...get(OH), ...get(oH), geS, ...brIfOut,
    // yr = Y + oh*oW*4; the row starts at the bias
    ...i32(Y), ...get(OH), ...get(oW), mul, ...i32(2), shl, add, ...set(YR),
    ...i32(0), ...set(OW),
    ...loop([
      ...get(OW), ...get(oW), geS, ...brIfOut,
      ...get(YR), ...get(OW), ...i32(2), shl, add, ...get(BIAS), ...f32store(0),
      ...get(OW), ...i32(1), add, ...set(OW), ...again,
    ]),
    ...i32(0), ...set(KH),
    ...loop([
      ...get(KH), ...get(kH), geS, ...brIfOut,
      // ih = oh*sH − pT + kh*dH; rows outside the input are skipped (unsigned compare)
      ...get(OH), ...get(sH), mul, ...get(pT), sub, ...get(KH), ...get(dH), mul, add, ...tee(IH),
      ...get(H), ltU, 0x04, 0x40, // if ih < H (unsigned: also ih ≥ 0)
      ...i32(X), ...get(IH), ...get(W), mul, ...i32(2), shl, add, ...set(XR),
      ...i32(0), ...set(KW),
      ...loop([
        ...get(KW), ...get(kW), geS, ...brIfOut,
        // wv = taps[kh*kW + kw]
        ...get(KH), ...get(kW), mul, ...get(KW), add, ...i32(2), shl, ...f32load(TAPS), ...tee(WV),
        ...simd(0x13), ...set(WVV),
        // off = xr + (kw*dW − pL)*4 (x of column ow at off + ow*4)
        ...get(XR), ...get(KW), ...get(dW), mul, ...get(pL), sub, ...i32(2), shl, add, ...set(OFF),
        ...get(KW), ...i32(2), shl, ...i32load(LO), ...set(OW),
        ...get(KW), ...i32(2), shl, ...i32load(HI), ...set(HIV),
        // four columns at a time while ow + 4 ≤ hi
        ...loop([
          ...get(OW), ...i32(4), add, ...get(HIV), gtS, ...brIfOut,
          ...get(YR), ...get(OW), ...i32(2), shl, add, ...tee(T),
          ...get(T), ...vload(0),
          ...get(OFF), ...get(OW), ...i32(2), shl, add, ...vload(0), ...get(WVV), ...simd(0xe6), ...simd(0xe4),
          ...vstore(0),
          ...get(OW), ...i32(4), add, ...set(OW), ...again,
        ]),
        // the rest one at a time
        ...loop([
          ...get(OW), ...get(HIV), geS, ...brIfOut,
          ...get(YR), ...get(OW), ...i32(2), shl, add, ...tee(T),
          ...get(T), ...f32load(0),
          ...get(OFF), ...get(OW), ...i32(2), shl, add, ...f32load(0), ...get(WV), fmul, fadd,
          ...f32store(0),
          ...get(OW), ...i32(1), add, ...set(OW), ...again,
        ]),
        ...get(KW), ...i32(1), add, ...set(KW), ...again,
      ]),
      0x0b, // end if
      ...get(KH), ...i32(1), add, ...set(KH), ...again,
    ]),
    ...get(OH), ...i32(1), add, ...set(OH), ...again,
  ]));
  const params = [0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7d];
  return moduleOf(params, [10, 0x7f, 1, 0x7d, 1, 0x7b], b, Math.ceil(TOTAL / 65536));
}

let cached: DepthwiseKernel | null | undefined;

/** Bytes of this thread's kernel memory (0 before the first use, or without WebAssembly). */
export function depthwiseKernelBytes(): number {
  return cached ? cached.x.buffer.byteLength : 0;
}

/** The kernel, or null where WebAssembly SIMD is unavailable. */
export function depthwiseKernel(): DepthwiseKernel | null {
  if (cached !== undefined) return cached;
  cached = null;
  const inst = instantiate(moduleBytes());
  if (!inst) return null;
  const mem = (inst.exports.mem as WebAssembly.Memory).buffer;
  const k = inst.exports.kernel as (...a: number[]) => void;
  cached = {
    x: new Float32Array(mem, X, DW_PLANE),
    y: new Float32Array(mem, Y, DW_PLANE),
    taps: new Float32Array(mem, TAPS, DW_TAPS),
    lo: new Int32Array(mem, LO, DW_TAPS),
    hi: new Int32Array(mem, HI, DW_TAPS),
    run: (H, W, oH, oW, kH, kW, sH, dH, dW, pT, pL, bias) => k(H, W, oH, oW, kH, kW, sH, dH, dW, pT, pL, bias),
  };
  return cached;
}
