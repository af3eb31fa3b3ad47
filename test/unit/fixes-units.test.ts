// Fixes that edit single units (src/fixes revive and prune) on models built with chosen dead
// units: outputs must stay the same (our executor and onnxruntime-node), revived units must fire,
// pruned models must be smaller by exactly the removed slices, and what cannot be followed is refused.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeLoadedModel } from '../../src/analysis/analyze';
import { Report } from '../../src/analysis/report';
import { DataType, Model } from '../../src/onnx/ir';
import { decodeModel, loadModel } from '../../src/onnx/load';
import { encodeModel } from '../../src/onnx/write';
import { loadNpy } from '../../src/data/npy';
import { createSession } from '../../src/runtime/executor';
import { makeTensor, Tensor } from '../../src/runtime/tensor';
import { applicableFixes, applyFix, FixError } from '../../src/fixes';
import { f, ModelBuilder, onnxTensor, seeded } from '../helpers/model-builder';

const ROOT = path.resolve(__dirname, '../..');
const ort = require('onnxruntime-node');

type Feeds = Record<string, { shape: number[]; data: Float32Array }>;

/** Random N(0, 1) feeds for the model's float inputs with fixed shapes. */
function randomFeeds(model: Model, seed: number): Feeds {
  const rng = seeded(seed);
  const out: Feeds = {};
  for (const i of model.graph.inputs) {
    const t = i.type;
    if (!t || t.kind !== 'tensor' || !t.shape) continue;
    const shape = t.shape.map((d) => (typeof d === 'number' ? d : 4));
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let k = 0; k < data.length; k++) data[k] = rng.normal() * 2;
    out[i.name] = { shape, data };
  }
  return out;
}

const ours = (model: Model, feeds: Feeds): Record<string, Float32Array> => {
  const m = decodeModel(encodeModel(model), {}); // what the written file would load as
  const r = createSession(m).runSync(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, makeTensor(DataType.FLOAT, v.shape, v.data)])));
  return Object.fromEntries(Object.entries(r).map(([k, t]) => [k, t.data as Float32Array]));
};

async function theirs(model: Model, feeds: Feeds): Promise<Record<string, Float32Array>> {
  const s = await ort.InferenceSession.create(encodeModel(model));
  const r = await s.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor('float32', v.data, v.shape)])));
  return Object.fromEntries(Object.keys(r).map((k) => [k, r[k].data as Float32Array]));
}

function close(a: Record<string, Float32Array>, b: Record<string, Float32Array>, tol: number, what: string): void {
  assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
  for (const k of Object.keys(a)) {
    assert.equal(a[k].length, b[k].length);
    for (let i = 0; i < a[k].length; i++) assert.ok(Math.abs(a[k][i] - b[k][i]) <= tol * Math.max(1, Math.abs(b[k][i])), `${what}: ${k}[${i}] ${a[k][i]} vs ${b[k][i]}`);
  }
}

/** Outputs of `before` and `after` agree on several random inputs, in our executor and in onnxruntime. */
async function sameOutputs(before: Model, after: Model, tol = 1e-5): Promise<void> {
  for (const seed of [1, 2, 3]) {
    const feeds = randomFeeds(before, seed);
    close(ours(after, feeds), ours(before, feeds), tol, 'ours');
    close(await theirs(after, feeds), await theirs(before, feeds), tol, 'onnxruntime');
  }
}

/** Per unit of the value `name`: the largest value it takes over some random inputs (unit axis 1). */
function unitMax(model: Model, name: string, seed: number): number[] {
  const m = decodeModel(encodeModel(model), {});
  const max: number[] = [];
  const feeds = randomFeeds(model, seed);
  createSession(m).runSync(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, makeTensor(DataType.FLOAT, v.shape, v.data)])), {
    observer: (e) => e.node.outputs.forEach((o, i) => {
      if (o !== name) return;
      const t: Tensor = e.outputs[i];
      const c = t.shape[1];
      const inner = t.shape.slice(2).reduce((a, b) => a * b, 1);
      const d = t.data as Float32Array;
      for (let k = 0; k < d.length; k++) {
        const u = Math.floor(k / inner) % c;
        max[u] = Math.max(max[u] ?? -Infinity, d[k]);
      }
    }),
  });
  return max;
}

