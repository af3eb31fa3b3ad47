// The branch-free float32 Relu and Clip (src/runtime/kernels/relu-f32.ts) give exactly what
// `v < 0 ? 0 : v` and `v < lo ? lo : v > hi ? hi : v` give, bit for bit (a signalling NaN stays
// NaN with its bits in Relu, where the float path quiets it): NaNs of either sign stay NaN, −0
// stays −0, negative denormals and −∞ become +0 under Relu.
import { strict as assert } from 'node:assert';
import { clipF32, clipF32InPlace, reluF32, reluF32InPlace } from '../../src/runtime/kernels/relu-f32';
import { seeded } from '../helpers/model-builder';

function reference(x: Float32Array): Float32Array {
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) { const v = x[i]; y[i] = v < 0 ? 0 : v; }
  return y;
}

/** The bit patterns, every NaN as one pattern: reading a signalling NaN as a number quiets it, the integer path keeps its bits. */
function bits(a: Float32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), (b, i) => (Number.isNaN(a[i]) ? -1 : b));
}

function specials(): Float32Array {
  const x = new Float32Array(40);
  const u = new Uint32Array(x.buffer);
  const rng = seeded(4);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  u[0] = 0x7fc00000; // NaN
  u[1] = 0xffc00000; // NaN with the sign bit (what x86 produces for 0/0)
  u[2] = 0xff800001; // signalling-pattern NaN, negative
  u[3] = 0x80000000; // −0
  u[4] = 0x00000000; // +0
  u[5] = 0xff800000; // −∞
  u[6] = 0x7f800000; // +∞
  u[7] = 0x80000001; // smallest negative denormal
  u[8] = 0x807fffff; // largest negative denormal
  u[9] = 0xff7fffff; // −FLT_MAX
  u[10] = 0x00000001; // smallest positive denormal
  return x;
}

describe('kernels: branch-free float32 Relu and Clip', () => {
  it('matches v < 0 ? 0 : v bit for bit, special values included', () => {
    const x = specials();
    const y = x.slice();
    reluF32InPlace(y, 0, y.length);
    assert.deepEqual(bits(y), bits(reference(x)));
    assert.ok(Number.isNaN(y[1]) && Number.isNaN(y[2]));
    assert.ok(Object.is(y[3], -0) && Object.is(y[5], 0) && Object.is(y[7], 0));
  });

  it('works on a sub-range and from one array into another at offsets', () => {
    const x = specials();
    const y = x.slice();
    reluF32InPlace(y, 5, 17);
    const want = x.slice();
    want.set(reference(x.subarray(5, 17)), 5);
    assert.deepEqual(bits(y), bits(want));
    const out = new Float32Array(50).fill(7);
    reluF32(x, 3, out, 10, 20);
    assert.deepEqual(bits(out.subarray(10, 30)), bits(reference(x.subarray(3, 23))));
    assert.ok(out.subarray(0, 10).every((v) => v === 7) && out.subarray(30).every((v) => v === 7));
    const clipped = new Float32Array(50).fill(7);
    clipF32(x, 3, clipped, 10, 20, -0.5, 0.5);
    assert.deepEqual(bits(clipped.subarray(10, 30)), bits(x.subarray(3, 23).map((v) => (v < -0.5 ? -0.5 : v > 0.5 ? 0.5 : v))));
    assert.ok(clipped.subarray(0, 10).every((v) => v === 7) && clipped.subarray(30).every((v) => v === 7));
  });

  it('Clip matches v < lo ? lo : v > hi ? hi : v bit for bit, for mask-safe and other bounds', () => {
    const x = specials();
    const rng = seeded(9);
    const more = Float32Array.from({ length: 200 }, () => rng.normal() * 8);
    const all = new Float32Array([...x, ...more, 6, -1, 1, 2, -3.5]);
    for (const [lo, hi] of [[0, 6], [-1, 1], [-0, 6], [0, Infinity], [-Infinity, 0], [2, 2], [-3.5, -1], [Math.fround(0.1), Math.fround(0.7)]]) {
      const y = all.slice();
      clipF32InPlace(y, 0, y.length, lo, hi);
      const want = all.map((v) => (v < lo ? lo : v > hi ? hi : v));
      for (let i = 0; i < y.length; i++) {
        assert.ok(Object.is(y[i], want[i]) || (Number.isNaN(y[i]) && Number.isNaN(want[i])), `[${lo}, ${hi}] at ${i} (${all[i]}): ${y[i]} vs ${want[i]}`);
      }
    }
  });
});
