// Pooling ops (MaxPool with Indices, AveragePool, LpPool, global pools, MaxUnpool) against naive
// window loops on random configurations incl. ceil_mode, dilations and count_include_pad.

import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { averagePool } from '../../src/runtime/ops/nn/average-pool';
import { globalAveragePool, globalLpPool, globalMaxPool } from '../../src/runtime/ops/nn/global-pool';
import { lpPool } from '../../src/runtime/ops/nn/lp-pool';
import { maxPool } from '../../src/runtime/ops/nn/max-pool';
import { maxRoiPool } from '../../src/runtime/ops/nn/max-roi-pool';
import { maxUnpool } from '../../src/runtime/ops/nn/max-unpool';
import { Tensor } from '../../src/runtime/tensor';
import { assertClose, attr, randTensor, rng, runOp, tensor } from '../helpers/fake-context-nn';

interface PoolCfg { k: number[]; s: number[]; d: number[]; pb: number[]; pe: number[]; ceil: boolean }

/** Output size per axis, as the ONNX reference computes it. */
function outSize(inp: number, a: number, c: PoolCfg): number {
  const span = inp + c.pb[a] + c.pe[a] - ((c.k[a] - 1) * c.d[a] + 1);
  if (!c.ceil) return Math.floor(span / c.s[a]) + 1;
  let o = Math.ceil(span / c.s[a]) + 1;
  if ((o - 1) * c.s[a] >= inp + c.pb[a]) o--;
  return o;
}

/** Naive pooling over one [N, C, ...] tensor; returns values and (for max) flat argmax indices. */
function naivePool(X: Tensor, c: PoolCfg, kind: 'max' | 'avg' | 'lp', countPad: boolean, p = 2): { shape: number[]; data: number[]; idx: number[] } {
  const [N, C, ...inS] = X.shape;
  const r = inS.length;
  const outS = inS.map((v, a) => outSize(v, a, c));
  const data: number[] = [];
  const idx: number[] = [];
  const strides = inS.map((_, a) => inS.slice(a + 1).reduce((x, y) => x * y, 1));
  const total = outS.reduce((x, y) => x * y, 1);
  const kTotal = c.k.reduce((x, y) => x * y, 1);
  for (let nc = 0; nc < N * C; nc++) {
    for (let t = 0; t < total; t++) {
      const o = outS.map((_, a) => Math.floor(t / outS.slice(a + 1).reduce((x, y) => x * y, 1)) % outS[a]);
      let best = -Infinity, bestAt = -1, sum = 0, cnt = 0, cntPad = 0;
      for (let kt = 0; kt < kTotal; kt++) {
        const k = c.k.map((_, a) => Math.floor(kt / c.k.slice(a + 1).reduce((x, y) => x * y, 1)) % c.k[a]);
        const pos = k.map((kv, a) => o[a] * c.s[a] + kv * c.d[a] - c.pb[a]);
        if (pos.every((v, a) => v >= -c.pb[a] && v < inS[a] + c.pe[a])) cntPad++;
        if (pos.some((v, a) => v < 0 || v >= inS[a])) continue;
        const off = nc * inS.reduce((x, y) => x * y, 1) + pos.reduce((s2, v, a) => s2 + v * strides[a], 0);
        const v = Number(X.data[off]);
        if (v > best) { best = v; bestAt = off; }
        sum += kind === 'lp' ? Math.abs(v) ** p : v;
        cnt++;
      }
      data.push(kind === 'max' ? best : kind === 'lp' ? sum ** (1 / p) : sum / (countPad ? cntPad : cnt));
      idx.push(bestAt);
    }
  }
  void r;
  return { shape: [N, C, ...outS], data, idx };
}

function randomCfg(r: ReturnType<typeof rng>, rank: number): { cfg: PoolCfg; inS: number[] } {
  const k = Array.from({ length: rank }, () => r.int(1, 3));
  const d = Array.from({ length: rank }, () => r.int(1, 2));
  const s = Array.from({ length: rank }, () => r.int(1, 3));
  const pb = k.map((kv) => r.int(0, kv - 1));
  const pe = k.map((kv) => r.int(0, kv - 1));
  const inS = k.map((kv, a) => (kv - 1) * d[a] + 1 + r.int(0, rank === 3 ? 3 : 6));
  return { cfg: { k, s, d, pb, pe, ceil: r.next() < 0.5 }, inS };
}

function poolAttrs(c: PoolCfg): ReturnType<typeof attr.int>[] {
  return [attr.ints('kernel_shape', c.k), attr.ints('strides', c.s), attr.ints('dilations', c.d),
    attr.ints('pads', [...c.pb, ...c.pe]), attr.int('ceil_mode', c.ceil ? 1 : 0)];
}

