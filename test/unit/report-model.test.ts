// The report webview's pure logic on the recorded digits CNN report: bar counts, sorting, keyboard
// selection, default selection, before → after matching, unit categories, grid moves, formatting
// and the histogram geometry.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LayerReport, Report } from '../../src/protocol/report';
import { compareReports, defaultSelection, layerCounts, moveInGrid, moveSelection, nextSort, sortLayers, unitCategories } from '../../src/webview/report-model';
import { causeLabel, dataLine, duration, ofUnits, pct, remedyLabel, stat, unitDetail, unitRanges } from '../../src/webview/report-format';
import { histogramGeometry } from '../../src/webview/report-histogram';

const load = (f: string): Report => JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'reports', f), 'utf8'));
const cnn = load('cnn-dying.json');
const fixed = load('cnn-dying.fixed.json');

function layer(over: Partial<LayerReport>): LayerReport {
  return { ...cnn.layers[0], ...over };
}

describe('report webview: model', () => {
  it('splits a layer into disjoint bar parts that sum to its units', () => {
    assert.deepEqual(layerCounts(cnn.layers[1]), { provenDead: 4, dead: 16, dormant: 2, alive: 10, units: 32 });
    assert.deepEqual(layerCounts(cnn.layers[0]), { provenDead: 3, dead: 0, dormant: 0, alive: 13, units: 16 });
    // Proven dead but not observed (fused output sites), and a dormant unit also listed dead, count once.
    assert.deepEqual(layerCounts(layer({ units: 6, dead: [1], provenDead: [0], dormant: [1, 2] })), { provenDead: 1, dead: 1, dormant: 1, alive: 3, units: 6 });
  });

  it('sorts by any column, ties in network order', () => {
    const layers = [layer({ node: 'b', dead: [1, 2] }), layer({ node: 'A', dead: [1] }), layer({ node: 'c', dead: [1, 2] })];
    assert.deepEqual(sortLayers(layers, 'dead', 'desc'), [0, 2, 1]);
    assert.deepEqual(sortLayers(layers, 'dead', 'asc'), [1, 0, 2]);
    assert.deepEqual(sortLayers(layers, 'node', 'asc'), [1, 0, 2]);
    assert.deepEqual(sortLayers(cnn.layers, 'severity', 'desc'), [1, 0]);
    assert.deepEqual(sortLayers(cnn.layers, 'index', 'desc'), [1, 0]);
    // Layers without proofs sort below a proven count of 0.
    assert.deepEqual(sortLayers([layer({ proofAvailable: false }), layer({ provenDead: [] })], 'provenDead', 'asc'), [0, 1]);
  });

  it('toggles a column, and starts counts descending and names ascending', () => {
    assert.deepEqual(nextSort({ key: 'index', dir: 'asc' }, 'dead'), { key: 'dead', dir: 'desc' });
    assert.deepEqual(nextSort({ key: 'dead', dir: 'desc' }, 'dead'), { key: 'dead', dir: 'asc' });
    assert.deepEqual(nextSort({ key: 'dead', dir: 'desc' }, 'node'), { key: 'node', dir: 'asc' });
  });

  it('moves the selection through the table order and stops at the ends', () => {
    const order = [2, 0, 1, 3];
    assert.equal(moveSelection(order, 0, 'ArrowDown'), 1);
    assert.equal(moveSelection(order, 0, 'ArrowUp'), 2);
    assert.equal(moveSelection(order, 2, 'ArrowUp'), 2);
    assert.equal(moveSelection(order, 3, 'ArrowDown'), 3);
    assert.equal(moveSelection(order, 1, 'Home'), 2);
    assert.equal(moveSelection(order, 1, 'End'), 3);
    assert.equal(moveSelection(order, 2, 'PageDown', 2), 1);
    assert.equal(moveSelection(order, -1, 'ArrowDown'), 2);
    assert.equal(moveSelection([], 0, 'ArrowDown'), -1);
  });

  it('selects the requested layer, else the worst layer with dead units', () => {
    assert.equal(defaultSelection(cnn), 1);
    assert.equal(defaultSelection(cnn, 0), 0);
    assert.equal(defaultSelection(cnn, 7), 1);
    assert.equal(defaultSelection({ ...cnn, layers: [layer({ dead: [], provenDead: [], deadFraction: 0, severity: 'none' })] }), 0);
    assert.equal(defaultSelection({ ...cnn, layers: [] }), -1);
  });

  it('matches layers before and after a fix, and names the one that became LeakyRelu', () => {
    const c = compareReports(cnn, fixed);
    assert.deepEqual(c.layers, [{ deadBefore: 3, unitsBefore: 16, provenBefore: 3, deadAfter: 3, provenAfter: 3 }]);
    assert.deepEqual(c.removed, [{ node: '/5/Relu', deadBefore: 20, unitsBefore: 32, nowOp: 'LeakyRelu' }]);
    // Renamed layers of an unchanged count match by position.
    const renamed = { ...cnn, layers: cnn.layers.map((l, i) => ({ ...l, node: `x${i}`, dead: [] })) };
    assert.deepEqual(compareReports(cnn, renamed).layers.map((x) => x && [x.deadBefore, x.deadAfter]), [[3, 0], [20, 0]]);
    assert.deepEqual(compareReports(cnn, renamed).removed, []);
    // The change column sorts by dead after − dead before.
    assert.deepEqual(sortLayers(renamed.layers, 'change', 'asc', compareReports(cnn, renamed).layers), [1, 0]);
  });

  it('puts each unit in its verdict, else its activation-rate band', () => {
    const l = layer({ units: 8, provenDead: [0], dead: [0, 1], dormant: [2], activationRate: [0, 0, 0.001, 0.01, 0.1, 0.3, 0.6, 0.95] });
    assert.deepEqual(unitCategories(l), ['proven', 'dead', 'dormant', 'r1', 'r2', 'r3', 'r4', 'r5']);
    assert.deepEqual(unitCategories(cnn.layers[0]).filter((c) => c === 'proven').length, 3);
  });

  it('moves in the unit grid by rows and columns, staying inside', () => {
    assert.equal(moveInGrid(0, 'ArrowRight', 8, 20), 1);
    assert.equal(moveInGrid(0, 'ArrowLeft', 8, 20), 0);
    assert.equal(moveInGrid(3, 'ArrowDown', 8, 20), 11);
    assert.equal(moveInGrid(15, 'ArrowDown', 8, 20), 15);
    assert.equal(moveInGrid(11, 'ArrowUp', 8, 20), 3);
    assert.equal(moveInGrid(5, 'End', 8, 20), 19);
    assert.equal(moveInGrid(19, 'ArrowRight', 8, 20), 19);
  });
});

