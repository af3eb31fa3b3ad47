// Unary math ops: Abs, Neg, Sign, Reciprocal, Floor, Ceil, Round, Sqrt, Exp, Log and the
// trigonometric / hyperbolic family. Each is one tight loop over the input's storage.
import { OpDef } from '../../op';
import { FLOATS, NUMERIC, SIGNED_NUMERIC, unaryOp } from './common';

type U = OpDef<undefined>[];

/** Abs (opsets 1, 6, 13): every numeric type; the most negative integer stays itself (wraps). */
export const absOps: U = unaryOp({
  opType: 'Abs', sinces: [1, 6, 13], types: NUMERIC,
  loops: {
    num(x, y, n) { for (let i = 0; i < n; i++) y[i] = Math.abs(x[i]); },
    big(x, y, n) { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v < 0n ? -v : v; } },
  },
});
/** Neg (opsets 1, 6, 13): floats and signed integers. */
export const negOps: U = unaryOp({
  opType: 'Neg', sinces: [1, 6, 13], types: SIGNED_NUMERIC,
  loops: {
    num(x, y, n) { for (let i = 0; i < n; i++) y[i] = -x[i]; },
    big(x, y, n) { for (let i = 0; i < n; i++) y[i] = -x[i]; },
  },
});
/** Sign (opsets 9, 13): -1, 0 or 1 (NaN stays NaN). */
export const signOps: U = unaryOp({
  opType: 'Sign', sinces: [9, 13], types: NUMERIC,
  loops: {
    num(x, y, n) { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v > 0 ? 1 : v < 0 ? -1 : v; } },
    big(x, y, n) { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v > 0n ? 1n : v < 0n ? -1n : 0n; } },
  },
});

/** A unary op over float types computed by `num`. */
function floatOp(opType: string, sinces: readonly number[], num: (x: Float32Array | Float64Array, y: Float32Array | Float64Array, n: number) => void): U {
  return unaryOp({ opType, sinces, types: FLOATS, loops: { num: num as (x: unknown, y: unknown, n: number) => void } });
}

const V1 = [1, 6, 13];
const V7 = [7, 22];
const V9 = [9, 22];
/** Reciprocal. */
export const reciprocalOps = floatOp('Reciprocal', V1, (x, y, n) => { for (let i = 0; i < n; i++) y[i] = 1 / x[i]; });
/** Floor. */
export const floorOps = floatOp('Floor', V1, (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.floor(x[i]); });
/** Ceil. */
export const ceilOps = floatOp('Ceil', V1, (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.ceil(x[i]); });
/** Round: halves to even; integers, ±0, NaN and ±inf unchanged. */
export const roundOps = floatOp('Round', [11, 22], (x, y, n) => {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    const r = Math.round(v); // rounds halves up
    y[i] = r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }
});
/** Sqrt. */
export const sqrtOps = floatOp('Sqrt', V1, (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.sqrt(x[i]); });
/** Exp. */
export const expOps = floatOp('Exp', V1, (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.exp(x[i]); });
/** Log. */
export const logOps = floatOp('Log', V1, (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.log(x[i]); });
/** Sin. */
export const sinOps = floatOp('Sin', V7, (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.sin(x[i]); });
/** Cos. */
export const cosOps = floatOp('Cos', V7, (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.cos(x[i]); });
/** Tan. */
export const tanOps = floatOp('Tan', V7, (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.tan(x[i]); });
/** Asin. */
export const asinOps = floatOp('Asin', V7, (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.asin(x[i]); });
/** Acos. */
export const acosOps = floatOp('Acos', V7, (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.acos(x[i]); });
/** Atan. */
export const atanOps = floatOp('Atan', V7, (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.atan(x[i]); });
/** Sinh. */
export const sinhOps = floatOp('Sinh', V9, (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.sinh(x[i]); });
/** Cosh. */
export const coshOps = floatOp('Cosh', V9, (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.cosh(x[i]); });
/** Asinh. */
export const asinhOps = floatOp('Asinh', V9, (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.asinh(x[i]); });
/** Acosh. */
export const acoshOps = floatOp('Acosh', V9, (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.acosh(x[i]); });
/** Atanh. */
export const atanhOps = floatOp('Atanh', V9, (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.atanh(x[i]); });
