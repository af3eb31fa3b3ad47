// The viewer's pure layer logic (search, ReLU filter, paging, count line) and shape formatting.
import { strict as assert } from 'node:assert';
import type { LayerSummary } from '../../src/protocol/viewer';
import { countLabel, filterLayers, PAGE_SIZE, queryTerms, searchIndex, visibleRows } from '../../src/webview/layers';
import { bytes, shapeParts, thousands, typeText } from '../../src/webview/format';

function layer(index: number, opType: string, over: Partial<LayerSummary> = {}): LayerSummary {
  return {
    index,
    name: `node_${index}`,
    opType,
    domain: '',
    inputs: [`t${index - 1}`],
    outputs: [`t${index}`],
    outputShapes: [`float[N,${index}]`],
    parameters: 0,
    reluSite: opType === 'Relu',
    ...over,
  };
}

const layers: LayerSummary[] = [
  layer(0, 'Conv', { name: 'features.0.conv', parameters: 1728 }),
  layer(1, 'Relu', { name: 'features.0.relu' }),
  layer(2, 'Clip', { name: 'features.1.relu6', reluSite: true }),
  layer(3, 'FusedConv', { domain: 'com.microsoft', name: '', outputs: ['fused_out'], reluSite: true }),
  layer(4, 'Gemm', { name: 'Classifier', outputShapes: ['float[N,1000]'] }),
];
const index = searchIndex(layers);

describe('webview: layer filtering', () => {
  it('matches all layers on an empty query', () => {
    assert.deepEqual(filterLayers(layers, index, { query: '  ', reluOnly: false }), [0, 1, 2, 3, 4]);
  });

  it('searches name, op, domain, outputs and shapes case-insensitively', () => {
    assert.deepEqual(filterLayers(layers, index, { query: 'CLASSIFIER', reluOnly: false }), [4]);
    assert.deepEqual(filterLayers(layers, index, { query: 'relu', reluOnly: false }), [1, 2]);
    assert.deepEqual(filterLayers(layers, index, { query: 'com.microsoft', reluOnly: false }), [3]);
    assert.deepEqual(filterLayers(layers, index, { query: 'fused_out', reluOnly: false }), [3]);
    assert.deepEqual(filterLayers(layers, index, { query: 'N,1000', reluOnly: false }), [4]);
    assert.deepEqual(filterLayers(layers, index, { query: '#2', reluOnly: false }), [2]);
  });

  it('requires every term to match', () => {
    assert.deepEqual(filterLayers(layers, index, { query: 'features relu', reluOnly: false }), [1, 2]);
    assert.deepEqual(filterLayers(layers, index, { query: 'features conv', reluOnly: false }), [0]);
    assert.deepEqual(queryTerms('  A  b '), ['a', 'b']);
  });

  it('keeps only ReLU sites when asked, combined with the query', () => {
    assert.deepEqual(filterLayers(layers, index, { query: '', reluOnly: true }), [1, 2, 3]);
    assert.deepEqual(filterLayers(layers, index, { query: 'features', reluOnly: true }), [1, 2]);
  });

  it('searches all of a 100k-layer model, not just the visible page', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => layer(i, i % 3 === 0 ? 'Relu' : 'Conv'));
    const idx = searchIndex(many);
    assert.deepEqual(filterLayers(many, idx, { query: 'node_99999', reluOnly: false }), [99999]);
    const relu = filterLayers(many, idx, { query: '', reluOnly: true });
    assert.equal(relu.length, 33_334);
    assert.equal(visibleRows(relu.length, 1), PAGE_SIZE);
  });
});

describe('webview: paging and counts', () => {
  it('shows whole pages, never more than there are', () => {
    assert.equal(visibleRows(0, 1), 0);
    assert.equal(visibleRows(12, 1), 12);
    assert.equal(visibleRows(1200, 1), 500);
    assert.equal(visibleRows(1200, 2), 1000);
    assert.equal(visibleRows(1200, 3), 1200);
    assert.equal(visibleRows(1200, 0), 500);
  });

  it('describes what is shown', () => {
    assert.equal(countLabel(5, 5, 5, false), '5 layers');
    assert.equal(countLabel(500, 12000, 12000, false), 'Showing 500 of 12,000 layers');
    assert.equal(countLabel(500, 1204, 12000, true), 'Showing 500 of 1,204 matching layers (12,000 total)');
    assert.equal(countLabel(1, 1, 12000, true), '1 matching layer (12,000 total)');
    assert.equal(countLabel(0, 0, 12000, true), 'No layers match (12,000 total)');
  });
});

describe('webview: formatting', () => {
  it('marks symbolic and unknown dims', () => {
    assert.deepEqual(shapeParts(['N', 3, null]), [
      { text: 'N', symbolic: true },
      { text: '3', symbolic: false },
      { text: '?', symbolic: true },
    ]);
    assert.equal(shapeParts(null), null);
    assert.equal(typeText({ name: 'x', dtype: 'float', shape: ['batch', 3, 224, 224] }), 'float[batch,3,224,224]');
    assert.equal(typeText({ name: 's', dtype: 'int64', shape: [] }), 'int64[]');
    assert.equal(typeText({ name: 'q', dtype: 'seq(float[])', shape: null }), 'seq(float[])');
  });

  it('formats counts and sizes', () => {
    assert.equal(thousands(11689512), '11,689,512');
    assert.equal(bytes(512), '512 B');
    assert.equal(bytes(18118), '18.1 kB');
    assert.equal(bytes(312_000_000), '312 MB');
    assert.equal(bytes(46_758_048), '46.8 MB');
  });
});