describe('report webview: formatting', () => {
  it('formats percentages without rounding a non-zero share to 0', () => {
    assert.deepEqual([0, 0.0083, 0.042, 0.1875, 0.625, 1, 1e-6].map(pct), ['0%', '0.83%', '4.2%', '19%', '63%', '100%', '< 0.01%']);
    assert.equal(ofUnits(3, 16), '3 of 16 (19%)');
    assert.equal(ofUnits(0, 0), '0 of 0');
  });

  it('formats statistics, durations and unit ranges', () => {
    assert.deepEqual([-1.1734, 2.6e-5, 0, 123456].map(stat), ['−1.17', '2.60e-5', '0', '1.23e+5']);
    assert.deepEqual([146, 2412, 12_345, 185_000].map(duration), ['146 ms', '2.4 s', '12.3 s', '3 min 5 s']);
    assert.equal(unitRanges([0, 1, 3, 4, 6, 7, 10, 12, 13, 14]), '0, 1, 3, 4, 6, 7, 10, 12–14');
    assert.equal(unitRanges([]), 'none');
    assert.equal(unitRanges([0, 2, 4, 6, 8, 9, 10], 2), '0, 2, … (+5 more)');
  });

  it('names causes and remedies, passing unknown ids through', () => {
    assert.equal(causeLabel('bias-below-reach'), 'Bias below reach');
    assert.equal(remedyLabel('revive'), 'revive (re-initialize the units)');
    assert.equal(causeLabel('<b>x</b>'), '<b>x</b>');
  });

  it('describes a unit and the data', () => {
    const l = cnn.layers[1];
    assert.match(unitDetail(l, 0, 'dead', new Set()), /^Unit 0: dead: never fired · fires on 0% of positions · pre-activation min −\d/);
    assert.match(unitDetail(l, 0, 'dead', new Set()), /fired on no sample$/);
    assert.equal(dataLine(cnn), '360 samples from examples/digits/test-images.npy');
    assert.equal(dataLine({ ...cnn, samples: { ...cnn.samples, random: true, count: 1 } }), '1 RANDOM sample from examples/digits/test-images.npy');
  });
});

describe('report webview: histogram geometry', () => {
  it('draws one bar per bin on a square-root scale and places 0', () => {
    const g = histogramGeometry({ min: -2, max: 2, counts: [0, 4, 16, 1] }, 400, 100);
    assert.equal(g.bars.length, 4);
    assert.deepEqual(g.bars.map((b) => b.h), [0, 50, 100, 25]);
    assert.deepEqual(g.bars.map((b) => b.positive), [false, false, true, true]);
    assert.equal(g.zeroX, 200);
    assert.equal(g.bars[2].y, 0);
    assert.deepEqual([g.bars[1].lo, g.bars[1].hi], [-1, 0]);
  });

  it('has no zero line when 0 is out of range, and nothing for an empty histogram', () => {
    assert.equal(histogramGeometry({ min: 1, max: 3, counts: [1, 2] }, 100, 10).zeroX, undefined);
    assert.deepEqual(histogramGeometry({ min: 0, max: 0, counts: [] }, 100, 10), { bars: [] });
  });

  it('keeps every non-empty bin visible', () => {
    const g = histogramGeometry(cnn.layers[1].histogram, 480, 120);
    for (const b of g.bars) if (b.count > 0) assert.ok(b.h >= 1);
  });
});
