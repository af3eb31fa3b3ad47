// Sample sources: every data format reaches the model's inputs as the right feeds, in batches,
// with the per-element input box; every kind of bad data is a one-line error naming file and input.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataType, Dim, Model } from '../../src/onnx/ir';
import { loadModel, loadTensorFile } from '../../src/onnx/load';
import { tensorValues } from '../../src/onnx/tensor-data';
import { encodeTensor } from '../../src/onnx/write';
import { encodeNpy } from '../../src/data/npy';
import { encodeNpz } from '../../src/data/npz';
import { openSampleSource, SampleBatch, SampleOptions } from '../../src/data/source';
import { discoverData } from '../../src/data/discover';
import { Tensor } from '../../src/runtime/tensor';
import { onnxTensor, ModelBuilder } from '../helpers/model-builder';

const relu = '/work/shared/onnx-backend-node/test_relu';

/** A model with the given inputs (no nodes: sources only read the inputs). */
function inputsModel(...inputs: Array<[string, DataType, Dim[]]>): Model {
  const b = new ModelBuilder();
  for (const [n, t, s] of inputs) b.input(n, t, s);
  return b.build();
}

async function collect(model: Model, opts: SampleOptions): Promise<SampleBatch[]> {
  const out: SampleBatch[] = [];
  for await (const b of openSampleSource(model, opts).batches()) out.push(b);
  return out;
}

const f32 = (shape: number[], f: (i: number) => number): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return { dtype: DataType.FLOAT, shape, data: Float32Array.from({ length: n }, (_, i) => f(i)) };
};

/** A one-line error whose message matches every pattern. */
function oneLine(...patterns: RegExp[]): (e: unknown) => boolean {
  return (e: unknown) => {
    const m = (e as Error).message;
    assert.ok(!m.includes('\n'), `one line: ${m}`);
    for (const p of patterns) assert.match(m, p);
    return true;
  };
}

