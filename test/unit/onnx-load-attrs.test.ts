// Attribute readers: typed values, defaults, and one-line errors naming node and attribute.
import * as assert from 'node:assert/strict';
import { Attribute, Graph, ModelError, Node } from '../../src/onnx/ir';
import { attrFloat, attrFloats, attrGraph, attrGraphs, attrInt, attrInts, attrString, attrStrings, attrTensor, findAttr } from '../../src/onnx/attrs';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const graph: Graph = { name: 'body', nodes: [], initializers: [], sparseInitializers: [], inputs: [], outputs: [], valueInfo: [], docString: '', quantizationAnnotation: [] };

function node(attributes: Attribute[], name = 'n1'): Node {
  return { name, opType: 'Op', domain: '', inputs: ['x'], outputs: ['y'], attributes, docString: '' };
}

const n = node([
  { name: 'i', type: 'int', value: 3 },
  { name: 'f', type: 'float', value: 0.5 },
  { name: 's', type: 'string', value: enc('héllo') },
  { name: 'is', type: 'ints', value: [1, -2] },
  { name: 'fs', type: 'floats', value: [0.25] },
  { name: 'ss', type: 'strings', value: [enc('a'), enc('ü')] },
  { name: 't', type: 'tensor', value: { name: '', dataType: 1, dims: [], docString: '', storage: { kind: 'fields', values: Float32Array.of(1) } } },
  { name: 'g', type: 'graph', value: graph },
  { name: 'gs', type: 'graphs', value: [graph, graph] },
]);

function throwsLine(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ModelError);
    assert.ok(!e.message.includes('\n'));
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

describe('onnx attrs', () => {
  it('reads each type', () => {
    assert.equal(findAttr(n, 'i')?.type, 'int');
    assert.equal(findAttr(n, 'zz'), undefined);
    assert.equal(attrInt(n, 'i'), 3);
    assert.equal(attrFloat(n, 'f'), 0.5);
    assert.equal(attrFloat(n, 'i'), 3);
    assert.equal(attrString(n, 's'), 'héllo');
    assert.deepEqual(attrInts(n, 'is'), [1, -2]);
    assert.deepEqual(attrFloats(n, 'fs'), [0.25]);
    assert.deepEqual(attrStrings(n, 'ss'), ['a', 'ü']);
    assert.equal(attrTensor(n, 't').dataType, 1);
    assert.equal(attrGraph(n, 'g').name, 'body');
    assert.equal(attrGraphs(n, 'gs').length, 2);
  });

  it('defaults apply only when absent', () => {
    assert.equal(attrInt(n, 'missing', 7), 7);
    assert.equal(attrString(n, 'missing', 'dflt'), 'dflt');
    assert.deepEqual(attrInts(n, 'missing', []), []);
    assert.equal(attrTensor(n, 'missing', true), undefined);
    assert.equal(attrGraph(n, 'missing', true), undefined);
    assert.equal(attrInt(n, 'i', 7), 3);
  });

  it('errors name node and attribute', () => {
    throwsLine(() => attrInt(n, 'missing'), /Op node 'n1'/, /required attribute 'missing'/);
    throwsLine(() => attrInt(n, 'f'), /Op node 'n1'/, /'f' must be int, but is float/);
    throwsLine(() => attrString(n, 'i', 'x'), /'i' must be string/);
    throwsLine(() => attrGraph(node([], ''), 'body'), /Op node \(unnamed, output 'y'\)/, /'body'/);
  });
});
