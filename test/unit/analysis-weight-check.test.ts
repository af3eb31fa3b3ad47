// The weight-only check: units dead from weights and bias alone (all incoming weights ≤ 0 and bias
// ≤ 0 behind a ReLU; all-zero weights and bias ≤ 0 for any input), with BatchNorm and by-constant
// steps folded into the effective weights; and what it must not flag.
import * as assert from 'node:assert/strict';
import { DataType, Model } from '../../src/onnx/ir';
import { findActivationSites } from '../../src/analysis/sites';
import { weightOnlyCheck, weightOnlyDeadUnits } from '../../src/analysis/weight-check';
import { createSession } from '../../src/runtime/executor';
import { f32, model, node, uniforms } from '../helpers/analysis-models';

function check(m: Model, id: string) {
  const r = weightOnlyCheck(m, findActivationSites(m)).get(id);
  assert.ok(r, `no result for ${id}`);
  return r;
}

/** x → Gemm(2→3) → Relu → Gemm(3→4) → Relu, second layer chosen per unit. */
function mlp(W2: number[], b2: number[]): Model {
  return model([
    node('Gemm', ['x', 'W1', 'b1'], ['h1'], { transB: 1 }, { name: 'fc1' }),
    node('Relu', ['h1'], ['r1'], {}, { name: 'relu1' }),
    node('Gemm', ['r1', 'W2', 'b2'], ['h2'], { transB: 1 }, { name: 'fc2' }),
    node('Relu', ['h2'], ['y'], {}, { name: 'relu2' }),
  ], [f32('W1', [3, 2], [1, -1, 0, 0, -1, -1]), f32('b1', [3], [0, -0.5, 0.1]), f32('W2', [4, 3], W2), f32('b2', [4], b2)], ['N', 2]);
}

