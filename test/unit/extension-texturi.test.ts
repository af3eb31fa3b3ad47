// Model URI ↔ text view URI mapping.
import { strict as assert } from 'node:assert';
import { modelUriOf, TEXT_SCHEME, textUriFor } from '../../src/extension/textUri';

describe('extension: text view URIs', () => {
  it('round-trips the model URI through the query and keeps the name in the path', () => {
    const model = 'file:///home/u/models/res%20net.onnx';
    const parts = textUriFor(model, '/home/u/models/res net.onnx');
    assert.deepEqual(parts, { scheme: TEXT_SCHEME, path: '/home/u/models/res net.onnx.txt', query: model });
    assert.equal(modelUriOf(parts.scheme, parts.query), model);
  });

  it('ignores URIs of other schemes or without a query', () => {
    assert.equal(modelUriOf('file', 'file:///x.onnx'), undefined);
    assert.equal(modelUriOf(TEXT_SCHEME, ''), undefined);
  });
});
