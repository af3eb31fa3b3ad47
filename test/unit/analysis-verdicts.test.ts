// Acceptance tests of the dead-ReLU analysis on models built with chosen dead, dormant and
// always-active units: exact verdicts, witnesses, causes, and the report's plain-data shape.
import * as assert from 'node:assert/strict';
import { analyzeLoadedModel, InputBox } from '../../src/analysis/analyze';
import { Report } from '../../src/analysis/report';
import { judgeSite, severityOf, zeroEventUpperBound, DEFAULT_VERDICT_OPTIONS } from '../../src/analysis/verdicts';
import { createSiteStats } from '../../src/analysis/stats';
import { Model } from '../../src/onnx/ir';
import * as m from '../helpers/analysis-models';

async function analyse(model: Model, data: Float32Array, perSample: number[], batch = 7): Promise<Report> {
  return analyzeLoadedModel(model, {}, {}, { openSource: () => m.fixedSource(data, perSample, batch) });
}

describe('analysis verdicts on built models', () => {
  it('Dense: dead, dormant, always-active and alive units, with witnesses and causes', async () => {
    const data = m.uniforms(1, 40 * 4);
    const r = await analyse(m.denseModel(), data, [4]);
    assert.equal(r.layers.length, 1);
    const l = r.layers[0];
    assert.equal(l.node, 'relu');
    assert.deepEqual(l.producer, { node: 'dense', op: 'Gemm', nodeIndex: 0 });
    assert.equal(l.unitAxis, -1);
    assert.equal(l.units, 5);
    assert.deepEqual(l.dead, [0, 4]);
    assert.deepEqual(l.dormant, [1]);
    assert.deepEqual(l.alwaysActive, [2]);
    // Over the samples' per-element box [min, max] ⊂ [0, 1), units 0 and 4 are proven dead too.
    assert.deepEqual(l.provenDead, [0, 4]);
    assert.equal(l.proofAvailable, true);
    assert.equal(l.deadFraction, 0.4);
    assert.equal(l.severity, 'warning');
    // Witness of unit 3 (x0 − x1 > 0): the first sample with x0 > x1.
    let first = -1;
    for (let s = 0; s < 40; s++) if (data[s * 4] > data[s * 4 + 1]) { first = s; break; }
    assert.equal(l.witness[3], first);
    assert.equal(l.witness[0], -1);
    assert.equal(l.witness[2], 0);
    assert.equal(l.activationRate[0], 0);
    assert.equal(l.activationRate[2], 1);
    const ids = Object.fromEntries(l.causes.map((c) => [c.id, c.units]));
    assert.deepEqual(ids['weights-nonpositive'], [0]);
    assert.deepEqual(ids['bias-below-reach'], [4]);
    assert.equal(r.samples.count, 40);
    assert.equal(r.totals.dead, 2);
    assert.deepEqual(JSON.parse(JSON.stringify(r)), r, 'the report is plain JSON data');
  });

  it('Conv (NCHW): unit axis 1, dead / always active / alive channels', async () => {
    const r = await analyse(m.convModel(), m.uniforms(2, 20 * 18), [2, 3, 3]);
    const l = r.layers[0];
    assert.equal(l.unitAxis, 1);
    assert.equal(l.units, 3);
    assert.deepEqual(l.dead, [0]);
    assert.deepEqual(l.provenDead, [0]);
    assert.deepEqual(l.alwaysActive, [1]);
    assert.deepEqual(l.dormant, []);
    assert.ok(l.activationRate[2] > 0.2 && l.activationRate[2] < 0.8);
    assert.equal(l.witness[1], 0);
    assert.ok(l.causes.some((c) => c.id === 'weights-nonpositive' && c.units.join() === '0'));
  });

  it('Conv → BN → ReLU: the BatchNorm shift is the cause', async () => {
    const r = await analyse(m.convBnModel(), m.uniforms(3, 25 * 8), [2, 2, 2]);
    const l = r.layers[0];
    assert.deepEqual(l.batchNorm, { node: 'bn', nodeIndex: 1 });
    assert.equal(l.producer?.node, 'conv');
    assert.equal(l.unitAxis, 1);
    assert.deepEqual(l.dead, [0]);
    assert.deepEqual(l.provenDead, [0]);
    assert.deepEqual(l.alwaysActive, []);
    const bn = l.causes.find((c) => c.id === 'batchnorm-shift');
    assert.ok(bn, 'batchnorm-shift cause');
    assert.deepEqual(bn.units, [0]);
    assert.match(bn.message, /β = -5/);
  });

  it('ReLU6: Clip(0, 6) site with its cap; saturated units count at most 6 toward mean |output|', async () => {
    const r = await analyse(m.relu6Model(), m.uniforms(4, 30 * 2), [2]);
    const l = r.layers[0];
    assert.equal(l.kind, 'relu6');
    assert.deepEqual(l.dead, [0]);
    assert.deepEqual(l.provenDead, [0]);
    assert.deepEqual(l.alwaysActive, [1]);
    assert.equal(l.meanAbsOutput[1], 6);
    assert.equal(l.preActivation.min[1] >= 100, true);
  });

  it('ReLU in a residual block: producer through the residual Add, exact verdicts', async () => {
    const r = await analyse(m.residualModel(), m.uniforms(5, 20 * 8, 0.01, 1), [2, 2, 2]);
    const l = r.layers[0];
    assert.equal(l.producer?.node, 'conv');
    assert.equal(l.unitAxis, 1);
    assert.deepEqual(l.dead, [0]);
    // Interval bounds lose the correlation between −10·x0 and x0: decided, but not proven.
    assert.equal(l.proofAvailable, true);
    assert.deepEqual(l.provenDead, []);
    assert.deepEqual(l.alwaysActive, [1]);
    assert.ok(!l.causes.some((c) => c.id === 'bias-below-reach' || c.id === 'weights-nonpositive'), 'no weight causes through a residual sum');
  });

  it('FusedConv(activation=Relu): observed at its output', async () => {
    const r = await analyse(m.fusedConvModel(), m.uniforms(6, 30 * 4), [1, 2, 2]);
    const l = r.layers[0];
    assert.equal(l.kind, 'fused-relu');
    assert.equal(l.observation, 'output');
    assert.deepEqual(l.dead, [0]);
    assert.deepEqual(l.provenDead, [0]);
    assert.deepEqual(l.alwaysActive, [1]);
    assert.ok(l.activationRate[2] > 0.2 && l.activationRate[2] < 0.8);
    assert.ok(r.notes.some((n) => /Fused activations/.test(n)));
  });

  it('proofs plug in: the default box is the samples\' per-element min/max; proven-dead units get the prune remedy', async () => {
    const data = m.uniforms(1, 40 * 4);
    let seen: InputBox | undefined;
    const r = await analyzeLoadedModel(m.denseModel(), {}, {}, {
      openSource: () => m.fixedSource(data, [4], 16),
      proveSites: (_model, box, sites) => {
        seen = box;
        return new Map([[sites[0].id, { upper: Float64Array.from([-0.5, 1, 9, 1, -1]), lower: new Float64Array(5), decided: true }]]);
      },
    });
    const l = r.layers[0];
    assert.equal(l.proofAvailable, true);
    assert.deepEqual(l.provenDead, [0, 4]);
    assert.deepEqual(l.dead, [0, 4]);
    assert.ok(l.causes.find((c) => c.id === 'weights-nonpositive')?.remedies.includes('prune'));
    assert.ok(r.notes.some((n) => /bounds decided 1 of 1 ReLU layers/.test(n)));
    const x = seen?.x;
    assert.ok(x && x.lo instanceof Float32Array && x.hi instanceof Float32Array);
    assert.deepEqual(x.shape, [1, 4]);
    for (let j = 0; j < 4; j++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let s = 0; s < 40; s++) {
        lo = Math.min(lo, data[s * 4 + j]);
        hi = Math.max(hi, data[s * 4 + j]);
      }
      assert.equal(x.lo[j], lo);
      assert.equal(x.hi[j], hi);
    }
    const explicit = await analyzeLoadedModel(m.denseModel(), { box: [-1, 2] }, {}, {
      openSource: () => m.fixedSource(data, [4], 16),
      proveSites: (_model, box) => ((seen = box), new Map()),
    });
    assert.deepEqual(seen, { x: { lo: -1, hi: 2, shape: [1, 4] } });
    assert.equal(explicit.layers[0].proofAvailable, false);
  });

  it('a cascade: a unit that reads only dead units upstream is explained by them', async () => {
    const r = await analyse(m.cascadeModel(), m.uniforms(8, 30 * 2), [2]);
    assert.deepEqual(r.layers.map((l) => l.dead), [[0], [0]]);
    const [l1, l2] = r.layers;
    assert.deepEqual(l1.causes.map((c) => [c.id, c.units]), [['weights-nonpositive', [0]]]);
    assert.deepEqual(l2.causes.map((c) => [c.id, c.units]), [['upstream-dead', [0]]]);
    assert.match(l2.causes[0].message, /dead in 'relu1'/);
  });

  it('random inputs are flagged in the report', async () => {
    const r = await analyzeLoadedModel(m.denseModel(), { samples: 10, seed: 3 });
    assert.equal(r.samples.random, true);
    assert.equal(r.samples.seed, 3);
    assert.equal(r.samples.count, 10);
    assert.ok(r.notes[0].startsWith('RANDOM INPUTS'));
  });

  it('cancellation stops the analysis with an AbortError', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(analyzeLoadedModel(m.denseModel(), { samples: 10 }, { signal: ac.signal }), (e: Error) => e.name === 'AbortError');
  });

  it('progress reports samples done of total', async () => {
    const seen: Array<[number, number]> = [];
    await analyzeLoadedModel(m.denseModel(), { samples: 70, batchSize: 32 }, { onProgress: (d, t) => seen.push([d, t]) });
    assert.deepEqual(seen, [[0, 70], [32, 70], [64, 70], [70, 70]]);
  });
});

