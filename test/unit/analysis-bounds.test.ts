// Interval bound propagation on hand-built models: units proven dead by a dominating negative bias,
// by a BatchNorm shift and inside a FusedConv; undecided units; unsupported ops giving no claim;
// shape-computed Reshape; exact bounds for a single linear layer (checked against every corner).
import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { findActivationSites } from '../../src/analysis/sites';
import { createBoxAccumulator, InputBox, propagateBounds, proveSites, uniformBox } from '../../src/analysis/bounds';
import { createSession } from '../../src/runtime/executor';
import { convBnModel, convModel, denseModel, f32, fusedConvModel, model, node, residualModel, uniforms } from '../helpers/analysis-models';

function boundsOf(m: ReturnType<typeof model>, box: InputBox, id: string) {
  const b = propagateBounds(m, box, findActivationSites(m)).get(id);
  assert.ok(b, `no bounds for ${id}`);
  return b;
}

const dead = (upper: ArrayLike<number>): number[] => Array.from(upper).flatMap((u, i) => (u <= 0 ? [i] : []));

/** Every corner of an n-element box as rows of a [2^n, n] batch. */
function corners(lo: number[], hi: number[]): Float32Array {
  const n = lo.length;
  const out = new Float32Array((1 << n) * n);
  for (let k = 0; k < 1 << n; k++) for (let i = 0; i < n; i++) out[k * n + i] = (k >> i) & 1 ? hi[i] : lo[i];
  return out;
}

