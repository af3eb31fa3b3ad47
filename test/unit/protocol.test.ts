// The viewer protocol's guard: only well-formed messages from the webview get through.
import { strict as assert } from 'node:assert';
import { parseFromViewer, splitLayers } from '../../src/protocol/viewer';
import type { ModelSummary } from '../../src/protocol/viewer';

describe('protocol: parseFromViewer', () => {
  it('accepts each FromViewerMessage and strips extra fields', () => {
    assert.deepEqual(parseFromViewer({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromViewer({ type: 'openAsText', evil: '<script>' }), { type: 'openAsText' });
    assert.deepEqual(parseFromViewer({ type: 'analyze' }), { type: 'analyze' });
    assert.deepEqual(parseFromViewer({ type: 'revealLayer', index: 7 }), { type: 'revealLayer', index: 7 });
  });

  it('rejects unknown types, non-objects and bad layer indices', () => {
    for (const bad of [null, undefined, 3, 'ready', {}, { type: 'init' }, { type: 'revealLayer' }, { type: 'revealLayer', index: -1 }, { type: 'revealLayer', index: 1.5 }, { type: 'revealLayer', index: '2' }]) {
      assert.equal(parseFromViewer(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('protocol: splitLayers', () => {
  const summary = (n: number) => ({ nodeCount: n, layers: Array.from({ length: n }, (_, index) => ({ index })) }) as unknown as ModelSummary;

  it('keeps the first layers in the head and chunks the rest in order', () => {
    const s = summary(25);
    const { head, chunks } = splitLayers(s, 10, 7);
    assert.deepEqual(head.layers.map((l) => l.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(chunks.map((c) => c.length), [7, 7, 1]);
    assert.deepEqual([...head.layers, ...chunks.flat()].map((l) => l.index), s.layers.map((l) => l.index));
    assert.equal(head.nodeCount, 25);
    assert.equal(s.layers.length, 25, 'the input summary is not modified');
  });

  it('sends small models whole', () => {
    const { head, chunks } = splitLayers(summary(5));
    assert.equal(head.layers.length, 5);
    assert.deepEqual(chunks, []);
  });
});