describe('verdict arithmetic', () => {
  it('zero-event 95% upper bound is 1 − 0.05^(1/N), about 3/N', () => {
    assert.equal(zeroEventUpperBound(1), 0.95);
    assert.ok(Math.abs(zeroEventUpperBound(1000) - 3 / 1000) < 1e-4);
    assert.equal(zeroEventUpperBound(0), 1);
  });

  it('severity thresholds: warning at ≥ 10%, error at ≥ 50%, configurable', () => {
    assert.equal(severityOf(0, DEFAULT_VERDICT_OPTIONS), 'none');
    assert.equal(severityOf(0.09, DEFAULT_VERDICT_OPTIONS), 'none');
    assert.equal(severityOf(0.1, DEFAULT_VERDICT_OPTIONS), 'warning');
    assert.equal(severityOf(0.5, DEFAULT_VERDICT_OPTIONS), 'error');
    assert.equal(severityOf(0.3, { ...DEFAULT_VERDICT_OPTIONS, errorFraction: 0.25 }), 'error');
  });

  it('proven-dead units come from the bounds (upper ≤ 0) and count toward the dead fraction', () => {
    const s = createSiteStats(4);
    s.positions = 10;
    s.samples = 10;
    s.positives.set([5, 0, 3, 2]);
    s.sumAbsOut.set([5, 0, 3, 2]);
    s.min.set([-1, -1, -1, 0.5]);
    const v = judgeSite(s, DEFAULT_VERDICT_OPTIONS, [1, -0.5, 0, 2]);
    assert.deepEqual(v.provenDead, [1, 2]);
    assert.deepEqual(v.dead, [1]);
    assert.equal(v.deadFraction, 0.5);
    assert.equal(v.severity, 'error');
    assert.deepEqual(v.alwaysActive, [3]);
  });
});
