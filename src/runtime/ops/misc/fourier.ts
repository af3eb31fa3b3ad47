// Discrete Fourier transform helpers shared by DFT and STFT: twiddle tables and one strided
// complex transform of a single line (direct O(n·m) evaluation in float64).

/** cos and sin of 2πm/n for m in [0, n). */
export interface Twiddles { n: number; cos: Float64Array; sin: Float64Array }

/** Builds the twiddle table of length n. */
export function twiddles(n: number): Twiddles {
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let m = 0; m < n; m++) {
    const a = (2 * Math.PI * m) / n;
    cos[m] = Math.cos(a);
    sin[m] = Math.sin(a);
  }
  return { n, cos, sin };
}

/**
 * out[k] = scale · Σ_{j<len} in[j] · e^{sign·2πi·jk/n} for k < outLen. `re`/`im` hold the input
 * line (im may be undefined for real input); results go to outRe/outIm.
 */
export function dftLine(
  tw: Twiddles, re: Float64Array, im: Float64Array | undefined, len: number, outLen: number, sign: 1 | -1, scale: number,
  outRe: Float64Array, outIm: Float64Array,
): void {
  const n = tw.n;
  for (let k = 0; k < outLen; k++) {
    let sr = 0;
    let si = 0;
    let m = 0;
    for (let j = 0; j < len; j++) {
      const c = tw.cos[m];
      const s = sign * tw.sin[m];
      const xr = re[j];
      const xi = im ? im[j] : 0;
      sr += xr * c - xi * s;
      si += xr * s + xi * c;
      m += k;
      if (m >= n) m %= n;
    }
    outRe[k] = sr * scale;
    outIm[k] = si * scale;
  }
}
