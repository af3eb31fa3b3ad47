// The statistics pass of a float32 ReLU site as a WebAssembly SIMD kernel, emitted at load time:
// four values per step with no data-dependent branch (the sign test a CPU mispredicts on about one
// value in six in real networks). Per contiguous span of one unit it gives the count of values > 0,
// min, max, Σ v and Σ min(max(v, 0), cap), and adds each value to a 32-bin histogram. stats.ts
// copies spans into the module's memory and falls back to its own loops where WebAssembly is absent.
import { get, i32, instantiate, leb, moduleOf, set, simd, tee } from '../runtime/kernels/wasm-encode';

/** Values per kernel call: the data region of the module's memory. */
export const SCAN_CHUNK = 16384;
/** Histogram bins (must equal stats.ts HIST_BINS). */
const BINS = 32;

// Memory layout in bytes: histogram (BINS × 4 lanes of i32), results, data.
const HIST = 0;
const OUT = HIST + BINS * 16;
const DATA = OUT + 128;

/** The instantiated kernel and views on its memory. */
export interface ScanKernel {
  /** Where spans are copied before `scan`. */
  readonly data: Float32Array;
  /** Histogram counts, bin-major with 4 lanes per bin (bin b, lane l at 4b + l). */
  readonly hist: Int32Array;
  /**
   * Scans data[0, n) (n a multiple of 4, at most SCAN_CHUNK); the results land in `out`:
   * [positives, min, max, Σ v, Σ min(max(v, 0), cap)], each over the 4 lanes.
   */
  scan(n: number, scale: number, off: number, cap: number): void;
  readonly out: Float64Array;
}

const f32x4 = { splat: 0x13, gt: 0x44, add: 0xe4, mul: 0xe6, min: 0xe8, max: 0xe9, pmin: 0xea, pmax: 0xeb };
const i32x4 = { extract: 0x1b, shl: 0xab, add: 0xae, sub: 0xb1, min: 0xb6, max: 0xb8, truncSat: 0xf8 };
const f64x2 = { add: 0xf0, promoteLow: 0x5f };

function v128const(bytes: number[]): number[] {
  return simd(0x0c, ...bytes);
}

function i32x4const(a: number, b: number, c: number, d: number): number[] {
  const out: number[] = [];
  for (const v of [a, b, c, d]) out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  return v128const(out);
}

