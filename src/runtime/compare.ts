// Compares a computed tensor with an expected one the way ONNX's test runner does
// (numpy.testing.assert_allclose): |got − want| ≤ atol + rtol·|want|, NaN equals NaN, infinities
// equal when of the same sign; integers, bools and strings exactly; dtype and shape exactly.
import { DataType } from '../onnx/ir';
import { dtypeName, toFloat32Array } from '../onnx/dtype';
import { Tensor } from './tensor';

/** ONNX's default tolerances for node tests. */
export const DEFAULT_RTOL = 1e-3;
export const DEFAULT_ATOL = 1e-7;

/** The outcome of a comparison: `mismatch` is undefined when the tensors agree. */
export interface Comparison {
  /** One line describing the first difference (and how many), or undefined. */
  readonly mismatch?: string;
  /** Largest |got − want| over finite pairs (0 for exact types). */
  readonly maxAbs: number;
  /** Largest |got − want| / |want| over finite pairs with want ≠ 0. */
  readonly maxRel: number;
}

const FLOATISH = new Set([
  DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.BFLOAT16, DataType.FLOAT8E4M3FN, DataType.FLOAT8E4M3FNUZ,
  DataType.FLOAT8E5M2, DataType.FLOAT8E5M2FNUZ, DataType.FLOAT4E2M1, DataType.FLOAT8E8M0, DataType.COMPLEX64, DataType.COMPLEX128,
]);

/** Compares `got` with `want` (see the file comment for the rules). */
export function compareTensors(want: Tensor, got: Tensor | undefined, rtol = DEFAULT_RTOL, atol = DEFAULT_ATOL): Comparison {
  const fail = (mismatch: string): Comparison => ({ mismatch, maxAbs: NaN, maxRel: NaN });
  if (!got) return fail('missing');
  if (got.dtype !== want.dtype) return fail(`dtype ${dtypeName(got.dtype)}, expected ${dtypeName(want.dtype)}`);
  if (got.shape.join(',') !== want.shape.join(',')) return fail(`shape [${got.shape.join(',')}], expected [${want.shape.join(',')}]`);
  if (got.data.length !== want.data.length) return fail(`${got.data.length} values, expected ${want.data.length}`);
  if (!FLOATISH.has(want.dtype)) {
    let count = 0;
    let first = -1;
    for (let i = 0; i < want.data.length; i++) {
      if (got.data[i] !== want.data[i]) {
        count++;
        if (first < 0) first = i;
      }
    }
    if (first < 0) return { maxAbs: 0, maxRel: 0 };
    return fail(`${count} of ${want.data.length} values differ; first at ${first}: got ${String(got.data[first])}, expected ${String(want.data[first])}`);
  }
  const w = asNumbers(want);
  const g = asNumbers(got);
  let first = -1;
  let count = 0;
  let maxAbs = 0;
  let maxRel = 0;
  for (let i = 0; i < w.length; i++) {
    const a = g[i];
    const b = w[i];
    if (Number.isFinite(a) && Number.isFinite(b)) {
      const d = Math.abs(a - b);
      if (d > maxAbs) maxAbs = d;
      if (b !== 0 && d / Math.abs(b) > maxRel) maxRel = d / Math.abs(b);
      if (d <= atol + rtol * Math.abs(b)) continue;
    } else if (a === b || (Number.isNaN(a) && Number.isNaN(b))) {
      continue;
    }
    count++;
    if (first < 0) first = i;
  }
  if (first < 0) return { maxAbs, maxRel };
  return {
    mismatch: `${count} of ${w.length} values differ; first at ${first}: got ${show(g[first], g)}, expected ${show(w[first], w)} (max abs diff ${maxAbs.toPrecision(3)}, rtol ${rtol}, atol ${atol})`,
    maxAbs,
    maxRel,
  };
}

/** A value as short as it can be while reading back to the same float32 (or float64). */
function show(x: number, from: Float32Array | Float64Array): string {
  if (from instanceof Float64Array || !Number.isFinite(x)) return String(x);
  for (let p = 1; p < 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}

function asNumbers(t: Tensor): Float32Array | Float64Array {
  if (t.data instanceof Float64Array || t.data instanceof Float32Array) return t.data;
  return toFloat32Array(t.data, t.dtype);
}
