// Cast / CastLike: the spec's float8 saturate tables, single rounding from double and int64,
// the fast float32 → float16/bfloat16 path against the generic encoder, sub-byte integers,
// string formatting and exact string parsing, and the refused variants.
import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { float8ToFloat32, fromFloat32Array } from '../../src/onnx/dtype';
import { castLikeOps, castOps } from '../../src/runtime/ops/elementwise/cast';
import { encodeSmall, SMALL_FLOATS } from '../../src/runtime/ops/elementwise/cast-float';
import { at, run, t, vals } from '../helpers/fake-context';

const D = DataType;
const cast = (x: ReturnType<typeof t>, to: DataType, extra = [] as ReturnType<typeof at.int>[], opset = 25): ReturnType<typeof t> =>
  run(castOps, [x], [at.int('to', to), ...extra], opset);

describe('Cast', () => {
  it('follows the float8 saturate tables', () => {
    const x = t(D.FLOAT, [6], [Infinity, -Infinity, 1e6, NaN, -0, 464]);
    const dec = (y: ReturnType<typeof t>, dt: DataType): number[] => Array.from(y.data as Uint8Array, (b) => float8ToFloat32(b, dt));
    assert.deepEqual(dec(cast(x, D.FLOAT8E4M3FN), D.FLOAT8E4M3FN), [448, -448, 448, NaN, -0, 448]);
    assert.deepEqual(dec(cast(x, D.FLOAT8E4M3FN, [at.int('saturate', 0)]), D.FLOAT8E4M3FN), [NaN, NaN, NaN, NaN, -0, 448]);
    assert.deepEqual(dec(cast(x, D.FLOAT8E5M2, [at.int('saturate', 0)]), D.FLOAT8E5M2), [Infinity, -Infinity, Infinity, NaN, -0, 448]);
    assert.deepEqual(dec(cast(x, D.FLOAT8E4M3FNUZ), D.FLOAT8E4M3FNUZ), [240, -240, 240, NaN, 0, 240]);
    assert.deepEqual(dec(cast(x, D.FLOAT8E5M2FNUZ, [at.int('saturate', 0)]), D.FLOAT8E5M2FNUZ), [NaN, NaN, NaN, NaN, 0, 448]);
  });

  it('the float32 → float16/bfloat16 fast path equals the generic single rounding', () => {
    let s = 12345;
    const xs = new Float32Array(20000);
    const u = new Uint32Array(xs.buffer);
    for (let i = 0; i < xs.length; i++) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; u[i] = s; }
    xs.set([65504, 65519.99, 65520, 6e-8, 2.98e-8, 5.960464477539063e-8 / 2, -0, 3.4e38], 0);
    for (const dt of [D.FLOAT16, D.BFLOAT16]) {
      const fast = fromFloat32Array(xs, dt) as Uint16Array;
      const f = SMALL_FLOATS[dt]!;
      for (let i = 0; i < xs.length; i++) {
        if (Number.isNaN(xs[i])) continue;
        assert.equal(fast[i], encodeSmall(xs[i], f, false), `${dt} of ${xs[i]}`);
      }
    }
  });

  it('rounds double and int64 sources once (no double rounding through float32)', () => {
    // 1 + 2^-11 + 2^-40 is just above a float16 midpoint; through float32 it would land on the midpoint and round to even.
    const y = cast(t(D.DOUBLE, [1], [1 + 2 ** -11 + 2 ** -40]), D.FLOAT16);
    assert.equal((y.data as Uint16Array)[0], 0x3c01);
    // 2^60 + 2^36 + 1 is just above a float32 midpoint; Number() alone would round to the midpoint first.
    const z = cast(t(D.INT64, [1], [2n ** 60n + 2n ** 36n + 1n]), D.FLOAT);
    assert.equal((z.data as Float32Array)[0], 2 ** 60 + 2 ** 37);
  });

  it('floats to integers truncate and wrap; sub-byte types wrap; anything to bool is non-zero', () => {
    assert.deepEqual(vals(cast(t(D.FLOAT, [4], [2.7, -2.7, 300, NaN]), D.INT8)), [2, -2, 44, 0]);
    assert.deepEqual(vals(cast(t(D.FLOAT, [4], [-9, 8, 7.9, -1]), D.INT4)), [7, -8, 7, -1]);
    assert.deepEqual(vals(cast(t(D.FLOAT, [3], [-3, 2, 3]), D.UINT2)), [1, 2, 3]);
    assert.deepEqual(vals(cast(t(D.INT64, [2], [2n ** 40n + 5n, -1]), D.UINT8)), [5, 255]);
    assert.deepEqual(vals(cast(t(D.FLOAT, [3], [NaN, -0, 0.1]), D.BOOL)), [1, 0, 1]);
    assert.deepEqual(vals(cast(t(D.FLOAT, [3], [1e30, -3.9, NaN]), D.INT64)), [(-(2n ** 63n)).toString(), '-3', (-(2n ** 63n)).toString()]);
    assert.deepEqual(vals(cast(t(D.BOOL, [2], [0, 5]), D.FLOAT)), [0, 1]);
  });

  it('casts to float8e8m0 with each round_mode and refuses saturate=0', () => {
    const x = t(D.FLOAT, [5], [0, 0.124, 1, 1.5, 3]);
    assert.deepEqual(vals(cast(x, D.FLOAT8E8M0)), [0, 124, 127, 128, 129]);
    assert.deepEqual(vals(cast(x, D.FLOAT8E8M0, [at.str('round_mode', 'down')])), [0, 123, 127, 127, 128]);
    assert.deepEqual(vals(cast(x, D.FLOAT8E8M0, [at.str('round_mode', 'nearest')])), [0, 124, 127, 128, 129]);
    assert.throws(() => cast(x, D.FLOAT8E8M0, [at.int('saturate', 0)]), /float8e8m0 with saturate=0 is not supported/);
  });

  it('prints numbers like the reference and parses strings exactly', () => {
    assert.deepEqual(vals(cast(t(D.FLOAT, [7], [0.1, 1, -2.5e-5, 1e16, NaN, -Infinity, 123456.5]), D.STRING)), ['0.1', '1.0', '-2.5e-05', '1e+16', 'nan', '-inf', '123456.5']);
    assert.deepEqual(vals(cast(t(D.DOUBLE, [1], [0.1]), D.STRING)), ['0.1']);
    assert.deepEqual(vals(cast(t(D.INT64, [1], [-(2n ** 63n)]), D.STRING)), ['-9223372036854775808']);
    assert.deepEqual(vals(cast(t(D.BOOL, [2], [1, 0]), D.STRING)), ['True', 'False']);
    const s = t(D.STRING, [6], ['3.14', ' 1e-5', '+INF', '-inf', 'NaN', '1000']);
    assert.deepEqual(vals(cast(s, D.DOUBLE)), [3.14, 1e-5, Infinity, -Infinity, NaN, 1000]);
    assert.deepEqual(vals(cast(t(D.STRING, [2], ['9223372036854775807', '100.5']), D.INT64)), ['9223372036854775807', '100']);
    // Just above the float32 midpoint 1 + 2^-24: a double parse alone lands on the midpoint.
    assert.deepEqual(vals(cast(t(D.STRING, [1], ['1.00000005960464477539062500001']), D.FLOAT)), [1 + 2 ** -23]);
    assert.throws(() => cast(t(D.STRING, [1], ['Hello']), D.FLOAT), /element 0: cannot cast the string "Hello" to a number/);
  });

  it('opset 1 names the target type as a string; complex targets are refused', () => {
    assert.deepEqual(vals(run(castOps, [t(D.INT32, [1], [3])], [at.str('to', 'FLOAT')], 1)), [3]);
    assert.throws(() => cast(t(D.FLOAT, [1], [1]), D.COMPLEX64), /complex .* cannot be cast/);
  });
});

describe('CastLike', () => {
  it('casts to the second input type, honouring saturate', () => {
    const y = run(castLikeOps, [t(D.FLOAT, [2], [1e6, 0.5]), t(D.FLOAT8E4M3FN, [0], [])], [at.int('saturate', 0)]);
    assert.equal(y.dtype, D.FLOAT8E4M3FN);
    assert.deepEqual(Array.from(y.data as Uint8Array, (b) => float8ToFloat32(b, D.FLOAT8E4M3FN)), [NaN, 0.5]);
    assert.deepEqual(vals(run(castLikeOps, [t(D.FLOAT16, [1], [0x3c00]), t(D.INT32, [0], [])])), [1]);
  });
});