/** The kernel's bytes. Params: 0 n (i32), 1 scale, 2 off, 3 cap (f32). */
function scanModule(): Uint8Array<ArrayBuffer> {
  // v128 locals: 4 v, 5 cnt, 6 mn, 7 mx, 8 s0, 9 s1, 10 p0, 11 p1, 12 scale, 13 off, 14 cap, 15 idx, 16 pv.
  // i32 locals: 17 p, 18 end, 19 a.
  const [V, CNT, MN, MX, S0, S1, P0, P1, SC, OF, CP, IDX, PV, P, END, A] = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
  const zero = v128const(new Array<number>(16).fill(0));
  const high = simd(0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7); // lanes 2,3 → 0,1
  const load = simd(0x00, 4, 0);
  const store = (off: number): number[] => simd(0x0b, 4, ...leb(off));
  const body: number[] = [];
  body.push(...get(1), ...simd(f32x4.splat), ...set(SC));
  body.push(...get(2), ...simd(f32x4.splat), ...set(OF));
  body.push(...get(3), ...simd(f32x4.splat), ...set(CP));
  body.push(...i32x4const(0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000), ...set(MN));
  body.push(...i32x4const(0xff800000 | 0, 0xff800000 | 0, 0xff800000 | 0, 0xff800000 | 0), ...set(MX));
  body.push(...i32(DATA), ...set(P));
  body.push(...i32(DATA), ...get(0), ...i32(2), 0x74, 0x6a, ...set(END));
  body.push(0x03, 0x40); // loop
  body.push(...get(P), ...load, ...set(V));
  // cnt -= (v > 0) (true lanes are −1)
  body.push(...get(CNT), ...get(V), ...zero, ...simd(f32x4.gt), ...simd(i32x4.sub), ...set(CNT));
  body.push(...get(MN), ...get(V), ...simd(f32x4.min), ...set(MN));
  body.push(...get(MX), ...get(V), ...simd(f32x4.max), ...set(MX));
  body.push(...get(S0), ...get(V), ...simd(f64x2.promoteLow), ...simd(f64x2.add), ...set(S0));
  body.push(...get(S1), ...get(V), ...get(V), ...high, ...simd(f64x2.promoteLow), ...simd(f64x2.add), ...set(S1));
  // pv = pmin(cap, pmax(0, v)): 0 unless v > 0, then min(v, cap)
  body.push(...get(CP), ...zero, ...get(V), ...simd(f32x4.pmax), ...simd(f32x4.pmin), ...tee(PV));
  body.push(...simd(f64x2.promoteLow), ...get(P0), ...simd(f64x2.add), ...set(P0));
  body.push(...get(P1), ...get(PV), ...get(PV), ...high, ...simd(f64x2.promoteLow), ...simd(f64x2.add), ...set(P1));
  // idx = clamp(trunc(v·scale + off), 0, BINS−1) · 16 + lane · 4 (NaN truncates to 0, like stats.ts)
  body.push(...get(V), ...get(SC), ...simd(f32x4.mul), ...get(OF), ...simd(f32x4.add), ...simd(i32x4.truncSat));
  body.push(...zero, ...simd(i32x4.max), ...i32x4const(BINS - 1, BINS - 1, BINS - 1, BINS - 1), ...simd(i32x4.min));
  body.push(...i32(4), ...simd(i32x4.shl), ...i32x4const(0, 4, 8, 12), ...simd(i32x4.add), ...set(IDX));
  for (let lane = 0; lane < 4; lane++) {
    body.push(...get(IDX), ...simd(i32x4.extract, lane), ...tee(A));
    body.push(...get(A), 0x28, 2, HIST, ...i32(1), 0x6a, 0x36, 2, HIST); // hist[a] += 1
  }
  body.push(...get(P), ...i32(16), 0x6a, ...tee(P), ...get(END), 0x49, 0x0d, 0); // p += 16; br_if p < end
  body.push(0x0b); // end loop
  const results = [CNT, MN, MX, S0, S1, P0, P1];
  results.forEach((l, k) => body.push(...i32(0), ...get(l), ...store(OUT + 16 * k)));
  const pages = Math.ceil((DATA + SCAN_CHUNK * 4) / 65536);
  return moduleOf([0x7f, 0x7d, 0x7d, 0x7d], [13, 0x7b, 3, 0x7f], body, pages);
}

let cached: ScanKernel | null | undefined;

/** Bytes of this thread's kernel memory (0 before the first use, or without WebAssembly). */
export function scanKernelBytes(): number {
  return cached ? cached.data.buffer.byteLength : 0;
}

/** The kernel, or null where WebAssembly SIMD is unavailable. */
export function scanKernel(): ScanKernel | null {
  if (cached !== undefined) return cached;
  cached = null;
  const inst = instantiate(scanModule());
  if (!inst) return null;
  const mem = (inst.exports.mem as WebAssembly.Memory).buffer;
  const kernel = inst.exports.kernel as (n: number, scale: number, off: number, cap: number) => void;
  const i32v = new Int32Array(mem, OUT, 12);
  const f32v = new Float32Array(mem, OUT, 12);
  const f64v = new Float64Array(mem, OUT + 48, 8);
  const out = new Float64Array(5);
  cached = {
    data: new Float32Array(mem, DATA, SCAN_CHUNK),
    hist: new Int32Array(mem, HIST, BINS * 4),
    out,
    scan(n, scale, off, cap) {
      kernel(n, scale, off, cap);
      out[0] = i32v[0] + i32v[1] + i32v[2] + i32v[3];
      out[1] = Math.min(f32v[4], f32v[5], f32v[6], f32v[7]);
      out[2] = Math.max(f32v[8], f32v[9], f32v[10], f32v[11]);
      out[3] = f64v[0] + f64v[1] + f64v[2] + f64v[3];
      out[4] = f64v[4] + f64v[5] + f64v[6] + f64v[7];
    },
  };
  return cached;
}
