// The WebAssembly depthwise kernel (src/runtime/kernels/depthwise-wasm.ts) against conv.ts's plain
// loops and a direct per-output sum: kernel sizes, row strides, dilations, paddings, channel
// multipliers and widths that leave 1–3 columns for the scalar tail.
import * as assert from 'node:assert/strict';
import { convForward, setConvSimd } from '../../src/runtime/kernels/conv';
import { depthwiseKernel } from '../../src/runtime/kernels/depthwise-wasm';
import { forwardWindow } from '../../src/runtime/kernels/window';

function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

interface Case { C: number; mult: number; H: number; W: number; k: [number, number]; s: [number, number]; d: [number, number]; p: [number, number, number, number] }

/** y by the definition: bias + Σ over taps inside the input. */
function direct(x: Float32Array, w: Float32Array, b: Float32Array, c: Case, oH: number, oW: number): Float64Array {
  const M = c.C * c.mult;
  const y = new Float64Array(M * oH * oW);
  for (let m = 0; m < M; m++) {
    const ch = Math.floor(m / c.mult);
    for (let oh = 0; oh < oH; oh++) {
      for (let ow = 0; ow < oW; ow++) {
        let acc = b[m];
        for (let kh = 0; kh < c.k[0]; kh++) {
          for (let kw = 0; kw < c.k[1]; kw++) {
            const ih = oh * c.s[0] - c.p[0] + kh * c.d[0];
            const iw = ow * c.s[1] - c.p[1] + kw * c.d[1];
            if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W) continue;
            acc += x[(ch * c.H + ih) * c.W + iw] * w[(m * c.k[0] + kh) * c.k[1] + kw];
          }
        }
        y[(m * oH + oh) * oW + ow] = acc;
      }
    }
  }
  return y;
}

describe('kernels: depthwise convolution in WebAssembly', () => {
  it('instantiates where WebAssembly SIMD exists (Node 20)', () => {
    assert.ok(depthwiseKernel());
  });

  const cases: Case[] = [
    { C: 3, mult: 1, H: 9, W: 13, k: [3, 3], s: [1, 1], d: [1, 1], p: [1, 1, 1, 1] },
    { C: 2, mult: 2, H: 8, W: 7, k: [3, 3], s: [2, 1], d: [1, 1], p: [1, 1, 1, 1] },
    { C: 4, mult: 1, H: 11, W: 10, k: [5, 5], s: [1, 1], d: [2, 2], p: [4, 4, 4, 4] },
    { C: 1, mult: 3, H: 6, W: 5, k: [3, 1], s: [1, 1], d: [1, 1], p: [0, 0, 2, 0] },
    { C: 2, mult: 1, H: 5, W: 6, k: [3, 3], s: [1, 1], d: [1, 1], p: [0, 0, 0, 0] },
    { C: 2, mult: 1, H: 3, W: 2, k: [3, 3], s: [1, 1], d: [1, 1], p: [2, 3, 2, 3] },
  ];
  for (const c of cases) {
    it(`k ${c.k.join('×')}, strides ${c.s.join(',')}, dilations ${c.d.join(',')}, pads ${c.p.join(',')}, ${c.C} channels × ${c.mult}, ${c.H}×${c.W}: as the plain loops and the definition`, () => {
      const M = c.C * c.mult;
      const win = forwardWindow([c.H, c.W], [...c.k], [...c.s], [...c.d], [...c.p], 'NOTSET', false);
      const [oH, oW] = win.outShape;
      const x = values(2 * c.C * c.H * c.W, 1 + c.H);
      const w = values(M * c.k[0] * c.k[1], 7 + c.W);
      const b = values(M, 3);
      const run = (simd: boolean): Float32Array => {
        const y = new Float32Array(2 * M * oH * oW);
        setConvSimd(simd);
        try {
          convForward(x, [2, c.C, c.H, c.W], w, M, b, c.C, win, y);
        } finally {
          setConvSimd(true);
        }
        return y;
      };
      const fast = run(true);
      const plain = run(false);
      const want = [...direct(x.subarray(0, c.C * c.H * c.W), w, b, c, oH, oW), ...direct(x.subarray(c.C * c.H * c.W), w, b, c, oH, oW)];
      assert.equal(fast.length, want.length);
      for (let i = 0; i < want.length; i++) {
        assert.ok(Math.abs(fast[i] - want[i]) <= 1e-5, `simd y[${i}] = ${fast[i]}, want ${want[i]}`);
        assert.ok(Math.abs(plain[i] - want[i]) <= 1e-5, `plain y[${i}] = ${plain[i]}, want ${want[i]}`);
      }
    });
  }
});
