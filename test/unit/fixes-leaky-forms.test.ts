// "Replace with Leaky ReLU" on every ReLU form the analysis finds: Clip(0, 6) in attribute form
// (opset < 11) and input form, Max(x, 0), onnxruntime's FusedConv/FusedGemm, and all dying layers
// at once; the results run in our executor and onnxruntime-node and pass negative values.
import * as assert from 'node:assert/strict';
import { analyzeLoadedModel } from '../../src/analysis/analyze';
import { DataType, Model } from '../../src/onnx/ir';
import { decodeModel } from '../../src/onnx/load';
import { encodeModel } from '../../src/onnx/write';
import { createSession } from '../../src/runtime/executor';
import { makeTensor } from '../../src/runtime/tensor';
import { applicableFixes, applyFix } from '../../src/fixes';
import { f, ModelBuilder } from '../helpers/model-builder';

const ort = require('onnxruntime-node');

const X = new Float32Array([-20, -3, -0.5, 0, 0.5, 3, 7, 50]);

async function run(model: Model, x: Float32Array, shape: number[]): Promise<{ ours: Float32Array; theirs: Float32Array }> {
  const bytes = encodeModel(model);
  const m = decodeModel(bytes, {});
  const ours = createSession(m).runSync({ x: makeTensor(DataType.FLOAT, shape, x) }).y.data as Float32Array;
  const s = await ort.InferenceSession.create(bytes);
  const theirs = (await s.run({ x: new ort.Tensor('float32', x, shape) })).y.data as Float32Array;
  return { ours, theirs };
}

/** x[1,8] → (site) → y, with the site built by `site`. */
function single(opset: number, site: (b: ModelBuilder, x: string) => void, domain?: string): Model {
  const b = new ModelBuilder({ opset });
  if (domain) b.opset(domain, 1);
  const x = b.input('x', DataType.FLOAT, [1, 8]);
  site(b, x);
  b.output('y', DataType.FLOAT, [1, 8]);
  return b.build();
}

async function leaky(model: Model, alpha: number): Promise<{ fixed: Model; changes: string[] }> {
  const report = await analyzeLoadedModel(model, { samples: 8, workers: 1, proofs: false });
  assert.equal(report.layers.length, 1);
  const layer = { ...report.layers[0], dead: [0] }; // treat it as dying: these models are not
  const { model: fixed, changes } = applyFix(model, 'leaky-relu', { layer: layer.node }, { report: { ...report, layers: [layer] }, alpha });
  return { fixed, changes };
}

const expectLeaky = (y: Float32Array, alpha: number, cap = Infinity): void => {
  const want = Array.from(X, (v) => Math.min(v < 0 ? alpha * v : v, cap));
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(y[i] - want[i]) < 1e-6, `y[${i}] = ${y[i]}, want ${want[i]}`);
};

