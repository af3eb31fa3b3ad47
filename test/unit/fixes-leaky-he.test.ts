// Model rewrites (src/fixes): Leaky ReLU (Relu and ReLU6), He initialization, the PyTorch
// snippet, and writing a fixed model beside the original without ever overwriting.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeModel } from '../../src/analysis/analyze';
import { decodeModel, loadModel } from '../../src/onnx/load';
import { encodeModel } from '../../src/onnx/write';
import { tensorValues } from '../../src/onnx/tensor-data';
import { DataType } from '../../src/onnx/ir';
import { createSession } from '../../src/runtime/executor';
import { makeTensor } from '../../src/runtime/tensor';
import { applicableFixes, applyFix, FixError, pytorchSnippet, writeFixedModel } from '../../src/fixes';

const ROOT = path.resolve(__dirname, '../..');
const MLP = path.join(ROOT, 'examples/digits/mlp-dying.onnx');
const DATA = path.join(ROOT, 'examples/digits/test.npy');

describe('fixes', function () {
  this.timeout(120_000);
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'relu-fix-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('Leaky ReLU leaves no dying layer where 70 units were dead, and onnxruntime runs the result', async () => {
    const before = await analyzeModel(MLP, { data: DATA, workers: 1, proofs: false });
    assert.equal(before.layers[0].dead.length, 70);
    const model = loadModel(MLP);
    const ids = applicableFixes(model, before, 0).map((f) => f.id);
    assert.deepEqual(ids, ['leaky-relu', 'he-init', 'revive', 'pytorch-snippet']);
    const { model: fixed, changes } = applyFix(model, 'leaky-relu', { layer: 0 }, { report: before, alpha: 0.05 });
    assert.match(changes[0], /Relu → LeakyRelu\(alpha=0.05\)/);
    assert.equal(model.graph.nodes[1].opType, 'Relu', 'the input model is not modified');
    const copy = path.join(tmp, 'mlp.onnx');
    fs.copyFileSync(MLP, copy);
    const written = writeFixedModel(copy, fixed);
    assert.equal(written, path.join(tmp, 'mlp.fixed.onnx'));
    const after = await analyzeModel(written, { data: DATA, workers: 1, proofs: false });
    assert.deepEqual(after.layers.map((l) => l.node), ['/3/Relu']);
    assert.ok(after.nonDying.some((s) => s.node === '/1/Relu' && s.op === 'LeakyRelu'));
    // The rewritten model runs in onnxruntime and agrees with our executor.
    const ort = require('onnxruntime-node');
    const session = await ort.InferenceSession.create(fs.readFileSync(written));
    const x = new Float32Array(4 * 64).map((_, i) => (i * 7) % 17);
    const theirs = (await session.run({ input: new ort.Tensor('float32', x, [4, 64]) })).logits.data as Float32Array;
    const ours = createSession(loadModel(written)).runSync({ input: makeTensor(DataType.FLOAT, [4, 64], x) }).logits.data as Float32Array;
    for (let i = 0; i < ours.length; i++) assert.ok(Math.abs(ours[i] - theirs[i]) <= 1e-4 * Math.max(1, Math.abs(theirs[i])));
  });

  it('ReLU6 becomes LeakyRelu followed by a Clip that keeps the cap', () => {
    const model = loadModel(path.join(ROOT, 'test/fixtures/models/mobilenet_v2.onnx'));
    const idx = model.graph.nodes.findIndex((n) => n.opType === 'Clip');
    const clip = model.graph.nodes[idx];
    const report = { layers: [{ node: clip.name, nodeIndex: idx, graphPath: '', kind: 'relu6', dead: [0], provenDead: [], units: 1, producer: null }] } as never;
    const { model: fixed } = applyFix(model, 'leaky-relu', { layer: 0 }, { report, alpha: 0.1 });
    const [leaky, cap] = fixed.graph.nodes.slice(idx, idx + 2);
    assert.equal(leaky.opType, 'LeakyRelu');
    assert.deepEqual(leaky.inputs, [clip.inputs[0]]);
    assert.equal(cap.opType, 'Clip');
    assert.deepEqual(cap.inputs, [leaky.outputs[0], '', clip.inputs[2]]);
    assert.deepEqual(cap.outputs, clip.outputs);
    // Numerically: negatives scaled by alpha, the cap at 6 kept.
    const capConst = fixed.graph.nodes.filter((n) => n.outputs.includes(clip.inputs[2]));
    const g = { ...fixed.graph, nodes: [...capConst, leaky, cap], inputs: [{ name: clip.inputs[0], docString: '', type: { kind: 'tensor' as const, elemType: DataType.FLOAT, shape: [4] } }], outputs: [{ name: cap.outputs[0], docString: '' }] };
    const small = decodeModel(encodeModel({ ...fixed, graph: g }), {});
    const y = createSession(small).runSync({ [clip.inputs[0]]: makeTensor(DataType.FLOAT, [4], new Float32Array([-10, 0.5, 5, 100])) })[cap.outputs[0]].data;
    assert.deepEqual(Array.from(y as Float32Array), [-1, 0.5, 5, 6]);
  });

  it('He initialization re-draws the producer with std √(2/fan_in) and zeroes its bias', async () => {
    const report = await analyzeModel(MLP, { data: DATA, workers: 1, proofs: false, samples: 32 });
    const model = loadModel(MLP);
    const { model: fixed, changes } = applyFix(model, 'he-init', { layer: 0 }, { report, seed: 7 });
    assert.match(changes[0], /N\(0, 2\/64\)/);
    const gemm = fixed.graph.nodes[0];
    const w = tensorValues(fixed.graph.initializers.find((t) => t.name === gemm.inputs[1])!, fixed) as Float32Array;
    const b = tensorValues(fixed.graph.initializers.find((t) => t.name === gemm.inputs[2])!, fixed) as Float32Array;
    let s2 = 0;
    for (const v of w) s2 += v * v;
    const std = Math.sqrt(s2 / w.length);
    assert.ok(Math.abs(std - Math.sqrt(2 / 64)) < 0.01, `std ${std}`);
    assert.ok(b.every((v) => v === 0));
    const again = applyFix(model, 'he-init', { layer: 0 }, { report, seed: 7 }).model;
    const w2 = tensorValues(again.graph.initializers.find((t) => t.name === gemm.inputs[1])!, again) as Float32Array;
    assert.deepEqual(w2, w, 'seeded');
  });

  it('keeps fields the IR does not interpret through a fix', async () => {
    const report = await analyzeModel(MLP, { data: DATA, workers: 1, proofs: false, samples: 16 });
    const model = loadModel(MLP);
    const extra = new Uint8Array([0xc8, 0x06, 0x2a]); // field 201, varint 42
    model.graph.nodes[4].unknownFields = extra;
    model.unknownFields = extra;
    const fixed = decodeModel(encodeModel(applyFix(model, 'leaky-relu', { layer: '/1/Relu' }, { report }).model), {});
    assert.deepEqual(fixed.graph.nodes[4].unknownFields, extra);
    assert.deepEqual(fixed.unknownFields, extra);
  });

  it('never overwrites: a second write gets a new name, the original and other folders are refused', async () => {
    const copy = path.join(tmp, 'm.onnx');
    fs.copyFileSync(MLP, copy);
    const original = fs.readFileSync(copy);
    const model = loadModel(copy);
    assert.equal(writeFixedModel(copy, model), path.join(tmp, 'm.fixed.onnx'));
    assert.equal(writeFixedModel(copy, model), path.join(tmp, 'm.fixed-2.onnx'));
    assert.throws(() => writeFixedModel(copy, model, { target: 'm.onnx', overwrite: true }), FixError);
    assert.throws(() => writeFixedModel(copy, model, { target: '../escape.onnx' }), /beside the original/);
    assert.throws(() => writeFixedModel(copy, model, { target: 'm.fixed.onnx' }), /exists/);
    assert.deepEqual(fs.readFileSync(copy), original);
    assert.deepEqual(fs.readdirSync(tmp).sort(), ['m.fixed-2.onnx', 'm.fixed.onnx', 'm.onnx']);
  });

  it('the PyTorch snippet names the layer without letting model strings break lines', async () => {
    const report = await analyzeModel(MLP, { data: DATA, workers: 1, proofs: false, samples: 16 });
    const evil = { ...report, layers: [{ ...report.layers[0], node: 'evil\nimport os' }] };
    const text = pytorchSnippet(evil, 'evil\nimport os', 0.01);
    assert.match(text, /nn\.LeakyReLU\(0\.01\)/);
    assert.match(text, /nn\.init\.kaiming_normal_\(layer\.weight, nonlinearity='relu'\)/);
    assert.match(pytorchSnippet(report, 0, 0.01), /^# .*\/1\/Relu/m);
    assert.ok(text.split('\n').every((l) => !l.startsWith('import os')));
  });
});
