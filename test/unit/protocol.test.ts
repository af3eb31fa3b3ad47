// The viewer protocol's guard: only well-formed messages from the webview get through.
import { strict as assert } from 'node:assert';
import { parseFromViewer } from '../../src/protocol/viewer';

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