describe('fixes: Leaky ReLU on every ReLU form', function () {
  this.timeout(60_000);

  it('Clip(0, 6) with attributes (opset 10) → LeakyRelu then Clip with max 6 only', async () => {
    const model = single(10, (b, x) => b.node('Clip', [x], { min: f(0), max: f(6) }, { name: 'relu6', outputs: ['y'] }));
    const { fixed, changes } = await leaky(model, 0.1);
    assert.match(changes[0], /keeping the cap/);
    const [l, c] = fixed.graph.nodes;
    assert.equal(l.opType, 'LeakyRelu');
    assert.deepEqual(c.attributes.map((a) => a.name), ['max']);
    assert.equal(c.name, 'relu6');
    assert.deepEqual(c.outputs, ['y']);
    const { ours, theirs } = await run(fixed, X, [1, 8]);
    expectLeaky(ours, 0.1, 6);
    expectLeaky(theirs, 0.1, 6);
  });

  it('Clip(x, 0, 6) with inputs (opset 13) → LeakyRelu then Clip(·, "", 6)', async () => {
    const model = single(13, (b, x) => b.node('Clip', [x, b.init('lo', DataType.FLOAT, [], [0]), b.init('hi', DataType.FLOAT, [], [6])], {}, { name: 'relu6', outputs: ['y'] }));
    const { fixed } = await leaky(model, 0.01);
    assert.deepEqual(fixed.graph.nodes[1].inputs, [fixed.graph.nodes[0].outputs[0], '', 'hi']);
    assert.deepEqual(fixed.graph.initializers.map((t) => t.name), ['hi']);
    const { ours, theirs } = await run(fixed, X, [1, 8]);
    expectLeaky(ours, 0.01, 6);
    expectLeaky(theirs, 0.01, 6);
  });

  it('Max(x, 0) → LeakyRelu keeping name, outputs and doc string', async () => {
    const model = single(13, (b, x) => b.node('Max', [x, b.init('zero', DataType.FLOAT, [], [0])], {}, { name: 'max0', outputs: ['y'] }));
    model.graph.nodes[0].docString = 'kept';
    const { fixed } = await leaky(model, 0.2);
    assert.deepEqual({ ...fixed.graph.nodes[0], attributes: [] }, { name: 'max0', opType: 'LeakyRelu', domain: '', inputs: ['x'], outputs: ['y'], attributes: [], docString: 'kept' });
    const { ours, theirs } = await run(fixed, X, [1, 8]);
    expectLeaky(ours, 0.2);
    expectLeaky(theirs, 0.2);
  });

  it('FusedGemm and FusedConv with activation Relu → LeakyRelu with its alpha', async () => {
    const gemm = single(13, (b, x) => {
      const eye = new Float32Array(64);
      for (let i = 0; i < 8; i++) eye[i * 9] = 1;
      b.node('FusedGemm', [x, b.init('w', DataType.FLOAT, [8, 8], eye)], { activation: 'Relu' }, { name: 'fg', outputs: ['y'], domain: 'com.microsoft' });
    }, 'com.microsoft');
    const { fixed } = await leaky(gemm, 0.05);
    const { ours, theirs } = await run(fixed, X, [1, 8]);
    expectLeaky(ours, 0.05);
    expectLeaky(theirs, 0.05);

    const b = new ModelBuilder({ opset: 13 }).opset('com.microsoft', 1);
    const x = b.input('x', DataType.FLOAT, [1, 8, 1, 1]);
    const eye = new Float32Array(64);
    for (let i = 0; i < 8; i++) eye[i * 9] = 1;
    b.node('FusedConv', [x, b.init('w', DataType.FLOAT, [8, 8, 1, 1], eye)], { activation: 'Relu', kernel_shape: [1, 1] }, { name: 'fc', outputs: ['y'], domain: 'com.microsoft' });
    b.output('y', DataType.FLOAT, [1, 8, 1, 1]);
    const conv = b.build();
    const r = await analyzeLoadedModel(conv, { samples: 8, workers: 1, proofs: false });
    const fixedConv = applyFix(conv, 'leaky-relu', { layer: 'fc' }, { report: { ...r, layers: [{ ...r.layers[0], dead: [0] }] }, alpha: 0.05 }).model;
    const out = await run(fixedConv, X, [1, 8, 1, 1]);
    expectLeaky(out.ours, 0.05);
    expectLeaky(out.theirs, 0.05);
  });

  it('all layers at once: every dying ReLU becomes a LeakyRelu and none is left dying', async () => {
    const b = new ModelBuilder({ seed: 8 });
    const x = b.input('x', DataType.FLOAT, ['N', 4]);
    const h1 = b.op('Relu', [b.op('Gemm', [x, b.randn('w1', [4, 4], 0.5), b.init('b1', DataType.FLOAT, [4], [-100, 0, 0, 0])])], {}, { name: 'r1' });
    const h2 = b.op('Clip', [b.op('Gemm', [h1, b.randn('w2', [4, 4], 0.5), b.init('b2', DataType.FLOAT, [4], [0, -100, 0, 0])]), b.init('lo', DataType.FLOAT, [], [0]), b.init('hi', DataType.FLOAT, [], [6])], {}, { name: 'r2' });
    b.node('Gemm', [h2, b.randn('w3', [4, 2], 0.5)], {}, { outputs: ['y'] });
    b.output('y', DataType.FLOAT, ['N', 2]);
    const model = b.build();
    const report = await analyzeLoadedModel(model, { samples: 32, workers: 1 });
    assert.deepEqual(report.layers.map((l) => l.dead), [[0], [1]]);
    assert.equal(applicableFixes(model, report).filter((x) => x.id === 'leaky-relu').length, 2);
    const { model: fixed, changes } = applyFix(model, 'leaky-relu', { layer: 0, all: true }, { report, alpha: 0.01 });
    assert.equal(changes.filter((c) => /→ LeakyRelu/.test(c)).length, 2, changes.join("\n"));
    assert.deepEqual(fixed.graph.nodes.map((n) => n.opType), ['Gemm', 'LeakyRelu', 'Gemm', 'LeakyRelu', 'Clip', 'Gemm']);
    const after = await analyzeLoadedModel(decodeModel(encodeModel(fixed), {}), { samples: 32, workers: 1 });
    assert.deepEqual(after.layers, [], 'no ReLU left: the cap Clip has no lower bound');
    assert.ok(!fixed.graph.initializers.some((t) => t.name === 'lo'), 'the Clip\'s unused 0 is gone');
    assert.deepEqual(after.nonDying.map((s) => s.op), ['LeakyRelu', 'LeakyRelu']);
  });
});