describe('nn ops: pooling', () => {
  it('MaxPool, AveragePool and LpPool match naive windows on 150 random configurations', () => {
    const r = rng(42);
    for (let t = 0; t < 150; t++) {
      const rank = t % 5 === 0 ? 1 : t % 7 === 0 ? 3 : 2;
      const { cfg, inS } = randomCfg(r, rank);
      const X = randTensor(r, [r.int(1, 2), r.int(1, 3), ...inS], t % 4 === 0 ? DataType.DOUBLE : DataType.FLOAT);
      const a = poolAttrs(cfg);
      const mx = naivePool(X, cfg, 'max', false);
      const [Y, I] = runOp(maxPool, [X], a, { outputs: ['y', 'i'] });
      assertClose(Y, mx.shape, mx.data, 1e-6, 1e-6, `max ${t}`);
      assert.deepEqual(Array.from(I.data as BigInt64Array, Number), mx.idx, `indices ${t}`);
      const cp = t % 2 === 0;
      const av = naivePool(X, cfg, 'avg', cp);
      const [A] = runOp(averagePool, [X], [...a, attr.int('count_include_pad', cp ? 1 : 0)]);
      assertClose(A, av.shape, av.data, 1e-5, 1e-6, `avg ${t}`);
      const p = r.int(1, 3);
      const lp = naivePool(X, cfg, 'lp', false, p);
      const [L] = runOp(lpPool, [X], [...a, attr.int('p', p)]);
      assertClose(L, lp.shape, lp.data, 1e-5, 1e-6, `lp ${t}`);
    }
  });

  it('MaxPool storage_order=1 gives column-major indices, and int8/uint8 inputs work', () => {
    const X = tensor([1, 1, 2, 3], [1, 9, 3, 4, 5, 16]);
    const [, I] = runOp(maxPool, [X], [attr.ints('kernel_shape', [2, 2]), attr.int('storage_order', 1)], { outputs: ['y', 'i'] });
    // maxima at (0,1) = 9 → column-major 0 + 1*2 = 2, and at (1,2) = 16 → 1 + 2*2 = 5.
    assert.deepEqual(Array.from(I.data as BigInt64Array, Number), [2, 5]);
    const [Q] = runOp(maxPool, [tensor([1, 1, 1, 4], [200, 7, 250, 1], DataType.UINT8)], [attr.ints('kernel_shape', [1, 2])]);
    assert.deepEqual(Array.from(Q.data as Uint8Array), [200, 250, 250]);
  });

  it('SAME_UPPER pads the end more than SAME_LOWER', () => {
    const X = tensor([1, 1, 1, 4], [1, 2, 3, 4]);
    const [U] = runOp(averagePool, [X], [attr.ints('kernel_shape', [1, 2]), attr.str('auto_pad', 'SAME_UPPER')]);
    const [L] = runOp(averagePool, [X], [attr.ints('kernel_shape', [1, 2]), attr.str('auto_pad', 'SAME_LOWER')]);
    assertClose(U, [1, 1, 1, 4], [1.5, 2.5, 3.5, 4]);
    assertClose(L, [1, 1, 1, 4], [1, 1.5, 2.5, 3.5]);
  });

  it('global pools reduce each plane', () => {
    const X = tensor([1, 2, 2, 2], [1, -2, 3, 4, 0, 0, 3, -4]);
    assertClose(runOp(globalAveragePool, [X])[0], [1, 2, 1, 1], [1.5, -0.25]);
    assertClose(runOp(globalMaxPool, [X])[0], [1, 2, 1, 1], [4, 3]);
    assertClose(runOp(globalLpPool, [X], [attr.int('p', 2)])[0], [1, 2, 1, 1], [Math.sqrt(30), 5]);
  });

  it('MaxUnpool inverts MaxPool positions, with and without output_shape', () => {
    const X = tensor([1, 1, 4, 4], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    const ka = [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])];
    const [Y, I] = runOp(maxPool, [X], ka, { outputs: ['y', 'i'] });
    const [U] = runOp(maxUnpool, [Y, I], ka);
    assertClose(U, [1, 1, 4, 4], [0, 0, 0, 0, 0, 6, 0, 8, 0, 0, 0, 0, 0, 14, 0, 16]);
    const [U5] = runOp(maxUnpool, [Y, I, tensor([4], [1, 1, 5, 5], DataType.INT64)], ka);
    assert.deepEqual([...U5.shape], [1, 1, 5, 5]);
    assert.equal(U5.data[6], 6);
    assert.equal(U5.data[18], 16);
  });

  it('MaxRoiPool takes the max of each bin of each region (empty bins give 0)', () => {
    const X = tensor([1, 1, 4, 4], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    // Region x 0..3, y 0..1 pooled 1x2: bins columns 0-1 and 2-3 over rows 0-1.
    const rois = tensor([2, 5], [0, 0, 0, 3, 1, 0, 8, 8, 9, 9]);
    const [Y] = runOp(maxRoiPool, [X, rois], [attr.ints('pooled_shape', [1, 2])]);
    assertClose(Y, [2, 1, 1, 2], [6, 8, 0, 0]);
    assert.throws(() => runOp(maxRoiPool, [X, tensor([1, 5], [3, 0, 0, 1, 1])], [attr.ints('pooled_shape', [1, 1])]), /batch index 3/);
  });

  it('rejects bad pool attributes', () => {
    const X = tensor([1, 1, 2, 2], [1, 2, 3, 4]);
    assert.throws(() => runOp(maxPool, [X], []), /MaxPool node 'test_MaxPool': attribute kernel_shape is required/);
    assert.throws(() => runOp(maxPool, [X], [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [1])]), /strides has 1 entries/);
    assert.throws(() => runOp(averagePool, [X], [attr.ints('kernel_shape', [3])]), /needs rank 3/);
    assert.throws(() => runOp(maxPool, [X], [attr.ints('kernel_shape', [2, 2]), attr.str('auto_pad', 'SAME_UPPER'), attr.ints('dilations', [2, 1])]), /with dilations > 1 is not supported/);
  });
});
