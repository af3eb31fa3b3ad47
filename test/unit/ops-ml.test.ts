// ai.onnx.ml Binarizer and ArrayFeatureExtractor on our executor against onnxruntime-node, and
// the one-line error for an index outside X.
import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { createSession } from '../../src/runtime/executor';
import { makeTensor, Tensor } from '../../src/runtime/tensor';
import { f, ModelBuilder } from '../helpers/model-builder';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ort: any = require('onnxruntime-node');

function mlModel(op: string, feeds: Record<string, Tensor>, attrs = {}): ModelBuilder {
  const b = new ModelBuilder({ opset: 13 }).opset('ai.onnx.ml', 1);
  for (const [k, t] of Object.entries(feeds)) b.input(k, t.dtype, [...t.shape]);
  b.node(op, Object.keys(feeds), attrs, { domain: 'ai.onnx.ml', outputs: ['z'] });
  b.output('z', feeds[Object.keys(feeds)[0]].dtype);
  return b;
}

async function both(b: ModelBuilder, feeds: Record<string, Tensor>): Promise<[number[], number[], number[]]> {
  const ours = createSession(b.build()).runSync(feeds).z;
  const session = await ort.InferenceSession.create(Buffer.from(b.bytes()));
  const ortFeeds: Record<string, unknown> = {};
  for (const [k, t] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor(t.dtype === DataType.INT64 ? 'int64' : 'float32', t.data, [...t.shape]);
  const theirs = (await session.run(ortFeeds)).z;
  assert.deepEqual([...ours.shape], [...theirs.dims].map(Number));
  return [[...(ours.data as Float32Array)], [...(theirs.data as Float32Array)], [...ours.shape]];
}

describe('ai.onnx.ml ops', () => {
  it('Binarizer matches onnxruntime; NaN gives 0 as in ONNX\'s reference (onnxruntime refuses NaN)', async () => {
    const x = makeTensor(DataType.FLOAT, [2, 3], Float32Array.from([-1, 0.5, 0.7, 0.61, 2, 0.6]));
    const [ours, theirs] = await both(mlModel('Binarizer', { x }, { threshold: f(0.6) }), { x });
    assert.deepEqual(ours, theirs);
    assert.deepEqual(ours, [0, 0, 1, 1, 1, 0]);
    const n = makeTensor(DataType.FLOAT, [2], Float32Array.from([NaN, 1]));
    assert.deepEqual([...createSession(mlModel('Binarizer', { x: n }, { threshold: f(0.6) }).build()).runSync({ x: n }).z.data as Float32Array], [0, 1]);
  });

  it('ArrayFeatureExtractor matches onnxruntime on 2-D and 1-D inputs, and names a bad index', async () => {
    const x = makeTensor(DataType.FLOAT, [2, 4], Float32Array.from([0, 1, 2, 3, 10, 11, 12, 13]));
    const y = makeTensor(DataType.INT64, [3], BigInt64Array.of(3n, 0n, 3n));
    const [ours, theirs, shape] = await both(mlModel('ArrayFeatureExtractor', { x, y }), { x, y });
    assert.deepEqual(ours, theirs);
    assert.deepEqual(shape, [2, 3]);
    assert.deepEqual(ours, [3, 0, 3, 13, 10, 13]);
    const v = makeTensor(DataType.FLOAT, [4], Float32Array.from([5, 6, 7, 8]));
    const [o1, t1, s1] = await both(mlModel('ArrayFeatureExtractor', { x: v, y }), { x: v, y });
    assert.deepEqual(o1, t1);
    assert.deepEqual(s1, [1, 3]);
    const bad = makeTensor(DataType.INT64, [1], BigInt64Array.of(4n));
    assert.throws(() => createSession(mlModel('ArrayFeatureExtractor', { x, y: bad }).build()).runSync({ x, y: bad }), (e: Error) => /index 4 is outside the last dimension of X \(size 4\)/.test(e.message) && !e.message.includes('\n'));
  });

  it('LabelEncoder: strings to int64 with a default, as onnxruntime; NaN keys match NaN', async () => {
    const b = new ModelBuilder({ opset: 13 }).opset('ai.onnx.ml', 2);
    b.input('x', DataType.STRING, [4]);
    b.node('LabelEncoder', ['x'], { keys_strings: ['a', 'b', 'c'], values_int64s: [7, 8, 9], default_int64: 42 }, { domain: 'ai.onnx.ml', outputs: ['z'] });
    b.output('z', DataType.INT64);
    const x = makeTensor(DataType.STRING, [4], ['c', 'zz', 'a', 'b']);
    const ours = createSession(b.build()).runSync({ x }).z;
    const session = await ort.InferenceSession.create(Buffer.from(b.bytes()));
    const theirs = (await session.run({ x: new ort.Tensor('string', ['c', 'zz', 'a', 'b'], [4]) })).z;
    assert.deepEqual([...ours.data as BigInt64Array], [...theirs.data]);
    assert.deepEqual([...ours.data as BigInt64Array], [9n, 42n, 7n, 8n]);
    const f = new ModelBuilder({ opset: 13 }).opset('ai.onnx.ml', 4);
    f.input('x', DataType.FLOAT, [3]);
    f.node('LabelEncoder', ['x'], { keys_floats: [1.5, NaN], values_int64s: [1, 2] }, { domain: 'ai.onnx.ml', outputs: ['z'] });
    f.output('z', DataType.INT64);
    const fz = createSession(f.build()).runSync({ x: makeTensor(DataType.FLOAT, [3], Float32Array.from([NaN, 1.5, 3])) }).z;
    assert.deepEqual([...fz.data as BigInt64Array], [2n, 1n, -1n]);
  });

  it('TreeEnsemble: two trees, SUM / AVERAGE / MAX, NaN routing, set membership, refusals', () => {
    // Tree 0 (root 0): x0 <= 0.5 → leaf 0 (target 0, 1.0) else leaf 1 (target 1, 2.0); NaN goes true.
    // Tree 1 (root 1): x1 ∈ {1, 3} → leaf 2 (target 0, 10) else leaf 3 (target 0, 20).
    const t = (name: string, dt: DataType, v: number[]) => ({ name, dataType: dt, dims: [v.length], docString: '', storage: { kind: 'fields' as const, values: dt === DataType.UINT8 ? Uint8Array.from(v) : Float32Array.from(v) } });
    const model = (aggregate: number, post = 0) => {
      const b = new ModelBuilder({ opset: 13 }).opset('ai.onnx.ml', 5);
      b.input('x', DataType.FLOAT, [3, 2]);
      b.node('TreeEnsemble', ['x'], {
        n_targets: 2, aggregate_function: aggregate, post_transform: post, tree_roots: [0, 1],
        nodes_featureids: [0, 1], nodes_truenodeids: [0, 2], nodes_falsenodeids: [1, 3], nodes_trueleafs: [1, 1], nodes_falseleafs: [1, 1],
        nodes_missing_value_tracks_true: [1, 0], leaf_targetids: [0, 1, 0, 0],
        nodes_splits: t('s', DataType.FLOAT, [0.5, 0]), nodes_modes: t('m', DataType.UINT8, [0, 6]),
        leaf_weights: t('w', DataType.FLOAT, [1, 2, 10, 20]), membership_values: t('mv', DataType.FLOAT, [1, 3, NaN]),
      }, { domain: 'ai.onnx.ml', outputs: ['z'] });
      b.output('z');
      return b;
    };
    const x = makeTensor(DataType.FLOAT, [3, 2], Float32Array.from([0.2, 1, 0.9, 2, NaN, 3]));
    const sum = createSession(model(1).build()).runSync({ x }).z;
    assert.deepEqual([...sum.shape], [3, 2]);
    assert.deepEqual([...sum.data as Float32Array], [11, 0, 20, 2, 11, 0]);
    assert.deepEqual([...createSession(model(0).build()).runSync({ x }).z.data as Float32Array], [5.5, 0, 10, 1, 5.5, 0]);
    const max = [...createSession(model(3).build()).runSync({ x }).z.data as Float32Array];
    assert.deepEqual([max[0], max[2], max[3]], [10, 20, 2]);
    assert.equal(max[1], -3.4028234663852886e38, 'a target no tree reaches keeps the lowest float');
    assert.throws(() => createSession(model(1, 2).build()), /post_transform 2 is not supported/);
  });
});
