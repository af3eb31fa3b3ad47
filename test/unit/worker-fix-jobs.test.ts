// The worker's fix jobs (src/worker/fix-job.ts) run through the same job table dist/worker.js uses:
// which fixes apply per layer, a rewrite written beside the model, refusals and one-line errors.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeModel } from '../../src/analysis/analyze';
import type { Report } from '../../src/analysis/report';
import { loadModelAsync } from '../../src/onnx/load';
import { runJob } from '../../src/worker/jobs';

const DIGITS = path.join(__dirname, '..', '..', 'examples', 'digits');

describe('worker: fix jobs', function () {
  this.timeout(60_000);
  let dir: string;
  let model: string;
  let report: Report;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relu-doctor-fixjob-'));
    model = path.join(dir, 'mlp.onnx');
    fs.copyFileSync(path.join(DIGITS, 'mlp-dying.onnx'), model);
    report = await analyzeModel(model, { data: path.join(DIGITS, 'test.npy'), workers: 1 });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const apply = (fixId: string, out: string, overwrite = false) =>
    runJob({ type: 'fixApply', path: model, report, layer: 0, fixId, out, overwrite, alpha: 0.02, seed: 1 });

  it('lists the fixes per report layer: the dying /1/Relu gets rewrites, the healthy /3/Relu none', async () => {
    const { applicable } = await runJob({ type: 'fixApplicable', path: model, report });
    assert.equal(applicable.length, report.layers.length);
    assert.equal(report.layers[0].node, '/1/Relu');
    for (const id of ['leaky-relu', 'he-init', 'revive']) assert.ok(applicable[0].includes(id), `${id} in ${applicable[0].join(',')}`);
    assert.ok(!applicable[0].includes('prune'), 'no prune without proven-dead units');
    assert.deepEqual(applicable[1], [], 'nothing to fix where no unit is dead');
  });

  it('writes the fixed model beside the original and says what changed', async () => {
    const out = path.join(dir, 'mlp.fixed.onnx');
    const r = await apply('leaky-relu', out);
    assert.equal(r.written, out);
    assert.match(r.summary, /Relu → LeakyRelu\(alpha=0\.02\)/);
    const fixed = await loadModelAsync(out);
    assert.equal(fixed.graph.nodes.find((n) => n.name === '/1/Relu')?.opType, 'LeakyRelu');
    assert.ok(!fs.readdirSync(dir).some((f) => f.endsWith('.tmp')), 'no temporary file left');
  });

  it('refuses to overwrite an existing file unless told, and never the original', async () => {
    const out = path.join(dir, 'mlp.fixed.onnx');
    const before = fs.readFileSync(out);
    await assert.rejects(apply('revive', out), /exists; pass overwrite/);
    assert.deepEqual(fs.readFileSync(out), before, 'the existing file is untouched');
    const r = await apply('revive', out, true);
    assert.equal(r.written, out);
    assert.notDeepEqual(fs.readFileSync(out), before);
    const original = fs.readFileSync(model);
    await assert.rejects(apply('revive', model, true), /refusing to overwrite the original/);
    assert.deepEqual(fs.readFileSync(model), original);
    await assert.rejects(apply('revive', path.join(os.tmpdir(), 'elsewhere.onnx'), true), /beside the original/);
  });

  it('one-line errors for a bad layer, an unknown fix and a fix that does not apply', async () => {
    const out = path.join(dir, 'x.onnx');
    await assert.rejects(runJob({ type: 'fixApply', path: model, report, layer: 9, fixId: 'revive', out, overwrite: false, alpha: 0.01, seed: 0 }), (e: Error) => /no layer 9/.test(e.message) && !e.message.includes('\n'));
    await assert.rejects(apply('rm -rf', out), /unknown fix "rm -rf"/);
    await assert.rejects(apply('pytorch-snippet', out), /the PyTorch fix is text, not a rewrite/);
    await assert.rejects(apply('prune', out), (e: Error) => !e.message.includes('\n') && /prove|proven/i.test(e.message));
    assert.ok(!fs.existsSync(out));
  });
});
