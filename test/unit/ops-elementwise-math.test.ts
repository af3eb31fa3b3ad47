// Unary math ops and activations against Math-based references and the spec's special values;
// Clip across its opset versions; float16 inputs through the executor's widening.
import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { float16ToFloat32, float32ToFloat16 } from '../../src/onnx/dtype';
import { clipOps } from '../../src/runtime/ops/elementwise/clip';
import { celuOps, eluOps, seluOps } from '../../src/runtime/ops/elementwise/elu';
import { erf, erfOps, erfSeries } from '../../src/runtime/ops/elementwise/erf';
import { geluOps } from '../../src/runtime/ops/elementwise/gelu';
import { isInfOps, isNaNOps } from '../../src/runtime/ops/elementwise/isnan';
import { notOps, xorOps } from '../../src/runtime/ops/elementwise/logic';
import { absOps, expOps, negOps, roundOps, signOps, sqrtOps } from '../../src/runtime/ops/elementwise/math';
import { leakyReluOps, reluOps } from '../../src/runtime/ops/elementwise/relu';
import { shrinkOps } from '../../src/runtime/ops/elementwise/shrink';
import { hardSigmoidOps, hardSwishOps, sigmoidOps, swishOps } from '../../src/runtime/ops/elementwise/sigmoid';
import { mishOps, softplusOps } from '../../src/runtime/ops/elementwise/softplus';
import { at, run, t, vals } from '../helpers/fake-context';

const F = DataType.FLOAT;
const f32 = (xs: number[]): number[] => xs.map((x) => Math.fround(x));

describe('elementwise unary math', () => {
  it('Round rounds halves to even and keeps signed zeros', () => {
    const y = vals(run(roundOps, [t(F, [9], [0.5, 1.5, 2.5, -0.5, -2.5, -3.5, 2.3, 0.9, -0])]));
    assert.deepEqual(y, [0, 2, 2, -0, -2, -4, 2, 1, -0]);
    assert.ok(Object.is(y[3], -0));
  });

  it('Abs, Neg and Sign wrap or keep integers exactly, including int64', () => {
    assert.deepEqual(vals(run(absOps, [t(DataType.INT8, [3], [-128, -5, 7])])), [-128, 5, 7]);
    assert.deepEqual(vals(run(negOps, [t(DataType.INT64, [2], [-(2n ** 63n), 5])])), [(-(2n ** 63n)).toString(), '-5']);
    assert.deepEqual(vals(run(signOps, [t(F, [4], [-2, 0, 3, NaN])])), [-1, 0, 1, NaN]);
    assert.deepEqual(vals(run(signOps, [t(DataType.UINT64, [2], [0, 9])])), ['0', '1']);
    assert.throws(() => run(sqrtOps, [t(DataType.INT32, [1], [4])]), /input type int32 is not supported/);
  });

  it('Erf is accurate to a few ulp across its range', () => {
    const known: Array<[number, number]> = [[0.1, 0.1124629160182849], [0.5, 0.5204998778130465], [1, 0.8427007929497149], [2, 0.9953222650189527], [3.5, 0.9999992569016276], [-1.5, -0.9661051464753108], [1e-5, 1.1283791670579e-5]];
    for (const [x, want] of known) assert.ok(Math.abs(erf(x) - want) <= 4e-16 * Math.abs(want), `erf(${x})`);
    for (let x = -6.5; x <= 6.5; x += 0.00123) {
      const want = erfSeries(x);
      assert.ok(Math.abs(erf(x) - want) <= 4e-15 * Math.abs(want), `erf(${x}) = ${erf(x)} vs ${want}`);
    }
    assert.equal(erf(7), 1);
    assert.ok(Object.is(erf(-0), -0));
    assert.ok(Number.isNaN(erf(NaN)));
    assert.deepEqual(vals(run(erfOps, [t(F, [2], [0, -10])])), [0, -1]);
  });

  it('activations match their formulas', () => {
    const xs = f32([-20, -3, -1, -0.25, 0, 0.25, 1, 3, 20]);
    const check = (got: ReadonlyArray<number | string>, f: (x: number) => number, label: string): void => {
      got.forEach((g, i) => assert.ok(Math.abs(Number(g) - f(xs[i])) <= 1e-6 * Math.max(1, Math.abs(f(xs[i]))), `${label}(${xs[i]}): ${g} vs ${f(xs[i])}`));
    };
    const x = t(F, [xs.length], xs);
    check(vals(run(sigmoidOps, [x])), (v) => 1 / (1 + Math.exp(-v)), 'Sigmoid');
    check(vals(run(softplusOps, [x])), (v) => Math.log(1 + Math.exp(v)), 'Softplus');
    check(vals(run(mishOps, [x])), (v) => v * Math.tanh(Math.log(1 + Math.exp(v))), 'Mish');
    check(vals(run(swishOps, [x], [at.float('alpha', 0.5)])), (v) => v / (1 + Math.exp(-0.5 * v)), 'Swish');
    check(vals(run(hardSwishOps, [x])), (v) => v * Math.max(0, Math.min(1, v / 6 + 0.5)), 'HardSwish');
    check(vals(run(hardSigmoidOps, [x], [at.float('alpha', 0.5)])), (v) => Math.max(0, Math.min(1, 0.5 * v + 0.5)), 'HardSigmoid');
    check(vals(run(eluOps, [x], [at.float('alpha', 2)])), (v) => (v < 0 ? 2 * (Math.exp(v) - 1) : v), 'Elu');
    check(vals(run(celuOps, [x], [at.float('alpha', 2)])), (v) => Math.max(0, v) + Math.min(0, 2 * (Math.exp(v / 2) - 1)), 'Celu');
    check(vals(run(geluOps, [x])), (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)), 'Gelu');
    check(vals(run(geluOps, [x], [at.str('approximate', 'tanh')])), (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))), 'Gelu-tanh');
    check(vals(run(leakyReluOps, [x])), (v) => (v < 0 ? Math.fround(0.01) * v : v), 'LeakyRelu');
    check(vals(run(shrinkOps, [x], [at.float('lambd', 1), at.float('bias', 0.5)])), (v) => (v < -1 ? v + 0.5 : v > 1 ? v - 0.5 : 0), 'Shrink');
    assert.throws(() => run(geluOps, [x], [at.str('approximate', 'erf')]), /approximate must be "none" or "tanh"/);
  });

  it('Selu uses the rounder defaults of opset 1 and the float32 ones from opset 6', () => {
    const x = t(F, [1], [-1]);
    const v1 = Number(vals(run(seluOps, [x], [], 1))[0]);
    const v6 = Number(vals(run(seluOps, [x], [], 6))[0]);
    assert.equal(v1, Math.fround(Math.fround(1.0507) * (Math.fround(1.6732) * Math.exp(-1) - Math.fround(1.6732))));
    assert.equal(v6, Math.fround(1.05070102214813232421875 * (1.67326319217681884765625 * Math.exp(-1) - 1.67326319217681884765625)));
  });

  it('Relu takes int64 from opset 14 and keeps NaN', () => {
    assert.deepEqual(vals(run(reluOps, [t(DataType.INT64, [2], [-3, 4])])), ['0', '4']);
    assert.deepEqual(vals(run(reluOps, [t(F, [3], [-1, NaN, 2])])), [0, NaN, 2]);
  });

  it('float16 inputs are widened and narrowed back around the op', () => {
    const h = t(DataType.FLOAT16, [3], [-2, 0.5, 3].map(float32ToFloat16));
    const y = run(expOps, [h]);
    assert.equal(y.dtype, DataType.FLOAT16);
    assert.deepEqual(Array.from(y.data as Uint16Array, float16ToFloat32), [-2, 0.5, 3].map((v) => float16ToFloat32(float32ToFloat16(Math.exp(v)))));
  });

  it('IsNaN and IsInf classify, IsInf honouring detect_positive / detect_negative', () => {
    const x = t(F, [4], [Infinity, -Infinity, NaN, 1]);
    assert.deepEqual(vals(run(isNaNOps, [x])), [0, 0, 1, 0]);
    assert.deepEqual(vals(run(isInfOps, [x])), [1, 1, 0, 0]);
    assert.deepEqual(vals(run(isInfOps, [x], [at.int('detect_negative', 0)])), [1, 0, 0, 0]);
    assert.deepEqual(vals(run(isInfOps, [x], [at.int('detect_positive', 0)])), [0, 1, 0, 0]);
  });

  it('logic ops treat any non-zero bool byte as true', () => {
    assert.deepEqual(vals(run(notOps, [t(DataType.BOOL, [3], [0, 1, 7])])), [1, 0, 0]);
    assert.deepEqual(vals(run(xorOps, [t(DataType.BOOL, [2], [2, 0]), t(DataType.BOOL, [2], [1, 0])])), [0, 0]);
  });
});