describe('data: sample sources', () => {
  let tmp: string;
  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'relu-data-')); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const file = (name: string, bytes: Uint8Array): string => {
    const p = path.join(tmp, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, bytes);
    return p;
  };
  const mlp = () => inputsModel(['x', DataType.FLOAT, ['N', 3]]);

  describe('.npy', () => {
    it('streams axis 0 in batches of batchSize, read by range, with the per-element box', async () => {
      const t = f32([5, 3], (i) => i - 4);
      const p = file('a.npy', encodeNpy(t));
      const src = openSampleSource(mlp(), { data: p, batchSize: 2 });
      assert.equal(src.description.kind, 'npy');
      assert.equal(src.description.count, 5);
      const got: SampleBatch[] = [];
      for await (const b of src.batches()) got.push(b);
      assert.deepEqual(got.map((b) => [b.offset, b.count, b.feeds.x.shape]), [[0, 2, [2, 3]], [2, 2, [2, 3]], [4, 1, [1, 3]]]);
      assert.deepEqual(got.flatMap((b) => Array.from(b.feeds.x.data as Float32Array)), Array.from(t.data as Float32Array));
      const box = src.inputBox().x;
      assert.deepEqual(box.shape, [1, 3]);
      assert.deepEqual(Array.from(box.lo as Float32Array), [-4, -3, -2]);
      assert.deepEqual(Array.from(box.hi as Float32Array), [8, 9, 10]);
    });

    it('honours samples and converts float64 to float32 (silently, values rounded)', async () => {
      const p = file('d.npy', encodeNpy({ dtype: DataType.DOUBLE, shape: [4, 3], data: Float64Array.from({ length: 12 }, (_, i) => i / 3) }));
      const got = await collect(mlp(), { data: p, samples: 3 });
      assert.equal(got.length, 1);
      assert.equal(got[0].feeds.x.dtype, DataType.FLOAT);
      assert.deepEqual(Array.from(got[0].feeds.x.data as Float32Array), Array.from({ length: 9 }, (_, i) => Math.fround(i / 3)));
    });

    it('converts uint8 pixels to float exactly', async () => {
      const p = file('u8.npy', encodeNpy({ dtype: DataType.UINT8, shape: [1, 3], data: Uint8Array.from([0, 128, 255]) }));
      const got = await collect(mlp(), { data: p });
      assert.deepEqual(Array.from(got[0].feeds.x.data as Float32Array), [0, 128, 255]);
    });

    it('uses whole fixed batches only and says so', async () => {
      const p = file('b.npy', encodeNpy(f32([5, 3], (i) => i)));
      const src = openSampleSource(inputsModel(['x', DataType.FLOAT, [2, 3]]), { data: p });
      assert.equal(src.description.count, 4);
      assert.match(src.description.note, /fixed at 2: the last 1 samples are not used/);
      const got: SampleBatch[] = [];
      for await (const b of src.batches()) got.push(b);
      assert.deepEqual(got.map((b) => b.count), [2, 2]);
    });

    it('refuses int64 data for a float input, naming file and input', () => {
      const p = file('i.npy', encodeNpy({ dtype: DataType.INT64, shape: [2, 3], data: new BigInt64Array(6) }));
      assert.throws(() => openSampleSource(mlp(), { data: p }), oneLine(/i\.npy/, /input "x"/, /INT64|int64/i, /FLOAT|float32/));
    });

    it('refuses a wrong per-sample shape and a wrong rank', () => {
      const p = file('s.npy', encodeNpy(f32([2, 4], () => 0)));
      assert.throws(() => openSampleSource(mlp(), { data: p }), oneLine(/s\.npy/, /input "x"/, /dimension 1 must be 3/));
      const q = file('r.npy', encodeNpy(f32([2, 3, 1], () => 0)));
      assert.throws(() => openSampleSource(mlp(), { data: q }), oneLine(/r\.npy/, /rank 3/, /input "x" takes rank 2/));
    });

    it('refuses a truncated file and a .npy for a two-input model', () => {
      const bytes = encodeNpy(f32([4, 3], () => 1));
      const p = file('t.npy', bytes.subarray(0, bytes.length - 8));
      assert.throws(() => openSampleSource(mlp(), { data: p }), oneLine(/t\.npy/, /truncated/));
      const two = inputsModel(['a', DataType.FLOAT, ['N', 3]], ['b', DataType.FLOAT, ['N', 3]]);
      assert.throws(() => openSampleSource(two, { data: file('ok.npy', encodeNpy(f32([1, 3], () => 0))) }), oneLine(/ok\.npy/, /feeds one input/, /a, b/));
    });
  });

  describe('.npz', () => {
    const two = () => inputsModel(['a', DataType.FLOAT, ['N', 2]], ['b', DataType.INT64, ['N']]);

    it('feeds each input from the array of its name; unused arrays are noted', async () => {
      const p = file('x.npz', encodeNpz({
        a: f32([3, 2], (i) => i),
        b: { dtype: DataType.INT64, shape: [3], data: BigInt64Array.from([7n, 8n, 9n]) },
        labels: { dtype: DataType.INT64, shape: [3], data: new BigInt64Array(3) },
      }));
      const src = openSampleSource(two(), { data: p, batchSize: 2 });
      assert.equal(src.description.kind, 'npz');
      assert.match(src.description.note, /not used: labels/);
      const got: SampleBatch[] = [];
      for await (const b of src.batches()) got.push(b);
      assert.deepEqual(got.map((b) => b.count), [2, 1]);
      assert.deepEqual(Array.from(got[1].feeds.a.data as Float32Array), [4, 5]);
      assert.deepEqual(Array.from(got[0].feeds.b.data as BigInt64Array), [7n, 8n]);
    });

    it('names the missing key and the mismatched counts', () => {
      const p = file('m.npz', encodeNpz({ a: f32([3, 2], () => 0) }));
      assert.throws(() => openSampleSource(two(), { data: p }), oneLine(/m\.npz/, /no array named "b" for input "b"/, /keys: a/));
      const q = file('c.npz', encodeNpz({ a: f32([3, 2], () => 0), b: { dtype: DataType.INT64, shape: [2], data: new BigInt64Array(2) } }));
      assert.throws(() => openSampleSource(two(), { data: q }), oneLine(/c\.npz/, /different sample counts/));
    });
  });

  describe('.pb tensors and test data sets', () => {
    const model = () => loadModel(path.join(relu, 'model.onnx'));
    const expected = () => tensorValues(loadTensorFile(path.join(relu, 'test_data_set_0', 'input_0.pb'))) as Float32Array;

    it('a test_data_set_* folder is one batch, as stored', async () => {
      const got = await collect(model(), { data: path.join(relu, 'test_data_set_0') });
      assert.equal(got.length, 1);
      assert.deepEqual(got[0].feeds.x.shape, [3, 4, 5]);
      assert.deepEqual(Array.from(got[0].feeds.x.data as Float32Array), Array.from(expected()));
    });

    it('a folder of sets uses every set, one batch each; a single .pb file is batched like an array', async () => {
      const bytes = fs.readFileSync(path.join(relu, 'test_data_set_0', 'input_0.pb'));
      file('sets/test_data_set_0/input_0.pb', bytes);
      file('sets/test_data_set_1/input_0.pb', bytes);
      file('sets/test_data_set_1/output_0.pb', new Uint8Array([1, 2, 3]));
      const src = openSampleSource(model(), { data: path.join(tmp, 'sets') });
      assert.equal(src.description.kind, 'test-data-sets');
      const got: SampleBatch[] = [];
      for await (const b of src.batches()) got.push(b);
      assert.deepEqual(got.map((b) => [b.offset, b.count]), [[0, 3], [3, 3]]);
      assert.equal(src.description.count, 6);
      // test_relu's input is [3,4,5]: a fixed batch of 3 wins over batchSize.
      const single = await collect(model(), { data: path.join(relu, 'test_data_set_0', 'input_0.pb'), batchSize: 2 });
      assert.deepEqual(single.map((b) => b.count), [3]);
    });

    it('a set with no tensor for an input names the file to add; a wrong shape names the set', () => {
      const two = inputsModel(['x', DataType.FLOAT, ['N', 4, 5]], ['y', DataType.FLOAT, ['N', 4, 5]]);
      file('miss/test_data_set_0/input_0.pb', fs.readFileSync(path.join(relu, 'test_data_set_0', 'input_0.pb')));
      assert.throws(() => openSampleSource(two, { data: path.join(tmp, 'miss') }), oneLine(/test_data_set_0/, /no tensor for input "y"/, /input_1\.pb/));
      const other = inputsModel(['x', DataType.FLOAT, ['N', 4, 6]]);
      assert.throws(() => openSampleSource(other, { data: path.join(relu, 'test_data_set_0') }), oneLine(/test_data_set_0/, /input "x"/, /dimension 2 must be 6/));
      const t = onnxTensor('x', DataType.FLOAT, [3, 4, 5], new Float32Array(60));
      file('int/test_data_set_0/input_0.pb', encodeTensor({ ...t, dataType: DataType.INT32, storage: { kind: 'fields', values: new Int32Array(60) } }));
      assert.throws(() => openSampleSource(model(), { data: path.join(tmp, 'int') }), oneLine(/input "x"/, /INT32|int32/i));
    });
  });

  describe('random inputs', () => {
    const model = () => inputsModel(['img', DataType.FLOAT, ['batch', 3, 'h']], ['ids', DataType.INT64, ['batch', 4]], ['mask', DataType.BOOL, ['batch', 4]]);

    it('is deterministic per seed, differs across seeds, and says it is random', async () => {
      const a = await collect(model(), { seed: 1, samples: 20, dims: { h: 2 } });
      const b = await collect(model(), { seed: 1, samples: 20, dims: { h: 2 } });
      const c = await collect(model(), { seed: 2, samples: 20, dims: { h: 2 } });
      assert.deepEqual(a.map((x) => x.feeds), b.map((x) => x.feeds));
      assert.notDeepEqual(Array.from(a[0].feeds.img.data as Float32Array), Array.from(c[0].feeds.img.data as Float32Array));
      assert.deepEqual(a.map((x) => x.count), [16, 4]);
      assert.deepEqual(a[0].feeds.img.shape, [16, 3, 2]);
      const src = openSampleSource(model(), { dims: { h: 2 } });
      assert.equal(src.description.random, true);
      assert.equal(src.description.count, 256);
      assert.match(src.description.note, /random inputs, seed 0: float inputs N\(0,1\)/);
      assert.match(src.description.note, /not your data/);
    });

    it('draws per dtype: N(0,1) floats, integers in [0,10), a fair coin for bool', async () => {
      const got = await collect(model(), { samples: 2000, batchSize: 2000, dims: { h: 1 } });
      const x = got[0].feeds.img.data as Float32Array;
      const mean = x.reduce((s, v) => s + v, 0) / x.length;
      const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length);
      assert.ok(Math.abs(mean) < 0.05 && Math.abs(sd - 1) < 0.05, `mean ${mean} sd ${sd}`);
      const ids = Array.from(got[0].feeds.ids.data as BigInt64Array, Number);
      assert.deepEqual([...new Set(ids)].sort((p, q) => p - q), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const mask = got[0].feeds.mask.data as Uint8Array;
      const ones = mask.reduce((s, v) => s + v, 0) / mask.length;
      assert.ok(mask.every((v) => v === 0 || v === 1) && Math.abs(ones - 0.5) < 0.05);
    });

    it('sets unnamed symbolic dims to 1 with a warning; the box is the distribution range', () => {
      const src = openSampleSource(model(), {});
      assert.match(src.description.note, /dimension 2 \('h'\) is symbolic; set to 1 \(pass --dim h=N/);
      const box = src.inputBox();
      assert.deepEqual(box.img, { lo: -6, hi: 6, shape: [1, 3, 1] });
      assert.deepEqual(box.ids, { lo: 0, hi: 9, shape: [1, 4] });
    });

    it('a fixed batch axis (or --dim batch=N) sets the batch size', async () => {
      const got = await collect(model(), { samples: 10, dims: { batch: 4, h: 1 } });
      assert.deepEqual(got.map((b) => b.count), [4, 4]);
    });
  });

  describe('paths', () => {
    it('a missing path, an unknown format and an empty folder are one-line errors', () => {
      assert.throws(() => openSampleSource(inputsModel(['x', DataType.FLOAT, ['N', 3]]), { data: path.join(tmp, 'nope.npy') }), oneLine(/nope\.npy: not found/));
      assert.throws(() => openSampleSource(inputsModel(['x', DataType.FLOAT, ['N', 3]]), { data: file('a.csv', new Uint8Array(1)) }), oneLine(/a\.csv: unknown data format '\.csv'/));
      fs.mkdirSync(path.join(tmp, 'nothing'));
      assert.throws(() => openSampleSource(inputsModel(['x', DataType.FLOAT, ['N', 3]]), { data: path.join(tmp, 'nothing') }), oneLine(/nothing: no samples found/));
    });

    it('discovers data near a model, fitting .npy files first', () => {
      const dir = path.join(__dirname, '..', '..', 'examples', 'digits');
      const found = discoverData(path.join(dir, 'cnn-dying.onnx'), loadModel(path.join(dir, 'cnn-dying.onnx')));
      assert.deepEqual(found.map((c) => [c.label, c.kind, c.fits]), [['test-images.npy', 'npy', true], ['labels.npy', 'npy', false], ['test.npy', 'npy', false]]);
      const sets = discoverData(path.join(relu, 'model.onnx'));
      assert.deepEqual(sets.map((c) => [c.label, c.kind]), [['.', 'test-data-sets'], ['test_data_set_0', 'pb']]);
    });
  });
});
