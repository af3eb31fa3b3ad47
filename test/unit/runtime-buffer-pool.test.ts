// Buffer reuse (src/runtime/buffer-pool.ts): runs with reuse give exactly the results of runs
// without it, across repeated runs and models whose ops alias their inputs' storage.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DataType } from '../../src/onnx/ir';
import { loadModel } from '../../src/onnx/load';
import { createSession } from '../../src/runtime/executor';
import { makeTensor, Tensor } from '../../src/runtime/tensor';
import { fillStrippedWeights } from '../helpers/weights';
import { BufferPool } from '../../src/runtime/buffer-pool';

const FIXTURES = path.resolve(__dirname, '../fixtures/models');

function input(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin(i * 12.9898 + seed) * 0.5;
  return makeTensor(DataType.FLOAT, shape, x);
}

describe('runtime: buffer reuse', function () {
  this.timeout(120_000);

  for (const [name, shape] of [['squeezenet1_1', [1, 3, 224, 224]], ['mobilenet_v2', [1, 3, 224, 224]], ['resnet18', [1, 3, 224, 224]], ['transformer_encoder', [2, 16, 64]]] as const) {
    it(`${name}: three runs with reuse equal runs without it`, () => {
      const model = fillStrippedWeights(loadModel(path.join(FIXTURES, `${name}.onnx`)), 1);
      const pooled = createSession(model);
      const plain = createSession(model, { reuseBuffers: false });
      for (let r = 0; r < 3; r++) {
        const x = input([...shape], r);
        const a = pooled.runSync({ input: x }).output;
        const b = plain.runSync({ input: x }).output;
        assert.deepEqual(a.shape, b.shape);
        assert.deepEqual(Array.from(a.data as Float32Array), Array.from(b.data as Float32Array), `run ${r}`);
      }
    });
  }

  it('returns storage to the pool only when the last value sharing it is released', () => {
    const pool = new BufferPool();
    const alloc = pool.wrap((_dt, shape) => new Float32Array(shape.reduce((a, b) => a * b, 1)));
    const a = alloc(DataType.FLOAT, [4]) as Float32Array;
    a.fill(7);
    const t = makeTensor(DataType.FLOAT, [4], a);
    const alias = makeTensor(DataType.FLOAT, [2, 2], a);
    pool.hold(t);
    pool.hold(alias);
    pool.release(t);
    assert.notEqual(alloc(DataType.FLOAT, [4]), a, 'still held by the alias');
    pool.release(alias);
    const again = alloc(DataType.FLOAT, [4]) as Float32Array;
    assert.equal(again, a, 'reused once free');
    assert.deepEqual(Array.from(again), [0, 0, 0, 0], 'zero-filled again');
    const feed = makeTensor(DataType.FLOAT, [4], new Float32Array(4));
    pool.hold(feed);
    pool.release(feed);
    assert.notEqual(alloc(DataType.FLOAT, [4]), feed.data, 'storage the pool did not allocate is never reused');
  });

  it('serves a smaller tensor from the smallest free buffer that holds it and keeps the books', () => {
    const pool = new BufferPool();
    const alloc = pool.wrap((_dt, shape) => new Float32Array(shape.reduce((a, b) => a * b, 1)));
    const big = alloc(DataType.FLOAT, [100]) as Float32Array;
    const mid = alloc(DataType.FLOAT, [60]) as Float32Array;
    const tBig = makeTensor(DataType.FLOAT, [100], big);
    const tMid = makeTensor(DataType.FLOAT, [60], mid);
    pool.hold(tBig);
    pool.hold(tMid);
    assert.deepEqual(pool.memory(), { inUse: 640, free: 0, peak: 640 });
    mid.fill(3);
    pool.release(tBig);
    pool.release(tMid);
    assert.deepEqual(pool.memory(), { inUse: 0, free: 640, peak: 640 });
    const v = alloc(DataType.FLOAT, [50]) as Float32Array;
    assert.equal(v.buffer, mid.buffer, 'best fit: the 60-element buffer, not the 100-element one');
    assert.equal(v.length, 50);
    assert.deepEqual(Array.from(v), new Array(50).fill(0), 'the view is zero-filled');
    assert.equal((alloc(DataType.FLOAT, [20]) as Float32Array).buffer, big.buffer, 'the only free buffer left that holds 20');
    assert.notEqual((alloc(DataType.FLOAT, [80]) as Float32Array).buffer, big.buffer, 'nothing free holds 80: a new buffer');
    assert.notEqual((alloc(DataType.INT32, [50]) as unknown as Float32Array).buffer, mid.buffer, 'never across dtypes');
  });

  it('a session reports the peak of its intermediates, the same on every run', () => {
    const model = fillStrippedWeights(loadModel(path.join(FIXTURES, 'resnet18.onnx')), 1);
    const session = createSession(model);
    assert.equal(session.memory().peakIntermediates, 0);
    session.runSync({ input: input([1, 3, 224, 224], 0) });
    const first = session.memory().peakIntermediates;
    // ResNet-18's largest live set is 64×112×112 floats (3.2 MB) several times over; the pool should
    // not hold more than a small multiple of it.
    assert.ok(first > 3_211_264 && first < 4 * 3_211_264, `peak ${first}`);
    session.runSync({ input: input([1, 3, 224, 224], 1) });
    assert.equal(session.memory().peakIntermediates, first, 'a second run reuses the first run\'s buffers');
  });
});