const params = (m: Model): number => m.graph.initializers.reduce((s, t) => s + t.dims.reduce((a, b) => a * b, 1), 0);
const analyze = (m: Model): Promise<Report> => analyzeLoadedModel(m, { samples: 64, seed: 5, workers: 1 });
const frozen = (m: Model): Uint8Array => encodeModel(m);

/** x[4,8] → Gemm(6 units, transB=1; units 0 and 3 biased to -100) → Relu → Gemm(transB=0) → y[4,5]. */
function mlp(): Model {
  const b = new ModelBuilder({ seed: 3 });
  const x = b.input('x', DataType.FLOAT, ['N', 8]);
  const w1 = b.randn('w1', [6, 8], 0.4);
  const bias = b.init('b1', DataType.FLOAT, [6], [-100, 0.1, 0.2, -100, 0.3, 0]);
  const h = b.op('Gemm', [x, w1, bias], { transB: 1 }, { name: 'fc1' });
  const r = b.op('Relu', [h], {}, { name: 'relu1' });
  const y = b.node('Gemm', [r, b.randn('w2', [6, 5], 0.5), b.randn('b2', [5], 0.1)], {}, { name: 'fc2', outputs: ['y'] })[0];
  b.output(y, DataType.FLOAT, ['N', 5]);
  return b.build();
}

