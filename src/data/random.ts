// Seeded random model inputs, one distribution per dtype, generated batch by batch: batch k is drawn
// from its own generator seeded by (seed, k), so any batch can be made without making the others.
//   float32 / float64 / float16: N(0, 1) (Box–Muller); practical range ±6σ (P(|x| > 6) ≈ 2e-9).
//   int8/int16/int32/int64/uint16/uint32/uint64: uniform integers in [0, 10).
//   uint8: uniform integers in [0, 256) (uint8 inputs are nearly always pixels).
//   bool: a fair coin.
import { DataType, TensorValues } from '../onnx/ir';
import { dtypeName, float32ToFloat16 } from '../onnx/dtype';
import { DataFileError } from './npy';

/** The range proofs over random inputs cover: float inputs within ±RANDOM_FLOAT_RANGE (6σ of N(0,1)). */
export const RANDOM_FLOAT_RANGE = 6;
/** Integer inputs (other than uint8) are drawn uniformly from [0, RANDOM_INT_LIMIT). */
export const RANDOM_INT_LIMIT = 10;

/** One sentence describing the distributions, for the report's note. */
export const RANDOM_DISTRIBUTIONS = `float inputs N(0,1) (proof box ±${RANDOM_FLOAT_RANGE}σ), integers uniform in [0,${RANDOM_INT_LIMIT}), uint8 uniform in [0,255], bool a fair coin`;

/** mulberry32: a small, fast, seeded 32-bit generator of floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes a seed and a batch index into one 32-bit seed (splitmix32-style finalizer). */
export function batchSeed(seed: number, batch: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul((batch + 1) >>> 0, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Whether random inputs of this dtype can be made. */
export function canRandomize(dt: DataType): boolean {
  return RANGE[dt] !== undefined;
}

const RANGE: Partial<Record<DataType, [number, number]>> = {
  [DataType.FLOAT]: [-RANDOM_FLOAT_RANGE, RANDOM_FLOAT_RANGE],
  [DataType.DOUBLE]: [-RANDOM_FLOAT_RANGE, RANDOM_FLOAT_RANGE],
  [DataType.FLOAT16]: [-RANDOM_FLOAT_RANGE, RANDOM_FLOAT_RANGE],
  [DataType.INT8]: [0, RANDOM_INT_LIMIT - 1],
  [DataType.INT16]: [0, RANDOM_INT_LIMIT - 1],
  [DataType.INT32]: [0, RANDOM_INT_LIMIT - 1],
  [DataType.INT64]: [0, RANDOM_INT_LIMIT - 1],
  [DataType.UINT16]: [0, RANDOM_INT_LIMIT - 1],
  [DataType.UINT32]: [0, RANDOM_INT_LIMIT - 1],
  [DataType.UINT64]: [0, RANDOM_INT_LIMIT - 1],
  [DataType.UINT8]: [0, 255],
  [DataType.BOOL]: [0, 1],
};

/** The practical [lo, hi] of the random distribution of a dtype (floats: ±6σ). */
export function randomRange(dt: DataType): [number, number] {
  const r = RANGE[dt];
  if (!r) throw new Error(`no random distribution for ${dtypeName(dt)}`);
  return r;
}

/** `n` random values of dtype `dt` from generator `next`; `input` names the input in errors. */
export function randomValues(dt: DataType, n: number, next: () => number, input: string): TensorValues {
  switch (dt) {
    case DataType.FLOAT: case DataType.DOUBLE: case DataType.FLOAT16: {
      const out = dt === DataType.DOUBLE ? new Float64Array(n) : new Float32Array(n);
      for (let i = 0; i < n; i += 2) {
        const r = Math.sqrt(-2 * Math.log(1 - next()));
        const th = 2 * Math.PI * next();
        out[i] = r * Math.cos(th);
        if (i + 1 < n) out[i + 1] = r * Math.sin(th);
      }
      if (dt !== DataType.FLOAT16) return out;
      const h = new Uint16Array(n);
      for (let i = 0; i < n; i++) h[i] = float32ToFloat16(out[i]);
      return h;
    }
    case DataType.INT64: case DataType.UINT64: {
      const out = dt === DataType.INT64 ? new BigInt64Array(n) : new BigUint64Array(n);
      for (let i = 0; i < n; i++) out[i] = BigInt(Math.floor(next() * RANDOM_INT_LIMIT));
      return out;
    }
    case DataType.INT8: case DataType.INT16: case DataType.INT32: case DataType.UINT16: case DataType.UINT32: {
      const out = dt === DataType.INT8 ? new Int8Array(n) : dt === DataType.INT16 ? new Int16Array(n) : dt === DataType.INT32 ? new Int32Array(n) : dt === DataType.UINT16 ? new Uint16Array(n) : new Uint32Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(next() * RANDOM_INT_LIMIT);
      return out;
    }
    case DataType.UINT8: {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
      return out;
    }
    case DataType.BOOL: {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = next() < 0.5 ? 0 : 1;
      return out;
    }
    default:
      throw new DataFileError(`input "${input}": random ${dtypeName(dt)} inputs are not supported; pass --data with real samples`);
  }
}
