// Shape inference on hand-built graphs with symbolic dims: a small CNN and a transformer-style
// Shape/Gather/Concat/Reshape chain, plus robustness against hostile graphs.
import * as assert from 'node:assert/strict';
import { Attribute, DataType, Dim, Model, Node, OnnxTensor } from '../../src/onnx/ir';
import { inferShapes } from '../../src/onnx/shapes';

const F = DataType.FLOAT;
const ints = (name: string, value: number[]): Attribute => ({ name, type: 'ints', value });
const int = (name: string, value: number): Attribute => ({ name, type: 'int', value });
const node = (opType: string, inputs: string[], outputs: string[], attributes: Attribute[] = []): Node =>
  ({ name: '', opType, domain: '', inputs, outputs, attributes, docString: '' });
const init = (name: string, dims: number[], dataType = F, values?: BigInt64Array): OnnxTensor =>
  ({ name, dataType, dims, docString: '', storage: { kind: 'fields', values: values ?? new Float32Array(dims.reduce((a, b) => a * b, 1)) } });
const i64 = (name: string, v: number[]): OnnxTensor => init(name, [v.length], DataType.INT64, BigInt64Array.from(v.map(BigInt)));

function model(nodes: Node[], inputs: Array<[string, Dim[]]>, initializers: OnnxTensor[] = [], opset = 13): Model {
  return {
    irVersion: 8, opsetImports: [{ domain: '', version: opset }], producerName: '', producerVersion: '', domain: '',
    modelVersion: 0, docString: '', metadata: [], trainingInfo: [], functions: [], source: { byteLength: 0 },
    graph: {
      name: 'g', nodes, initializers, sparseInitializers: [], valueInfo: [], docString: '', quantizationAnnotation: [],
      inputs: inputs.map(([name, shape]) => ({ name, docString: '', type: { kind: 'tensor', elemType: F, shape } })),
      outputs: [],
    },
  };
}

const shapeOf = (m: Model, name: string) => {
  const t = inferShapes(m, { declared: false }).get(name);
  return t && t.kind === 'tensor' ? t.shape : undefined;
};

describe('inferShapes', () => {
  it('carries a symbolic batch through Conv → Relu → MaxPool → Flatten → Gemm', () => {
    const m = model([
      node('Conv', ['x', 'w', 'b'], ['c'], [ints('kernel_shape', [7, 7]), ints('pads', [3, 3, 3, 3]), ints('strides', [2, 2])]),
      node('Relu', ['c'], ['r']),
      node('MaxPool', ['r'], ['p'], [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1]), ints('strides', [2, 2])]),
      node('GlobalAveragePool', ['p'], ['g']),
      node('Flatten', ['g'], ['f']),
      node('Gemm', ['f', 'fc', 'fb'], ['y'], [int('transB', 1)]),
    ], [['x', ['N', 3, 224, 224]]], [init('w', [64, 3, 7, 7]), init('b', [64]), init('fc', [1000, 64]), init('fb', [1000])]);
    assert.deepEqual(shapeOf(m, 'c'), ['N', 64, 112, 112]);
    assert.deepEqual(shapeOf(m, 'p'), ['N', 64, 56, 56]);
    assert.deepEqual(shapeOf(m, 'f'), ['N', 64]);
    assert.deepEqual(shapeOf(m, 'y'), ['N', 1000]);
  });

  it('resolves a transformer reshape built from Shape/Gather/Unsqueeze/Concat', () => {
    const m = model([
      node('Shape', ['x'], ['s']),
      node('Gather', ['s', 'i0'], ['b'], [int('axis', 0)]),
      node('Gather', ['s', 'i1'], ['t'], [int('axis', 0)]),
      node('Unsqueeze', ['b', 'ax0'], ['bu']),
      node('Unsqueeze', ['t', 'ax0'], ['tu']),
      node('Concat', ['bu', 'tu', 'heads'], ['shape'], [int('axis', 0)]),
      node('MatMul', ['x', 'wq'], ['q']),
      node('Reshape', ['q', 'shape'], ['qh']),
      node('Transpose', ['qh'], ['qt'], [ints('perm', [0, 2, 1, 3])]),
      node('MatMul', ['qt', 'qt2'], ['scores']),
      node('Softmax', ['scores'], ['attn'], [int('axis', -1)]),
      node('Reshape', ['q', 'flat'], ['q2']),
    ], [['x', ['batch', 'seq', 512]], ['qt2', ['batch', 8, 64, 'seq']]],
    [{ ...i64('i0', [0]), dims: [] }, { ...i64('i1', [1]), dims: [] }, i64('ax0', [0]), i64('heads', [8, 64]), init('wq', [512, 512]), i64('flat', [-1, 512])]);
    assert.deepEqual(shapeOf(m, 'shape'), [4]);
    assert.deepEqual(shapeOf(m, 'qh'), ['batch', 'seq', 8, 64]);
    assert.deepEqual(shapeOf(m, 'attn'), ['batch', 8, 'seq', 'seq']);
    assert.deepEqual(shapeOf(m, 'q2'), [null, 512]);
  });

  it('solves Reshape -1 by cancelling symbols and keeps 0 dims', () => {
    const m = model([node('Reshape', ['x', 's'], ['y'])], [['x', ['N', 3, 4]]], [i64('s', [0, -1])]);
    assert.deepEqual(shapeOf(m, 'y'), ['N', 12]);
  });

  it('never throws on hostile graphs: cycles, huge and negative dims, bad attributes', () => {
    const m = model([
      node('Add', ['y', 'x'], ['z']),
      node('Relu', ['z'], ['y']),
      node('Tile', ['x', 'r'], ['t']),
      node('ConstantOfShape', ['r'], ['big']),
      node('Conv', ['x', 'x'], ['c'], [{ name: 'strides', type: 'string', value: new Uint8Array([1]) }]),
      node('Unknown', ['x'], ['u']),
    ], [['x', [-5, 2 ** 60, 'N']]], [i64('r', [1e15, 1e15, 1])]);
    const s = inferShapes(m);
    assert.deepEqual((s.get('t') as { shape: Dim[] }).shape, [null, null, 'N']);
    assert.deepEqual((s.get('big') as { shape: Dim[] }).shape, [1e15, 1e15, 1]);
    assert.equal(s.get('u'), undefined);
    assert.equal(s.has('c'), true);
  });
});