/** x[2,3,6,6] → Conv(5) → BN (channels 1 and 4 shifted to -50) → Relu → Conv(4, pads 1) → y. */
function convBn(): Model {
  const b = new ModelBuilder({ seed: 4 });
  const x = b.input('x', DataType.FLOAT, [2, 3, 6, 6]);
  const c = b.op('Conv', [x, b.randn('cw', [5, 3, 3, 3], 0.3), b.randn('cb', [5], 0.1)], { kernel_shape: [3, 3] }, { name: 'conv1' });
  const bn = b.op('BatchNormalization', [c, b.init('s', DataType.FLOAT, [5], [1, 0.5, 2, 1, 0.8]), b.init('beta', DataType.FLOAT, [5], [0.1, -50, 0, 0.2, -50]), b.init('mu', DataType.FLOAT, [5], [0, 0.1, -0.1, 0.2, 0]), b.init('var', DataType.FLOAT, [5], [1, 2, 0.5, 1, 1.5])], { epsilon: f(1e-5) }, { name: 'bn1' });
  const r = b.op('Relu', [bn], {}, { name: 'relu1' });
  b.node('Conv', [r, b.randn('cw2', [4, 5, 3, 3], 0.3), b.randn('cb2', [4], 0.1)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { name: 'conv2', outputs: ['y'] });
  b.output('y', DataType.FLOAT, [2, 4, 4, 4]);
  return b.build();
}

/** x[2,2,4,4] → Conv(3, pads 1; channel 1 biased to -100) → Relu → MaxPool 2×2 → Flatten or Reshape → Gemm → y[2,5]. */
function convFlatten(flatten: 'Flatten' | 'Reshape' | 'ReshapeConstant' | 'ReshapeComputed'): Model {
  const b = new ModelBuilder({ seed: 5 });
  const x = b.input('x', DataType.FLOAT, [2, 2, 4, 4]);
  const c = b.op('Conv', [x, b.randn('cw', [3, 2, 3, 3], 0.3), b.init('cb', DataType.FLOAT, [3], [0.1, -100, 0.2])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { name: 'conv' });
  const r = b.op('Relu', [c], {}, { name: 'relu' });
  const p = b.op('MaxPool', [r], { kernel_shape: [2, 2], strides: [2, 2] }, { name: 'pool' });
  let target = '';
  if (flatten === 'Reshape') target = b.ints('target', [0, 12]);
  if (flatten === 'ReshapeConstant') target = b.op('Constant', [], { value: onnxTensor('', DataType.INT64, [2], new BigInt64Array([2n, 12n])) }, { name: 'target' });
  if (flatten === 'ReshapeComputed') {
    // x.view(x.size(0), -1) as PyTorch exports it.
    const n = b.op('Unsqueeze', [b.op('Gather', [b.op('Shape', [p]), b.ints('zero', [0], [])], { axis: 0 }), b.ints('axes', [0])]);
    target = b.op('Concat', [n, b.ints('minus1', [-1])], { axis: 0 });
  }
  const flat = flatten === 'Flatten' ? b.op('Flatten', [p], { axis: 1 }, { name: 'flat' }) : b.op('Reshape', [p, target], {}, { name: 'flat' });
  b.node('Gemm', [flat, b.randn('fw', [5, 12], 0.3), b.randn('fb', [5], 0.1)], { transB: 1 }, { name: 'fc', outputs: ['y'] });
  b.output('y', DataType.FLOAT, [2, 5]);
  return b.build();
}

describe('fixes: revive and prune single units', function () {
  this.timeout(120_000);

  it('finds the chosen dead units, and offers revive and prune for them', async () => {
    const model = mlp();
    const report = await analyze(model);
    assert.deepEqual(report.layers[0].dead, [0, 3]);
    assert.deepEqual(report.layers[0].provenDead, [0, 3]);
    const ids = applicableFixes(model, report).map((x) => x.id);
    assert.deepEqual(ids, ['leaky-relu', 'he-init', 'revive', 'prune', 'pytorch-snippet']);
    const he = applicableFixes(model, report, 'relu1').find((x) => x.id === 'he-init')!;
    assert.match(he.description, /discards that layer's training/);
  });

  it('revive (Gemm → Relu → Gemm): same outputs, and the revived units fire', async () => {
    const model = mlp();
    const before = frozen(model);
    const report = await analyze(model);
    const { model: fixed, changes } = applyFix(model, 'revive', { layer: 'relu1' }, { report, seed: 11 });
    assert.deepEqual(frozen(model), before, 'the input model is not modified');
    assert.ok(changes.some((c) => /fc2: outgoing weights from units 0, 3 set to 0/.test(c)), changes.join('\n'));
    await sameOutputs(model, fixed);
    const after = await analyze(fixed);
    assert.deepEqual(after.layers[0].dead, [], 'the revived units fire on some inputs');
    assert.ok(after.layers[0].activationRate[0] > 0.1 && after.layers[0].activationRate[3] > 0.1);
  });

  it('revive through BatchNorm (Conv → BN → Relu → Conv) resets the unit\'s BN', async () => {
    const model = convBn();
    const report = await analyze(model);
    assert.deepEqual(report.layers[0].dead, [1, 4]);
    const { model: fixed, changes } = applyFix(model, 'revive', { layer: 'relu1' }, { report, seed: 3 });
    assert.ok(changes.some((c) => /bn1: units 1, 4 reset to the identity/.test(c)));
    await sameOutputs(model, fixed);
    const max = unitMax(fixed, 'relu1_out', 9);
    assert.ok(max[1] > 0 && max[4] > 0, `revived channels fire: ${max}`);
    const before = unitMax(model, 'relu1_out', 9);
    assert.ok(before[1] === 0 && before[4] === 0);
  });

  it('revive follows a channel through MaxPool and Flatten to a block of Gemm features', async () => {
    for (const kind of ['Flatten', 'Reshape', 'ReshapeComputed'] as const) {
      const model = convFlatten(kind);
      const report = await analyze(model);
      assert.deepEqual(report.layers[0].dead, [1]);
      const { model: fixed, changes } = applyFix(model, 'revive', { layer: 'relu' }, { report, seed: 1 });
      assert.ok(changes.some((c) => /fc: .* \(4 features per unit\)/.test(c)), changes.join('\n'));
      const fw = fixed.graph.initializers.find((t) => t.name === 'fw')!;
      const v = (fw.storage as { bytes: Uint8Array }).bytes;
      const w = new Float32Array(v.buffer, v.byteOffset, v.byteLength / 4);
      for (let o = 0; o < 5; o++) for (let k = 0; k < 12; k++) assert.equal(w[o * 12 + k] === 0, k >= 4 && k < 8, `fw[${o},${k}]`);
      await sameOutputs(model, fixed);
      assert.ok(unitMax(fixed, 'relu_out', 4)[1] > 0);
    }
  });

  it('prune (Gemm → Relu → Gemm) removes the proven-dead units: same outputs, 2 × (8 + 1 + 5) parameters fewer', async () => {
    const model = mlp();
    model.graph.valueInfo = [{ name: 'relu1_out', docString: '', type: { kind: 'tensor', elemType: DataType.FLOAT, shape: ['N', 6] } }];
    const before = frozen(model);
    const report = await analyze(model);
    const { model: fixed, changes } = applyFix(model, 'prune', { layer: 'relu1' }, { report });
    assert.deepEqual(frozen(model), before, 'the input model is not modified');
    assert.deepEqual(fixed.graph.valueInfo[0].type, { kind: 'tensor', elemType: DataType.FLOAT, shape: ['N', 4] }, 'declared shapes follow');
    assert.equal(params(model) - params(fixed), 2 * (8 + 1 + 5));
    assert.ok(changes.some((c) => /28 parameters fewer/.test(c)));
    assert.deepEqual(fixed.graph.initializers.find((t) => t.name === 'w1')!.dims, [4, 8]);
    assert.deepEqual(fixed.graph.initializers.find((t) => t.name === 'w2')!.dims, [4, 5]);
    await sameOutputs(model, fixed);
  });

  it('prune through BatchNorm removes filters, BN entries and consumer input channels', async () => {
    const model = convBn();
    const report = await analyze(model);
    assert.deepEqual(report.layers[0].provenDead, [1, 4]);
    const { model: fixed } = applyFix(model, 'prune', { layer: 'relu1' }, { report });
    assert.equal(params(model) - params(fixed), 2 * (27 + 1 + 4 + 4 * 9));
    for (const n of ['s', 'beta', 'mu', 'var']) assert.deepEqual(fixed.graph.initializers.find((t) => t.name === n)!.dims, [3]);
    await sameOutputs(model, fixed);
  });

  it('prune after Flatten drops a block of features; a Reshape target that spells out 12 becomes 8', async () => {
    for (const kind of ['Flatten', 'Reshape', 'ReshapeConstant', 'ReshapeComputed'] as const) {
      const model = convFlatten(kind);
      const report = await analyze(model);
      const { model: fixed } = applyFix(model, 'prune', { layer: 'relu' }, { report });
      assert.equal(params(model) - params(fixed), 2 * 9 + 1 + 5 * 4);
      assert.deepEqual(fixed.graph.initializers.find((t) => t.name === 'fw')!.dims, [5, 8]);
      if (kind === 'Reshape') {
        const t = fixed.graph.initializers.find((x) => x.name === 'target')!;
        assert.deepEqual(Array.from(new BigInt64Array((t.storage as { bytes: Uint8Array }).bytes.slice().buffer)), [0n, 8n]);
      }
      if (kind === 'ReshapeConstant') {
        const a = fixed.graph.nodes.find((n) => n.name === 'target')!.attributes[0];
        assert.ok(a.type === 'tensor' && a.value.storage.kind === 'raw');
        assert.deepEqual(Array.from(new BigInt64Array(a.value.storage.bytes.slice().buffer)), [2n, 8n]);
        assert.equal(model.graph.nodes.find((n) => n.name === 'target')!.attributes[0].value, (model.graph.nodes.find((n) => n.name === 'target')!.attributes[0].value), 'original kept');
      }
      await sameOutputs(model, fixed);
    }
  });

  it('prune defaults to proven-dead units; force prunes observed-dead ones', async () => {
    const model = mlp();
    const report = await analyze(model);
    const observedOnly = { ...report, layers: [{ ...report.layers[0], provenDead: [] as number[] }] };
    assert.throws(() => applyFix(model, 'prune', { layer: 'relu1' }, { report: observedOnly }), /no proven-dead units \(2 observed dead\).*force/);
    assert.ok(!applicableFixes(model, observedOnly, 0).some((x) => x.id === 'prune'));
    const { model: fixed } = applyFix(model, 'prune', { layer: 'relu1' }, { report: observedOnly, force: true });
    assert.deepEqual(fixed.graph.initializers.find((t) => t.name === 'w1')!.dims, [4, 8]);
  });

  it('refuses what it cannot follow, with a clear message', async () => {
    // The ReLU output also feeds a residual Add: units would leak into the sum.
    const b = new ModelBuilder({ seed: 2 });
    const x = b.input('x', DataType.FLOAT, [2, 4]);
    const h = b.op('Gemm', [x, b.randn('w', [4, 4], 0.5), b.init('bb', DataType.FLOAT, [4], [-100, 0, 0, 0])], {}, { name: 'fc' });
    const r = b.op('Relu', [h], {}, { name: 'relu' });
    b.node('Add', [r, x], {}, { name: 'res', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [2, 4]);
    const model = b.build();
    const report = await analyze(model);
    assert.deepEqual(report.layers[0].dead, [0]);
    assert.throws(() => applyFix(model, 'revive', { layer: 'relu' }, { report }), (e: Error) => e instanceof FixError && /reach res \(Add\), which mixes/.test(e.message));
    assert.deepEqual(applicableFixes(model, report, 'relu').map((x) => x.id), ['leaky-relu', 'he-init', 'pytorch-snippet']);

    // Weights shared by two layers: He init and revive would change the other one too.
    const s = new ModelBuilder({ seed: 2 });
    const xi = s.input('x', DataType.FLOAT, [2, 4]);
    const w = s.randn('w', [4, 4], 0.5);
    const h1 = s.op('Gemm', [xi, w, s.init('b', DataType.FLOAT, [4], [-100, 0, 0, 0])], {}, { name: 'fc1' });
    const r1 = s.op('Relu', [h1], {}, { name: 'relu' });
    s.node('Gemm', [r1, w], {}, { name: 'fc2', outputs: ['y'] });
    s.output('y', DataType.FLOAT, [2, 4]);
    const shared = s.build();
    const rep = await analyze(shared);
    assert.throws(() => applyFix(shared, 'he-init', { layer: 'relu' }, { report: rep }), /shared by several nodes/);
    assert.throws(() => applyFix(shared, 'revive', { layer: 'relu' }, { report: rep }), /shared with other nodes/);
  });

  it('MatMul → Add(bias) → Relu → MatMul on [2,3,4] inputs: revive and prune keep the outputs', async () => {
    const b = new ModelBuilder({ seed: 6 });
    const x = b.input('x', DataType.FLOAT, [2, 3, 4]);
    const h = b.op('Add', [b.op('MatMul', [x, b.randn('w1', [4, 5], 0.5)], {}, { name: 'mm1' }), b.init('b1', DataType.FLOAT, [5], [0, -100, 0.1, 0, 0.2])], {}, { name: 'add1' });
    const r = b.op('Relu', [h], {}, { name: 'relu' });
    b.node('MatMul', [r, b.randn('w2', [5, 3], 0.5)], {}, { name: 'mm2', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [2, 3, 3]);
    const model = b.build();
    const report = await analyze(model);
    assert.deepEqual(report.layers[0].dead, [1]);
    const revived = applyFix(model, 'revive', { layer: 'relu' }, { report, seed: 4 });
    assert.ok(revived.changes.some((c) => /bias added by add1: unit 1 set to 0/.test(c)), revived.changes.join('\n'));
    await sameOutputs(model, revived.model);
    assert.deepEqual((await analyze(revived.model)).layers[0].dead, []);
    const pruned = applyFix(model, 'prune', { layer: 'relu' }, { report }).model;
    assert.equal(params(model) - params(pruned), 4 + 1 + 3);
    await sameOutputs(model, pruned);
  });

  it('a grouped (depthwise) consumer: revive zeroes only its own channel; prune refuses', async () => {
    const b = new ModelBuilder({ seed: 7 });
    const x = b.input('x', DataType.FLOAT, [1, 2, 5, 5]);
    const c = b.op('Conv', [x, b.randn('cw', [4, 2, 1, 1], 0.5), b.init('cb', DataType.FLOAT, [4], [0, 0, -100, 0])], { kernel_shape: [1, 1] }, { name: 'conv' });
    const r = b.op('Relu', [c], {}, { name: 'relu' });
    const dw = b.op('Conv', [r, b.randn('dw', [8, 1, 3, 3], 0.5)], { kernel_shape: [3, 3], group: 4 }, { name: 'dw' });
    b.node('Conv', [dw, b.randn('pw', [3, 8, 1, 1], 0.5)], { kernel_shape: [1, 1] }, { name: 'pw', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [1, 3, 3, 3]);
    const model = b.build();
    const report = await analyze(model);
    assert.deepEqual(report.layers[0].dead, [2]);
    const { model: fixed } = applyFix(model, 'revive', { layer: 'relu' }, { report, seed: 5 });
    const dwv = fixed.graph.initializers.find((t) => t.name === 'dw')!;
    const bytes = (dwv.storage as { bytes: Uint8Array }).bytes;
    const w = new Float32Array(bytes.slice().buffer);
    for (let o = 0; o < 8; o++) assert.equal(w.subarray(o * 9, o * 9 + 9).every((v) => v === 0), o === 4 || o === 5, `filter ${o}`);
    await sameOutputs(model, fixed);
    assert.throws(() => applyFix(model, 'prune', { layer: 'relu' }, { report }), /dw: a grouped convolution \(group 4\) cannot lose single input channels/);
  });

  it('He init: fan_in of a grouped Conv is C/group × kH × kW; non-float32 weights are refused', async () => {
    const b = new ModelBuilder({ seed: 9 });
    const x = b.input('x', DataType.FLOAT, [1, 8, 6, 6]);
    const c = b.op('Conv', [x, b.randn('cw', [64, 4, 3, 3], 0.01), b.init('cb', DataType.FLOAT, [64], new Float32Array(64).fill(-1))], { kernel_shape: [3, 3], group: 2 }, { name: 'conv' });
    b.node('Relu', [c], {}, { name: 'relu', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [1, 64, 4, 4]);
    const model = b.build();
    const report = await analyze(model);
    const { model: fixed, changes } = applyFix(model, 'he-init', { layer: 'relu' }, { report, seed: 1 });
    assert.match(changes[0], /N\(0, 2\/36\)/);
    const v = fixed.graph.initializers.find((t) => t.name === 'cw')!.storage as { bytes: Uint8Array };
    const w = new Float32Array(v.bytes.slice().buffer);
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
    const want = Math.sqrt(2 / 36);
    assert.ok(Math.abs(std - want) < 4 * want / Math.sqrt(2 * w.length), `std ${std} vs ${want}`);
    assert.ok(Math.abs(mean) < 4 * want / Math.sqrt(w.length), `mean ${mean}`);
    const cb = fixed.graph.initializers.find((t) => t.name === 'cb')!.storage as { bytes: Uint8Array };
    assert.ok(new Float32Array(cb.bytes.slice().buffer).every((z) => z === 0));

    const dbl = { ...model, graph: { ...model.graph, initializers: model.graph.initializers.map((t) => (t.name === 'cw' ? { ...t, dataType: DataType.DOUBLE, storage: { kind: 'fields' as const, values: new Float64Array(64 * 36) } } : t)) } };
    assert.throws(() => applyFix(dbl, 'he-init', { layer: 'relu' }, { report }), /weights "cw" are not float32/);
  });

  it('keeps unknown fields through revive and prune', async () => {
    const model = mlp();
    const report = await analyze(model);
    const extra = new Uint8Array([0xc8, 0x06, 0x2a]); // field 201, varint 42
    model.graph.nodes[2].unknownFields = extra;
    model.graph.initializers[0].unknownFields = extra;
    model.graph.unknownFields = extra;
    for (const id of ['revive', 'prune'] as const) {
      const fixed = decodeModel(encodeModel(applyFix(model, id, { layer: 'relu1' }, { report }).model), {});
      assert.deepEqual(fixed.graph.nodes[2].unknownFields, extra);
      assert.deepEqual(fixed.graph.initializers[0].unknownFields, extra, `${id}: an edited initializer keeps its unknown fields`);
      assert.deepEqual(fixed.graph.unknownFields, extra);
    }
  });

  it('digits CNN: prunes the proven-dead channels and revives the dead ones without changing its predictions', async () => {
    const file = path.join(ROOT, 'examples/digits/cnn-dying.onnx');
    const model = loadModel(file);
    const images = loadNpy(path.join(ROOT, 'examples/digits/test-images.npy'));
    const report = await analyzeLoadedModel(model, { data: path.join(ROOT, 'examples/digits/test-images.npy'), workers: 1 });
    const layer = report.layers[1];
    assert.ok(layer.provenDead.length > 0 && layer.dead.length > layer.provenDead.length);
    const data = (images.data as Float32Array).slice(0, 32 * 64);
    const feeds = { input: { shape: [32, 1, 8, 8], data } };
    const pruned = applyFix(model, 'prune', { layer: layer.node }, { report }).model;
    assert.equal(params(model) - params(pruned), layer.provenDead.length * (16 * 9 + 1 + 10));
    close(ours(pruned, feeds), ours(model, feeds), 1e-5, 'pruned');
    close(await theirs(pruned, feeds), await theirs(model, feeds), 1e-5, 'pruned (onnxruntime)');
    const revived = applyFix(model, 'revive', { layer: layer.node }, { report, seed: 2 }).model;
    close(ours(revived, feeds), ours(model, feeds), 1e-5, 'revived');
    const after = await analyzeLoadedModel(revived, { data: path.join(ROOT, 'examples/digits/test-images.npy'), workers: 1 });
    assert.ok(after.layers[1].dead.length < layer.dead.length / 2, `dead after revive: ${after.layers[1].dead.length} of ${layer.dead.length}`);
  });

  it('digits MLP: revives its 70 dead first-layer units with the same logits on the test images', async () => {
    const file = path.join(ROOT, 'examples/digits/mlp-dying.onnx');
    const data = path.join(ROOT, 'examples/digits/test.npy');
    const model = loadModel(file);
    const report = await analyzeLoadedModel(model, { data, workers: 1, proofs: false });
    assert.equal(report.layers[0].dead.length, 70);
    const { model: fixed } = applyFix(model, 'revive', { layer: '/1/Relu' }, { report, seed: 3 });
    const feeds = { input: { shape: [360, 64], data: loadNpy(data).data as Float32Array } };
    close(ours(fixed, feeds), ours(model, feeds), 1e-5, 'revived');
    close(await theirs(fixed, feeds), await theirs(model, feeds), 1e-5, 'revived (onnxruntime)');
    const after = await analyzeLoadedModel(fixed, { data, workers: 1, proofs: false });
    assert.ok(after.layers[0].dead.length < 10, `dead after revive: ${after.layers[0].dead.length}`);
  });
});
