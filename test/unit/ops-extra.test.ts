// CumProd, BitCast and the random ops: values, refusals, and for random ops shape, dtype, range,
// seed determinism (same seed → same values, on every run) and the distribution's moments.

import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { createSession } from '../../src/runtime/executor';
import { makeTensor, Tensor } from '../../src/runtime/tensor';
import { AttrValue, f, ModelBuilder } from '../helpers/model-builder';

/** Runs a one-node model (inputs X…, output Y); returns Y. */
function run1(opType: string, opset: number, inputs: Tensor[], attrs: Record<string, AttrValue>, outType = DataType.FLOAT): Tensor {
  const b = new ModelBuilder({ opset });
  const names = inputs.map((t, i) => b.input(`x${i}`, t.dtype, [...t.shape]));
  b.node(opType, names, attrs, { outputs: ['Y'] });
  b.output('Y', outType);
  const feeds: Record<string, Tensor> = {};
  inputs.forEach((t, i) => { feeds[`x${i}`] = t; });
  return createSession(b.build()).runSync(feeds).Y;
}

function moments(v: ArrayLike<number>): { mean: number; sd: number } {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  const mean = s / v.length;
  let q = 0;
  for (let i = 0; i < v.length; i++) q += (v[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(q / v.length) };
}

const axis = (a: number): Tensor => makeTensor(DataType.INT64, [], BigInt64Array.of(BigInt(a)));

describe('extra ops', () => {
  it('CumProd: inclusive / exclusive / reverse, int32 wrap-around, int64', () => {
    const x = makeTensor(DataType.FLOAT, [2, 3], Float32Array.from([1, 2, 3, 4, 5, 6]));
    assert.deepEqual([...run1('CumProd', 26, [x, axis(1)], {}).data as Float32Array], [1, 2, 6, 4, 20, 120]);
    assert.deepEqual([...run1('CumProd', 26, [x, axis(-1)], { exclusive: 1, reverse: 1 }).data as Float32Array], [6, 3, 1, 30, 6, 1]);
    assert.deepEqual([...run1('CumProd', 26, [x, axis(0)], {}).data as Float32Array], [1, 2, 3, 4, 10, 18]);
    const big = makeTensor(DataType.INT32, [3], Int32Array.from([65536, 65536, 3]));
    assert.deepEqual([...run1('CumProd', 26, [big, axis(0)], {}, DataType.INT32).data as Int32Array], [65536, 0, 0]);
    const l = makeTensor(DataType.INT64, [3], BigInt64Array.from([3n, -4n, 5n]));
    assert.deepEqual([...run1('CumProd', 26, [l, axis(0)], { exclusive: 1 }, DataType.INT64).data as BigInt64Array], [1n, 3n, -12n]);
  });

  it('TensorScatter: linear and circular writes along an axis, int64 caches, one-line errors for writes that do not fit', () => {
    // Cache [batch 2, heads 1, len 4, dim 2]; updates of 2 positions.
    const past = makeTensor(DataType.FLOAT, [2, 1, 4, 2], Float32Array.from({ length: 16 }, (_, i) => i));
    const upd = makeTensor(DataType.FLOAT, [2, 1, 2, 2], Float32Array.from([-1, -2, -3, -4, -5, -6, -7, -8]));
    const at = (a: number, b: number): Tensor => makeTensor(DataType.INT64, [2], BigInt64Array.of(BigInt(a), BigInt(b)));
    assert.deepEqual([...run1('TensorScatter', 24, [past, upd, at(1, 2)], {}).data as Float32Array],
      [0, 1, -1, -2, -3, -4, 6, 7, 8, 9, 10, 11, -5, -6, -7, -8]);
    assert.deepEqual([...run1('TensorScatter', 24, [past, upd, at(3, 0)], { mode: 'circular' }).data as Float32Array],
      [-3, -4, 2, 3, 4, 5, -1, -2, -5, -6, -7, -8, 12, 13, 14, 15]);
    // axis 1 of a [1, 3] int64 cache.
    const l = makeTensor(DataType.INT64, [1, 3], BigInt64Array.of(1n, 2n, 3n));
    const lu = makeTensor(DataType.INT64, [1, 1], BigInt64Array.of(9n));
    assert.deepEqual([...run1('TensorScatter', 24, [l, lu, makeTensor(DataType.INT64, [1], BigInt64Array.of(2n))], { axis: 1 }, DataType.INT64).data as BigInt64Array], [1n, 2n, 9n]);
    assert.throws(() => run1('TensorScatter', 24, [past, upd, at(3, 0)], {}), (e: Error) => /write_indices\[0\] = 3 with 2 new entries does not fit a cache of 4/.test(e.message) && !e.message.includes('\n'));
    assert.throws(() => run1('TensorScatter', 24, [past, upd, at(0, 0)], { mode: 'ring' }), /mode "ring"/);
  });

  it('SwiGLU: Swish(a, alpha) · b with broadcasting; mismatched dtypes refused', () => {
    const a = makeTensor(DataType.FLOAT, [2, 3], Float32Array.from([-2, -0.5, 0, 0.5, 1, 3]));
    const b = makeTensor(DataType.FLOAT, [3], Float32Array.from([1, 2, -1]));
    const y = run1('SwiGLU', 28, [a, b], { alpha: f(0.5) }).data as Float32Array;
    const want = [...(a.data as Float32Array)].map((v, i) => (v / (1 + Math.exp(-0.5 * v))) * (b.data as Float32Array)[i % 3]);
    assert.deepEqual([...run1('SwiGLU', 28, [a, b], { alpha: f(0.5) }).shape], [2, 3]);
    y.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6, `${i}: ${v} vs ${want[i]}`));
    const d = makeTensor(DataType.DOUBLE, [3], Float64Array.from([1, 2, 3]));
    assert.throws(() => run1('SwiGLU', 28, [a, d], {}), /inputs must share one type/);
  });

  it('ImageDecoder: PNG to RGB / BGR / Grayscale; JPEG, WebP and other formats refused as unsupported, a truncated BMP a decode error', () => {
    const { PNG } = require('pngjs');
    const png = new PNG({ width: 2, height: 1 });
    png.data.set([255, 0, 0, 255, 10, 200, 30, 255]);
    const bytes = new Uint8Array(PNG.sync.write(png));
    const enc = makeTensor(DataType.UINT8, [bytes.length], bytes);
    const dec = (fmt: string): Tensor => run1('ImageDecoder', 20, [enc], { pixel_format: fmt }, DataType.UINT8);
    assert.deepEqual([...dec('RGB').data as Uint8Array], [255, 0, 0, 10, 200, 30]);
    assert.deepEqual(dec('RGB').shape, [1, 2, 3]);
    assert.deepEqual([...dec('BGR').data as Uint8Array], [0, 0, 255, 30, 200, 10]);
    assert.deepEqual([...dec('Grayscale').data as Uint8Array], [76, 124]);
    const jpegHead = makeTensor(DataType.UINT8, [4], Uint8Array.of(0xff, 0xd8, 0xff, 0xe0));
    assert.throws(() => run1('ImageDecoder', 20, [jpegHead], {}, DataType.UINT8), /JPEG is not decoded/);
    const webp = makeTensor(DataType.UINT8, [4], Uint8Array.of(0x52, 0x49, 0x46, 0x46));
    assert.throws(() => run1('ImageDecoder', 20, [webp], {}, DataType.UINT8), /only PNG, uncompressed BMP and TIFF, and PNM images/);
    const shortBmp = makeTensor(DataType.UINT8, [12], Uint8Array.of(0x42, 0x4d, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    assert.throws(() => run1('ImageDecoder', 20, [shortBmp], {}, DataType.UINT8), (e: Error) => /cannot decode the image \(BMP file is truncated\)/.test(e.message) && !e.message.includes('\n'));
    const broken = makeTensor(DataType.UINT8, [12], Uint8Array.from([...bytes.subarray(0, 8), 1, 2, 3, 4]));
    assert.throws(() => run1('ImageDecoder', 20, [broken], {}, DataType.UINT8), (e: Error) => /cannot decode the image/.test(e.message) && !e.message.includes('\n'));
  });

  it('CausalConvWithState: depthwise causal taps over past_state + input, SiLU, present_state, shape errors', () => {
    const b = new ModelBuilder({ opset: 27 });
    b.input('x', DataType.FLOAT, [1, 2, 3]);
    b.input('w', DataType.FLOAT, [2, 1, 2]);
    b.input('bias', DataType.FLOAT, [2]);
    b.input('past', DataType.FLOAT, [1, 2, 1]);
    b.node('CausalConvWithState', ['x', 'w', 'bias', 'past'], {}, { outputs: ['y', 'state'] });
    b.output('y').output('state');
    const feeds = {
      x: makeTensor(DataType.FLOAT, [1, 2, 3], Float32Array.from([1, 2, 3, 10, 20, 30])),
      w: makeTensor(DataType.FLOAT, [2, 1, 2], Float32Array.from([1, 1, 0.5, -1])),
      bias: makeTensor(DataType.FLOAT, [2], Float32Array.from([0, 100])),
      past: makeTensor(DataType.FLOAT, [1, 2, 1], Float32Array.from([5, 6])),
    };
    const r = createSession(b.build()).runSync(feeds);
    // channel 0: [5,1,2,3] · [1,1] → 6, 3, 5; channel 1: [6,10,20,30] · [0.5,−1] + 100 → 93, 85, 80.
    assert.deepEqual([...r.y.data as Float32Array], [6, 3, 5, 93, 85, 80]);
    assert.deepEqual([...r.state.data as Float32Array], [3, 30]);
    const s = new ModelBuilder({ opset: 27 });
    s.input('x', DataType.FLOAT, [1, 1, 2]);
    s.input('w', DataType.FLOAT, [1, 1, 1]);
    s.node('CausalConvWithState', ['x', 'w'], { activation: 'silu' }, { outputs: ['y', 'state'] });
    s.output('y').output('state');
    const y = createSession(s.build()).runSync({ x: makeTensor(DataType.FLOAT, [1, 1, 2], Float32Array.from([0, 2])), w: makeTensor(DataType.FLOAT, [1, 1, 1], Float32Array.of(1)) });
    assert.deepEqual([...y.y.data as Float32Array], [0, Math.fround(2 / (1 + Math.exp(-2)))]);
    assert.deepEqual(y.state.shape, [1, 1, 0]);
    const bad = new ModelBuilder({ opset: 27 });
    bad.input('x', DataType.FLOAT, [1, 2, 3]);
    bad.input('w', DataType.FLOAT, [2, 'g', 2]);
    bad.node('CausalConvWithState', ['x', 'w'], {}, { outputs: ['y', 'state'] });
    bad.output('y').output('state');
    assert.throws(() => createSession(bad.build()).runSync({ x: feeds.x, w: makeTensor(DataType.FLOAT, [2, 2, 2], new Float32Array(8)) }), (e: Error) => /weight must be \[2, 1, k\]/.test(e.message) && !e.message.includes('\n'));
  });

  it('BitCast keeps the bytes and refuses width mismatches and sub-byte types', () => {
    const x = makeTensor(DataType.FLOAT, [2], Float32Array.from([1, -2]));
    assert.deepEqual([...run1('BitCast', 26, [x], { to: DataType.INT32 }, DataType.INT32).data as Int32Array], [0x3f800000, -0x40000000]);
    const d = makeTensor(DataType.DOUBLE, [1], Float64Array.of(1));
    assert.deepEqual([...run1('BitCast', 26, [d], { to: DataType.UINT64 }, DataType.UINT64).data as BigUint64Array], [0x3ff0000000000000n]);
    assert.throws(() => run1('BitCast', 26, [x], { to: DataType.INT64 }, DataType.INT64), /differ in width/);
    assert.throws(() => run1('BitCast', 26, [x], { to: DataType.INT4 }, DataType.INT4), /sub-byte\) is not supported/);
  });

  it('RandomUniform / RandomNormal: shape, dtype, range, moments, seeds', () => {
    const u = run1('RandomUniform', 17, [], { shape: [100, 50], low: f(-2), high: f(3), seed: f(1.5) });
    assert.equal(u.dtype, DataType.FLOAT);
    assert.deepEqual(u.shape, [100, 50]);
    const uv = u.data as Float32Array;
    assert.ok(uv.every((v) => v >= -2 && v <= 3));
    const mu = moments(uv);
    assert.ok(Math.abs(mu.mean - 0.5) < 0.05 && Math.abs(mu.sd - 5 / Math.sqrt(12)) < 0.05, JSON.stringify(mu));
    assert.deepEqual(run1('RandomUniform', 17, [], { shape: [100, 50], low: f(-2), high: f(3), seed: f(1.5) }).data, uv);
    assert.notDeepEqual(run1('RandomUniform', 17, [], { shape: [100, 50], low: f(-2), high: f(3), seed: f(2.5) }).data, uv);
    const n = run1('RandomNormal', 17, [], { shape: [20000], mean: f(3), scale: f(0.5), seed: f(7), dtype: DataType.DOUBLE }, DataType.DOUBLE);
    assert.equal(n.dtype, DataType.DOUBLE);
    const mn = moments(n.data as Float64Array);
    assert.ok(Math.abs(mn.mean - 3) < 0.02 && Math.abs(mn.sd - 0.5) < 0.02, JSON.stringify(mn));
    const h = run1('RandomNormal', 17, [], { shape: [4, 2], dtype: DataType.FLOAT16 }, DataType.FLOAT16);
    assert.equal(h.dtype, DataType.FLOAT16);
    assert.ok(h.data instanceof Uint16Array && h.data.length === 8);
  });

  it('RandomUniformLike / RandomNormalLike take the input shape and dtype unless dtype is given', () => {
    const x = makeTensor(DataType.DOUBLE, [3, 4], new Float64Array(12));
    const ul = run1('RandomUniformLike', 17, [x], { seed: f(0) }, DataType.DOUBLE);
    assert.deepEqual([ul.dtype, ul.shape], [DataType.DOUBLE, [3, 4]]);
    const nl = run1('RandomNormalLike', 17, [x], { dtype: DataType.FLOAT });
    assert.deepEqual([nl.dtype, nl.shape], [DataType.FLOAT, [3, 4]]);
    const ints = makeTensor(DataType.INT32, [2], new Int32Array(2));
    assert.throws(() => run1('RandomNormalLike', 17, [ints], {}), /must be a float type/);
  });

  it('Bernoulli: 0/1 in the requested dtype, frequency near p, seeded, probabilities checked', () => {
    const p = makeTensor(DataType.FLOAT, [4000], new Float32Array(4000).fill(0.3));
    const y = run1('Bernoulli', 15, [p], { seed: f(3) });
    const yv = y.data as Float32Array;
    assert.ok(yv.every((v) => v === 0 || v === 1));
    assert.ok(Math.abs(moments(yv).mean - 0.3) < 0.03);
    assert.deepEqual(run1('Bernoulli', 15, [p], { seed: f(3) }).data, yv);
    const b = run1('Bernoulli', 15, [p], { dtype: DataType.BOOL }, DataType.BOOL);
    assert.ok(b.data instanceof Uint8Array && b.dtype === DataType.BOOL);
    const l = run1('Bernoulli', 15, [p], { dtype: DataType.INT64 }, DataType.INT64);
    assert.ok(l.data instanceof BigInt64Array);
    assert.throws(() => run1('Bernoulli', 15, [makeTensor(DataType.FLOAT, [1], Float32Array.of(1.5))], {}), /outside \[0, 1\]/);
  });

  it('Multinomial: indices in range with softmax frequencies, int32 / int64, seeded', () => {
    const logits = makeTensor(DataType.FLOAT, [2, 3], Float32Array.from([0, Math.log(3), -Infinity, 0, 0, 0]));
    const y = run1('Multinomial', 7, [logits], { sample_size: 6000, seed: f(11) }, DataType.INT32);
    assert.deepEqual([y.dtype, y.shape], [DataType.INT32, [2, 6000]]);
    const v = y.data as Int32Array;
    const c0 = [0, 0, 0];
    for (let i = 0; i < 6000; i++) c0[v[i]]++;
    assert.equal(c0[2], 0);
    assert.ok(Math.abs(c0[1] / 6000 - 0.75) < 0.03, String(c0));
    for (let i = 6000; i < 12000; i++) assert.ok(v[i] >= 0 && v[i] < 3);
    assert.deepEqual(run1('Multinomial', 7, [logits], { sample_size: 6000, seed: f(11) }, DataType.INT32).data, v);
    const l = run1('Multinomial', 7, [logits], { dtype: DataType.INT64 }, DataType.INT64);
    assert.deepEqual([l.dtype, l.shape], [DataType.INT64, [2, 1]]);
  });
});
