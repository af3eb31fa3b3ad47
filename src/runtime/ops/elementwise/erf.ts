// Erf: the Gauss error function, to double precision (JS has no Math.erf). Also used by Gelu.
import { OpDef } from '../../op';
import { FLOATS, unaryOp } from './common';

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const INV_SQRT_PI = 0.5641895835477563;

/**
 * erf(x) from its series (below |x| = 3: the everywhere-positive series
 * 2/√π·e^(−x²)·Σ (2x²)^k·x / (1·3·…·(2k+1)); above: the continued fraction of erfc). Accurate to
 * a few ulp of a double but slow; it seeds the table behind `erf` and serves as its reference.
 */
export function erfSeries(x: number): number {
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

// Taylor polynomials of erf around the centres of [i/8, (i+1)/8), i < 48, degree 10. The k-th
// derivative of erf is 2/√π·(−1)^(k−1)·H_(k−1)(c)·e^(−c²) (H: Hermite polynomials); with |x − c| ≤ 1/16
// the truncation error stays below 1e-16.
const STEPS = 8;
const DEG = 10;
const INTERVALS = 6 * STEPS;
const COEF = new Float64Array(INTERVALS * (DEG + 1));
for (let i = 0; i < INTERVALS; i++) {
  const c = (i + 0.5) / STEPS;
  const g = TWO_OVER_SQRT_PI * Math.exp(-c * c);
  COEF[i * (DEG + 1)] = erfSeries(c);
  let hPrev = 0; // H_(k−2), starting from H_(−1) = 0
  let h = 1; // H_(k−1), starting from H_0 = 1
  let fact = 1;
  for (let k = 1; k <= DEG; k++) {
    fact *= k;
    if (k > 1) {
      const next = 2 * c * h - 2 * (k - 2) * hPrev; // H_(n+1) = 2c·H_n − 2n·H_(n−1), n = k − 2
      hPrev = h;
      h = next;
    }
    COEF[i * (DEG + 1) + k] = ((k % 2 === 1 ? 1 : -1) * g * h) / fact;
  }
}

// Maclaurin coefficients of erf(x)/x in x² (2/√π·(−1)^k / (k!·(2k+1))), for |x| < 1/8 where relative accuracy near 0 matters.
const SMALL = new Float64Array(8);
for (let k = 0, f = 1; k < 8; k++, f *= k) SMALL[k] = (TWO_OVER_SQRT_PI * (k % 2 ? -1 : 1)) / (f * (2 * k + 1));

/** erf(x) to a few ulp of a double: a Maclaurin polynomial near 0, else table lookup and one degree-10 polynomial. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < 6)) return x !== x ? NaN : x > 0 ? 1 : -1;
  if (ax < 1 / STEPS) {
    const z = x * x;
    let p = SMALL[7];
    for (let k = 6; k >= 0; k--) p = p * z + SMALL[k];
    return x * p;
  }
  const i = Math.floor(ax * STEPS);
  const d = ax - (i + 0.5) / STEPS;
  const o = i * (DEG + 1);
  let r = COEF[o + DEG];
  for (let k = DEG - 1; k >= 0; k--) r = r * d + COEF[o + k];
  return x < 0 ? -r : r;
}

/** Erf (opsets 9, 13). */
export const erfOps: OpDef<undefined>[] = unaryOp({
  opType: 'Erf', sinces: [9, 13], types: FLOATS,
  loops: { num(x, y, n) { for (let i = 0; i < n; i++) y[i] = erf(x[i]); } },
});
