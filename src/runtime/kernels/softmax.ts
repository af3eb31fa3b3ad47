// Softmax-family kernels over a [outer, n, inner] view: softmax, log-softmax and hardmax along
// the middle axis, max-subtracted for stability.

/** Which function to apply along the axis. */
export type SoftmaxMode = 'softmax' | 'logsoftmax' | 'hardmax';

/** y = mode(x) along the middle axis of an [outer, n, inner] layout. */
export function softmaxAxis(
  x: Float32Array | Float64Array, y: Float32Array | Float64Array,
  outer: number, n: number, inner: number, mode: SoftmaxMode,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let m = -Infinity;
      let arg = 0;
      for (let j = 0; j < n; j++) {
        const v = x[base + j * inner];
        if (v > m) { m = v; arg = j; }
      }
      if (mode === 'hardmax') {
        for (let j = 0; j < n; j++) y[base + j * inner] = j === arg ? 1 : 0;
        continue;
      }
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.exp(x[base + j * inner] - m);
      if (mode === 'softmax') {
        const inv = 1 / s;
        for (let j = 0; j < n; j++) y[base + j * inner] = Math.exp(x[base + j * inner] - m) * inv;
      } else {
        const ls = Math.log(s);
        for (let j = 0; j < n; j++) y[base + j * inner] = x[base + j * inner] - m - ls;
      }
    }
  }
}