describe('analysis bounds: interval bound propagation', () => {
  it('proves the dense model\'s negative-bias units dead and leaves the others undecided', () => {
    const m = denseModel();
    const b = boundsOf(m, uniformBox(m, 0, 1), 'relu');
    assert.equal(b.decided, true);
    assert.deepEqual(dead(b.upper), [0, 4]);
    // Exact values: unit 0 ∈ [−4.5, −0.5], unit 2 ∈ [5, 9], unit 3 ∈ [−1, 1]; bounds are outward, within the
    // float32 rounding margin (≈ 3·γ_n(u32) of the magnitudes, ~1e-5 here).
    const exact: Array<[number, number]> = [[-4.5, -0.5], [-0.001, 0.001], [5, 9], [-1, 1], [-3, -1]];
    exact.forEach(([lo, hi], u) => {
      assert.ok(b.lower[u] <= lo && b.lower[u] > lo - 1e-4, `unit ${u} lower ${b.lower[u]}`);
      assert.ok(b.upper[u] >= hi && b.upper[u] < hi + 1e-4, `unit ${u} upper ${b.upper[u]}`);
    });
  });

  it('a wider box can undo the proof: dense unit 4 (x0 + x1 − 3) is alive once inputs reach 2', () => {
    const m = denseModel();
    assert.deepEqual(dead(boundsOf(m, uniformBox(m, 0, 2), 'relu').upper), [0]);
  });

  it('Conv 1×1: channel 0 proven dead, the others not', () => {
    const m = convModel();
    assert.deepEqual(dead(boundsOf(m, uniformBox(m, 0, 1), 'relu').upper), [0]);
  });

  it('Conv → BatchNorm → ReLU: the BN shift (β = −5) proves channel 0 dead', () => {
    const m = convBnModel();
    const b = boundsOf(m, uniformBox(m, 0, 1), 'relu');
    assert.deepEqual(dead(b.upper), [0]);
    // Channel 0: conv = x0 ∈ [0,1]; BN: (x0 − 0.5)·0.5/√0.08001 − 5 ∈ [−5.884, −4.116].
    const k = 0.5 / Math.sqrt(0.08 + 1e-5);
    assert.ok(b.upper[0] >= 0.5 * k - 5 && b.upper[0] - (0.5 * k - 5) < 1e-4);
  });

  it('FusedConv with a Relu activation: bounds of its linear part prove channel 0 dead', () => {
    const m = fusedConvModel();
    const b = boundsOf(m, uniformBox(m, 0, 1), 'fused');
    assert.deepEqual(dead(b.upper), [0]);
    assert.ok(b.lower[1] >= 0.5 - 1e-5, 'channel 1 is always active');
  });

  it('residual Add of two bounded tensors: sound but loose (channel 0 of Relu(−10·x0 + x0) stays undecided)', () => {
    const m = residualModel();
    const b = boundsOf(m, uniformBox(m, 0, 1), 'relu');
    assert.equal(b.decided, true);
    assert.ok(b.upper[0] >= 1 && b.lower[0] <= -10);
    assert.deepEqual(dead(b.upper), []);
  });

  it('an op it does not model (Softmax) leaves downstream sites undecided, never claimed', () => {
    const m = model([
      node('Softmax', ['x'], ['s'], { axis: 1 }),
      node('Gemm', ['s', 'W', 'b'], ['h'], { transB: 1 }),
      node('Relu', ['h'], ['y'], {}, { name: 'relu' }),
    ], [f32('W', [2, 2], [1, 1, 1, 1]), f32('b', [2], [-5, 5])], ['N', 2]);
    const b = boundsOf(m, uniformBox(m, 0, 1), 'relu');
    assert.equal(b.decided, false);
    assert.match(b.reason ?? '', /unsupported|unbounded/);
  });

  it('a product of two bounded tensors is not modelled: undecided', () => {
    const m = model([node('Mul', ['x', 'x'], ['s']), node('Relu', ['s'], ['y'], {}, { name: 'relu' })], [], ['N', 2]);
    assert.equal(boundsOf(m, uniformBox(m, 0, 1), 'relu').decided, false);
  });

  it('follows Shape → Gather → Concat → Reshape (shapes become constants) into a Gemm', () => {
    const i64 = (name: string, dims: number[], v: number[]) => ({ name, dataType: DataType.INT64, dims, docString: '', storage: { kind: 'fields' as const, values: BigInt64Array.from(v.map(BigInt)) } });
    const m = model([
      node('Shape', ['x'], ['shp']),
      node('Gather', ['shp', 'zero'], ['n0'], { axis: 0 }),
      node('Unsqueeze', ['n0', 'ax'], ['n1']),
      node('Concat', ['n1', 'minus1'], ['newshape'], { axis: 0 }),
      node('Reshape', ['x', 'newshape'], ['flat']),
      node('Gemm', ['flat', 'W', 'b'], ['h'], { transB: 1 }),
      node('Relu', ['h'], ['y'], {}, { name: 'relu' }),
    ], [i64('zero', [], [0]), i64('ax', [1], [0]), i64('minus1', [1], [-1]),
      f32('W', [2, 4], [-1, -1, -1, -1, 1, 0, 0, 0]), f32('b', [2], [-0.1, 0])], ['N', 1, 2, 2]);
    const b = boundsOf(m, uniformBox(m, 0, 1), 'relu');
    assert.equal(b.decided, true);
    assert.deepEqual(dead(b.upper), [0]);
  });

  it('a one-sample box is shared by every sample of a model with a fixed batch dimension', () => {
    const m = model([
      node('Gemm', ['x', 'W', 'b'], ['h'], { transB: 1 }),
      node('Reshape', ['h', 'shape'], ['h2']),
      node('Relu', ['h2'], ['y'], {}, { name: 'relu' }),
    ], [f32('W', [2, 4], [-1, -1, -1, -1, 1, 1, 1, 1]), f32('b', [2], [-0.1, 0]),
      { name: 'shape', dataType: DataType.INT64, dims: [2], docString: '', storage: { kind: 'fields', values: BigInt64Array.from([3n, 2n]) } }], [3, 4]);
    const b = boundsOf(m, { x: { lo: 0, hi: 1, shape: [1, 4] } }, 'relu');
    assert.equal(b.decided, true);
    assert.deepEqual(dead(b.upper), [0]);
  });

  it('stops with an AbortError when its signal fires', () => {
    const m = convModel();
    assert.throws(() => propagateBounds(m, uniformBox(m, 0, 1), findActivationSites(m), { signal: { aborted: true } }), { name: 'AbortError' });
  });

  it('refuses (undecided) when an intermediate exceeds the element limit', () => {
    const m = convModel();
    const r = propagateBounds(m, uniformBox(m, 0, 1), findActivationSites(m), { maxElements: 10 });
    assert.equal(r.get('relu')?.decided, false);
  });

  it('an exactly-zero pre-activation is not claimed dead by rounding: the margin keeps upper > 0', () => {
    const m = model([node('Gemm', ['x', 'W', 'b'], ['h'], { transB: 1 }), node('Relu', ['h'], ['y'], {}, { name: 'relu' })],
      [f32('W', [1, 2], [1, -1]), f32('b', [1], [0])], ['N', 2]);
    const b = boundsOf(m, { x: { lo: 0.3, hi: 0.3, shape: [1, 2] } }, 'relu');
    assert.ok(b.upper[0] > 0 && b.upper[0] < 1e-6, String(b.upper[0]));
  });

  it('is exact for one linear layer: the bounds equal the max / min over every corner of the box', () => {
    const lo = Array.from(uniforms(11, 6, -1, 0.5), Math.fround);
    const hi = lo.map((v, i) => Math.fround(v + 0.1 + i * 0.2));
    const W = Array.from(uniforms(12, 18, -1, 1));
    const m = model([node('Gemm', ['x', 'W', 'b'], ['h'], { transB: 1 }), node('Relu', ['h'], ['y'], {}, { name: 'relu' })],
      [f32('W', [3, 6], W), f32('b', [3], [0.2, -0.3, 0])], ['N', 6]);
    const b = boundsOf(m, { x: { lo: Float32Array.from(lo), hi: Float32Array.from(hi), shape: [1, 6] } }, 'relu');
    const x = corners(lo, hi);
    const out = createSession(m).runSync({ x: { dtype: DataType.FLOAT, shape: [64, 6], data: x } }, {
      observer: (e) => {
        if (e.node.opType !== 'Relu') return;
        const h = e.inputs[0]!.data as Float32Array;
        for (let u = 0; u < 3; u++) {
          let mx = -Infinity, mn = Infinity;
          for (let k = 0; k < 64; k++) { mx = Math.max(mx, h[k * 3 + u]); mn = Math.min(mn, h[k * 3 + u]); }
          assert.ok(b.upper[u] >= mx && b.upper[u] - mx < 1e-4, `unit ${u}: upper ${b.upper[u]} vs corner max ${mx}`);
          assert.ok(b.lower[u] <= mn && mn - b.lower[u] < 1e-4, `unit ${u}: lower ${b.lower[u]} vs corner min ${mn}`);
        }
      },
    });
    assert.ok(out.y);
  });

  it('is exact for one Conv layer (3×3, pads 1, stride 2) over every corner of a 1×2×2×2 box', () => {
    const lo = Array.from(uniforms(21, 8, -1, 1), Math.fround);
    const hi = lo.map((v) => Math.fround(v + 0.5));
    const m = model([node('Conv', ['x', 'W', 'b'], ['h'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] }), node('Relu', ['h'], ['y'], {}, { name: 'relu' })],
      [f32('W', [3, 2, 3, 3], Array.from(uniforms(22, 54, -1, 1))), f32('b', [3], [0.1, -2, 0])], ['N', 2, 2, 2]);
    const b = boundsOf(m, { x: { lo: Float32Array.from(lo), hi: Float32Array.from(hi), shape: [1, 2, 2, 2] } }, 'relu');
    const x = corners(lo, hi);
    createSession(m).runSync({ x: { dtype: DataType.FLOAT, shape: [256, 2, 2, 2], data: x } }, {
      observer: (e) => {
        if (e.node.opType !== 'Relu') return;
        const h = e.inputs[0]!;
        const d = h.data as Float32Array;
        const S = h.shape[2] * h.shape[3];
        for (let u = 0; u < 3; u++) {
          let mx = -Infinity;
          for (let k = 0; k < 256; k++) for (let s = 0; s < S; s++) mx = Math.max(mx, d[(k * 3 + u) * S + s]);
          assert.ok(b.upper[u] >= mx && b.upper[u] - mx < 1e-4, `channel ${u}: upper ${b.upper[u]} vs corner max ${mx}`);
        }
      },
    });
  });

  it('through Pad, LeakyRelu, ConvTranspose, Clip, AveragePool, Sub/Mul/Div, Transpose, GlobalAveragePool, MatMul, Tanh, Sigmoid, Concat, Slice, Max(x, 0): samples stay inside', () => {
    const i64 = (name: string, v: number[]) => ({ name, dataType: DataType.INT64, dims: [v.length], docString: '', storage: { kind: 'fields' as const, values: BigInt64Array.from(v.map(BigInt)) } });
    const w = (name: string, dims: number[], seed: number) => f32(name, dims, Array.from(uniforms(seed, dims.reduce((a, b) => a * b, 1), -1, 1)));
    const m = model([
      node('Pad', ['x', 'pads', 'zero'], ['p']),
      node('Conv', ['p', 'W1', 'b1'], ['c1'], { kernel_shape: [3, 3] }),
      node('LeakyRelu', ['c1'], ['l1'], { alpha: 0.1 }),
      node('ConvTranspose', ['l1', 'W2', 'b2'], ['t2'], { kernel_shape: [2, 2], strides: [2, 2] }),
      node('Clip', ['t2', 'm1', 'p1'], ['k2']),
      node('AveragePool', ['k2'], ['a2'], { kernel_shape: [2, 2] }),
      node('Sub', ['a2', 'half'], ['s2']),
      node('Mul', ['s2', 'neg2'], ['u2']),
      node('Div', ['u2', 'three'], ['d2']),
      node('Relu', ['d2'], ['r2'], {}, { name: 'site1' }),
      node('Transpose', ['r2'], ['tr'], { perm: [0, 1, 3, 2] }),
      node('GlobalAveragePool', ['tr'], ['g']),
      node('Flatten', ['g'], ['f']),
      node('MatMul', ['f', 'W3'], ['mm']),
      node('Tanh', ['mm'], ['th']),
      node('Sigmoid', ['mm'], ['sg']),
      node('Concat', ['th', 'sg'], ['cat'], { axis: 1 }),
      node('Slice', ['cat', 'st', 'en', 'ax1'], ['sl']),
      node('Add', ['sl', 'bias4'], ['pre']),
      node('Max', ['pre', 'zero1'], ['y'], {}, { name: 'site2' }),
    ], [
      i64('pads', [0, 0, 1, 1, 0, 0, 1, 1]), f32('zero', [], [0]), w('W1', [3, 2, 3, 3], 31), f32('b1', [3], [0.1, -0.2, 0.3]),
      w('W2', [3, 2, 2, 2], 32), f32('b2', [2], [0, -0.5]), f32('m1', [], [-1]), f32('p1', [], [1]), f32('half', [], [0.5]),
      f32('neg2', [1, 2, 1, 1], [-2, 1.5]), f32('three', [], [3]), w('W3', [2, 4], 33),
      i64('st', [1]), i64('en', [7]), i64('ax1', [1]), f32('bias4', [6], [-3, -0.2, 0, 0.1, -2, 0.5]), f32('zero1', [], [0]),
    ], ['N', 2, 3, 3]);
    const lo = Array.from(uniforms(41, 18, -1, 0), Math.fround);
    const hi = lo.map((v, i) => Math.fround(v + (i % 3) * 0.4));
    const sites = findActivationSites(m);
    assert.deepEqual(sites.map((s) => s.kind), ['relu', 'max0']);
    const res = propagateBounds(m, { x: { lo: Float32Array.from(lo), hi: Float32Array.from(hi), shape: [1, 2, 3, 3] } }, sites);
    const b1 = res.get('site1')!;
    const b2 = res.get('site2')!;
    assert.ok(b1.decided && b2.decided);
    assert.equal(b2.upper.length, 6);
    assert.ok(b2.upper[0] <= 0, 'site2 unit 0 (tanh − 3) is proven dead');
    const S = 64;
    const x = new Float32Array(S * 18);
    const r = uniforms(42, S * 18);
    for (let k = 0; k < S * 18; k++) { const i = k % 18; x[k] = Math.min(hi[i], Math.max(lo[i], Math.fround(lo[i] + (k < 8 * 18 ? Math.round(r[k]) : r[k]) * (hi[i] - lo[i])))); }
    let checked = 0;
    createSession(m).runSync({ x: { dtype: DataType.FLOAT, shape: [S, 2, 3, 3], data: x } }, {
      observer: (e) => {
        const b = e.node.name === 'site1' ? b1 : e.node.name === 'site2' ? b2 : undefined;
        if (!b) return;
        const t = e.inputs[0]!;
        const d = t.data as Float32Array;
        const inner = t.shape.slice(2).reduce((a, c) => a * c, 1);
        for (let i = 0; i < d.length; i++) {
          const u = Math.floor(i / inner) % t.shape[1];
          assert.ok(d[i] <= b.upper[u] && d[i] >= b.lower[u], `${e.node.name} unit ${u}: ${d[i]} outside [${b.lower[u]}, ${b.upper[u]}]`);
          checked++;
        }
      },
    });
    assert.ok(checked > 0);
  });

  it('the box accumulator gives per-element min/max over the samples, and proveSites uses it or an explicit box', () => {
    const acc = createBoxAccumulator();
    acc.add({ x: { dtype: DataType.FLOAT, shape: [2, 4], data: Float32Array.from([0, 1, 0.5, 0.25, 0.5, 0, 0.75, 0.25]) } });
    acc.add({ x: { dtype: DataType.FLOAT, shape: [1, 4], data: Float32Array.from([0.1, 0.2, 0.3, 0.4]) } });
    const box = acc.box();
    assert.deepEqual(box.x.shape, [1, 4]);
    assert.deepEqual(Array.from(box.x.lo as Float64Array), [0, 0, 0.30000001192092896, 0.25]);
    assert.deepEqual(Array.from(box.x.hi as Float64Array), [0.5, 1, 0.75, 0.4000000059604645]);
    const m = denseModel();
    const sites = findActivationSites(m);
    assert.deepEqual(dead(proveSites(m, sites, undefined, box).get('relu')!.upper), [0, 4]);
    assert.deepEqual(dead(proveSites(m, sites, [0, 2]).get('relu')!.upper), [0]);
    assert.equal(proveSites(m, sites, undefined).get('relu')!.decided, false);
  });
});