describe('Clip versions', () => {
  const x = t(F, [5], [-5, -1, 0, 1, 5]);
  it('opset 6 reads min/max attributes', () => {
    assert.deepEqual(vals(run(clipOps, [x], [at.float('min', -1), at.float('max', 2)], 6)), [-1, -1, 0, 1, 2]);
  });
  it('opset 11+ reads optional scalar inputs; min > max gives max everywhere', () => {
    assert.deepEqual(vals(run(clipOps, [x, undefined, t(F, [], [0])], [], 13)), [-5, -1, 0, 0, 0]);
    assert.deepEqual(vals(run(clipOps, [x, t(F, [], [2]), t(F, [], [1])], [], 13)), [1, 1, 1, 1, 1]);
    assert.deepEqual(vals(run(clipOps, [t(F, [1], [-Infinity])], [], 13)), [-3.4028234663852886e38]);
  });
  it('opset 12+ clips integers, int64 included; opset 11 refuses them', () => {
    assert.deepEqual(vals(run(clipOps, [t(DataType.INT8, [3], [-128, 0, 127]), t(DataType.INT8, [], [-5])], [], 13)), [-5, 0, 127]);
    assert.deepEqual(vals(run(clipOps, [t(DataType.INT64, [2], [-10, 10]), undefined, t(DataType.INT64, [], [3])], [], 13)), ['-10', '3']);
    assert.throws(() => run(clipOps, [t(DataType.INT32, [1], [1])], [], 11), /int32 is not supported/);
    assert.throws(() => run(clipOps, [x, t(F, [2], [0, 1])], [], 13), /min must be a scalar/);
  });
});
