// The real example models (trained offline with PyTorch on scikit-learn's digits): the analysis
// on their test data must find the dead units PyTorch hooks measured (examples/digits/MEASURED.txt).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeModel } from '../../src/analysis/analyze';

const dir = path.join(__dirname, '..', '..', 'examples', 'digits');

describe('analysis on examples/digits', () => {
  const cases: Array<[string, string, number[], number[]]> = [
    ['mlp-dying.onnx', 'test.npy', [128, 64], [70, 0]],
    ['mlp-healthy.onnx', 'test.npy', [128, 64], [0, 5]],
    ['cnn-dying.onnx', 'test-images.npy', [16, 32], [3, 20]],
  ];
  for (const [model, data, units, dead] of cases) {
    it(`${model}: dead units per ReLU layer ${JSON.stringify(dead)} as measured`, async () => {
      const r = await analyzeModel(path.join(dir, model), { data: path.join(dir, data) });
      assert.equal(r.samples.count, 360);
      assert.equal(r.samples.random, false);
      assert.deepEqual(r.layers.map((l) => l.units), units);
      assert.deepEqual(r.layers.map((l) => l.dead.length), dead);
      for (const l of r.layers) {
        assert.ok(l.dead.every((u) => l.witness[u] === -1 && l.activationRate[u] === 0));
        // The default proof box is the samples' range, so every proven-dead unit is observed dead.
        assert.ok(l.proofAvailable);
        assert.ok(l.provenDead.every((u) => l.dead.includes(u)), `${l.node}: proven dead ⊆ observed dead`);
        if (l.dead.length) assert.ok(l.causes.length > 0, `${l.node}: dead units have a cause`);
      }
    });
  }

  it('cnn-dying: bounds over the samples\' box prove some of the dead channels dead', async () => {
    const r = await analyzeModel(path.join(dir, 'cnn-dying.onnx'), { data: path.join(dir, 'test-images.npy') });
    assert.ok(r.totals.provenDead > 0);
    assert.ok(r.layers.every((l) => l.causes.every((c) => !c.remedies.includes('prune') || c.units.every((u) => l.provenDead.includes(u)))));
  });

  it('mlp-dying: the first layer is an error, its inputs are flagged as not normalized', async () => {
    const r = await analyzeModel(path.join(dir, 'mlp-dying.onnx'), { data: path.join(dir, 'test.npy') });
    const l = r.layers[0];
    assert.equal(l.severity, 'error');
    assert.equal(l.producer?.op, 'Gemm');
    assert.ok(l.causes.some((c) => c.id === 'inputs-not-normalized' && /\[0, 16\]/.test(c.message)));
  });
});
