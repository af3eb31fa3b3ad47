// Erf: the Gauss error function, to double precision (JS has no Math.erf). Also used by Gelu.
import { OpDef } from '../../op';
import { FLOATS, unaryOp } from './common';

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const INV_SQRT_PI = 0.5641895835477563;

/**
 * erf(x) accurate to a few ulp of a double: below |x| = 3 the everywhere-positive series
 * erf(x) = 2/√π·e^(−x²)·Σ (2x²)^k·x / (1·3·…·(2k+1)); above, the continued fraction of erfc.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < 6)) return x !== x ? NaN : x > 0 ? 1 : -1; // erfc(6) ≈ 2e-17: below a double's ulp at 1
  let r: number;
  if (ax < 3) {
    const x2 = 2 * ax * ax;
    let term = ax;
    let sum = ax;
    for (let k = 1; k < 200 && term > sum * 1e-17; k++) {
      term *= x2 / (2 * k + 1);
      sum += term;
    }
    r = TWO_OVER_SQRT_PI * Math.exp(-ax * ax) * sum;
  } else {
    // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated backwards.
    let t = ax;
    for (let k = 60; k >= 1; k--) t = ax + k / 2 / t;
    r = 1 - (INV_SQRT_PI * Math.exp(-ax * ax)) / t;
  }
  return x < 0 ? -r : r;
}

/** Erf (opsets 9, 13). */
export const erfOps: OpDef<undefined>[] = unaryOp({
  opType: 'Erf', sinces: [9, 13], types: FLOATS,
  loops: { num(x, y, n) { for (let i = 0; i < n; i++) y[i] = erf(x[i]); } },
});