describe('analysis weight-only check', () => {
  it('behind a ReLU: all weights ≤ 0 and bias ≤ 0 is dead; one positive weight or a positive bias is not', () => {
    const m = mlp([-1, -2, 0, /* */ -1, 0.5, -1, /* */ -1, -1, -1, /* */ 0, -0.1, -3], [-0.5, -1, 0.2, 0]);
    const r = check(m, 'relu2');
    assert.equal(r.nonNegativeInput, true);
    assert.deepEqual(r.units, [0, 3]);
    assert.deepEqual(r.reasons, ['nonpositive', 'nonpositive']);
  });

  it('first layer (input may be negative): only all-zero weights with bias ≤ 0 are flagged', () => {
    const m = mlp([-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1], [0, 0, 0, 0]);
    const r = check(m, 'relu1');
    assert.equal(r.nonNegativeInput, false);
    assert.deepEqual(r.units, [1]);
    assert.deepEqual(r.reasons, ['zero-weights']);
  });

  it('Conv → BatchNorm → ReLU behind MaxPool of a ReLU: BN folded (a negative γ flips the weights\' sign)', () => {
    // conv2 channel 0: weights ≥ 0, BN γ < 0, β ≤ shift → effective weights ≤ 0, bias < 0: dead.
    // channel 1: weights ≤ 0, BN γ > 0, but β = +1 → effective bias > 0: alive.
    // channel 2: weights ≤ 0, bias 0, BN γ > 0, mean 0, β = 0 → effective bias exactly 0: dead.
    const m = model([
      node('Conv', ['x', 'W1', 'b1'], ['c1'], { kernel_shape: [1, 1] }, { name: 'conv1' }),
      node('Relu', ['c1'], ['r1'], {}, { name: 'relu1' }),
      node('MaxPool', ['r1'], ['p1'], { kernel_shape: [2, 2] }, { name: 'pool' }),
      node('Conv', ['p1', 'W2', 'b2'], ['c2'], { kernel_shape: [1, 1] }, { name: 'conv2' }),
      node('BatchNormalization', ['c2', 'g', 'be', 'mu', 'va'], ['n2'], { epsilon: 1e-5 }, { name: 'bn2' }),
      node('Relu', ['n2'], ['y'], {}, { name: 'relu2' }),
    ], [
      f32('W1', [2, 1, 1, 1], [1, -1]), f32('b1', [2], [0, 0.5]),
      f32('W2', [3, 2, 1, 1], [1, 2, -1, -1, -3, 0]), f32('b2', [3], [0.5, 0, 0]),
      f32('g', [3], [-1, 1, 2]), f32('be', [3], [-0.1, 1, 0]), f32('mu', [3], [-1, 0, 0]), f32('va', [3], [1, 1, 1]),
    ], ['N', 1, 4, 4]);
    const r = check(m, 'relu2');
    assert.deepEqual(r.units, [0, 2]);
    // Brute force: random non-negative and negative inputs never make the flagged channels positive.
    const x = uniforms(5, 64 * 16, -3, 3);
    createSession(m).runSync({ x: { dtype: DataType.FLOAT, shape: [64, 1, 4, 4], data: x } }, {
      observer: (e) => {
        if (e.node.name !== 'relu2') return;
        const d = e.inputs[0]!.data as Float32Array;
        for (let n = 0; n < 64; n++) for (const c of [0, 2]) for (let s = 0; s < 4; s++) assert.ok(!(d[(n * 3 + c) * 4 + s] > 0));
      },
    });
  });

  it('a per-channel Add of a positive constant after the producer revives an otherwise dead unit', () => {
    const m = model([
      node('Relu', ['x'], ['r0'], {}, { name: 'relu0' }),
      node('Conv', ['r0', 'W', 'b'], ['c'], { kernel_shape: [1, 1] }, { name: 'conv' }),
      node('Add', ['c', 'shift'], ['s'], {}, { name: 'shift' }),
      node('Relu', ['s'], ['y'], {}, { name: 'relu' }),
    ], [f32('W', [2, 1, 1, 1], [-1, -1]), f32('b', [2], [-1, -1]), f32('shift', [2, 1, 1], [0.5, 2])], ['N', 1, 2, 2]);
    assert.deepEqual(check(m, 'relu').units, [0]);
  });

  it('a constant that varies over positions is not folded (no claim)', () => {
    const m = model([
      node('Relu', ['x'], ['r0'], {}, { name: 'relu0' }),
      node('Gemm', ['r0', 'W', 'b'], ['h'], { transB: 1 }, { name: 'fc' }),
      node('Add', ['h', 'pos'], ['s'], {}, { name: 'pos' }),
      node('Relu', ['s'], ['y'], {}, { name: 'relu' }),
    ], [f32('W', [2, 2], [-1, -1, -1, -1]), f32('b', [2], [-1, -1]), f32('pos', [3, 2], [0, 0, 5, 5, 0, 0])], [3, 2]);
    const sites = findActivationSites(m);
    assert.equal(weightOnlyCheck(m, sites).has('relu'), false);
  });

  it('FusedConv sites use their own weights; the hook form returns unit lists', () => {
    const m = model([
      node('Relu', ['x'], ['r0'], {}, { name: 'relu0' }),
      node('FusedConv', ['r0', 'W', 'b'], ['y'], { kernel_shape: [1, 1], activation: 'Relu' }, { name: 'fused', domain: 'com.microsoft' }),
    ], [f32('W', [3, 1, 1, 1], [-1, 1, 0]), f32('b', [3], [0, -1, -2])], ['N', 1, 2, 2], { opsets: [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }] });
    const sites = findActivationSites(m);
    assert.deepEqual(weightOnlyDeadUnits(m, sites).get('fused'), [0, 2]);
    assert.deepEqual(weightOnlyCheck(m, sites).get('fused')?.reasons, ['nonpositive', 'zero-weights']);
  });

  it('a residual sum is not affine: no weight-only claim', () => {
    const m = model([
      node('Relu', ['x'], ['r0'], {}, { name: 'relu0' }),
      node('Conv', ['r0', 'W', 'b'], ['c'], { kernel_shape: [1, 1] }, { name: 'conv' }),
      node('Add', ['c', 'r0'], ['s'], {}, { name: 'res' }),
      node('Relu', ['s'], ['y'], {}, { name: 'relu' }),
    ], [f32('W', [1, 1, 1, 1], [-1]), f32('b', [1], [-1])], ['N', 1, 2, 2]);
    assert.equal(weightOnlyCheck(m, findActivationSites(m)).has('relu'), false);
  });
});
