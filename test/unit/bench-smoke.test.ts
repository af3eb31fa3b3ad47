// Bench smoke test: the MLP bench model (quick size) is a valid model that our executor,
// onnxruntime-node and onnxruntime-web compute alike, and the live-intermediate measure counts
// exactly the tensors the executor keeps. Numbers only, no times.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadModel } from '../../src/onnx/load';
import { createSession } from '../../src/runtime/executor';
import { benchModel, writeBenchModel } from '../../scripts/bench/models';
import { benchFeeds, liveIntermediates, RunPlan, timeOrt, timeOurs, weightBytes } from '../../scripts/bench/engines';
import { maxAbsDiff, summarize } from '../../scripts/bench/report';

const ONCE: RunPlan = { warmup: 0, min: 1, max: 1, budgetMs: 0 };

describe('bench: MLP model builder and engines', function () {
  this.timeout(60000);
  let dir: string;
  let file: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relu-doctor-bench-'));
    file = writeBenchModel(benchModel('mlp'), true, dir).file;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes a model that loads and plans, with He-scaled raw float weights', () => {
    const model = loadModel(file);
    const session = createSession(model);
    assert.deepEqual(session.inputs.map((i) => i.name), ['input']);
    assert.equal(model.graph.nodes.filter((n) => n.opType === 'Relu').length, 4);
    assert.ok(model.graph.initializers.every((t) => t.storage.kind === 'raw'));
    // 4 hidden 512×512 layers and a 512→10 head, with biases, float32.
    assert.equal(weightBytes(model), 4 * (4 * (512 * 512 + 512) + 512 * 10 + 10));
    const w = model.graph.initializers.find((t) => t.dims.join() === '512,512');
    assert.ok(w && w.storage.kind === 'raw');
    const v = new Float32Array(w.storage.bytes.slice().buffer);
    const std = Math.sqrt(v.reduce((a, x) => a + x * x, 0) / v.length);
    assert.ok(Math.abs(std - Math.sqrt(2 / 512)) < 0.002, `weight std ${std}`);
  });

  it('gives the same inputs every time (seeded)', () => {
    const model = loadModel(file);
    assert.deepEqual(benchFeeds(model)[0].data, benchFeeds(model)[0].data);
    assert.deepEqual(benchFeeds(model)[0].shape, [16, 512]);
  });

  it('our executor agrees with onnxruntime-node and onnxruntime-web on it', async () => {
    const ours = await timeOurs(file, ONCE);
    const node = await timeOrt('ort-node', file, 1, ONCE);
    const web = await timeOrt('ort-web', file, 1, ONCE);
    assert.equal(ours.output.length, 16 * 10);
    assert.ok(ours.output.every(Number.isFinite));
    assert.ok(ours.output.some((x) => x !== 0));
    const scale = Math.max(...ours.output.map(Math.abs));
    assert.ok(maxAbsDiff(ours.output, node.output) <= 1e-4 * scale, `vs ort-node ${maxAbsDiff(ours.output, node.output)}`);
    assert.ok(maxAbsDiff(ours.output, web.output) <= 1e-4 * scale, `vs ort-web ${maxAbsDiff(ours.output, web.output)}`);
    assert.equal(ours.timesMs.length, 1);
  });

  it('counts the largest set of live intermediates: a layer input and its output', () => {
    const live = liveIntermediates(file);
    // Every hidden activation is [16, 512] float32; at most two are alive at once.
    assert.equal(live.peakBytes, 2 * 16 * 512 * 4);
    assert.equal(live.steps, 9);
  });

  it('summarizes times as median, min and max', () => {
    assert.deepEqual(summarize([5, 1, 3]), { medianMs: 3, minMs: 1, maxMs: 5, runs: 3 });
    assert.deepEqual(summarize([4, 1, 3, 2]), { medianMs: 2.5, minMs: 1, maxMs: 4, runs: 4 });
    assert.equal(maxAbsDiff([1, 2], [1]), Infinity);
  });
});
