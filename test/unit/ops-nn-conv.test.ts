// Conv, ConvTranspose and FusedConv checked against naive direct loops on random shapes
// (1-D to 3-D, groups incl. depthwise, strides, dilations, pads, auto_pad), plus error cases.

import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { conv } from '../../src/runtime/ops/nn/conv';
import { convTranspose } from '../../src/runtime/ops/nn/conv-transpose';
import { fusedConv } from '../../src/runtime/ops/nn/fused-conv';
import { Tensor } from '../../src/runtime/tensor';
import { assertClose, attr, randTensor, rng, runOp, tensor } from '../helpers/fake-context-nn';

/** Iterates all index tuples of a shape. */
function* indices(shape: readonly number[]): Generator<number[]> {
  const n = shape.reduce((a, b) => a * b, 1);
  const idx = new Array<number>(shape.length).fill(0);
  for (let t = 0; t < n; t++) {
    yield idx.slice();
    for (let a = shape.length - 1; a >= 0; a--) { if (++idx[a] < shape[a]) break; idx[a] = 0; }
  }
}
const flat = (idx: number[], shape: readonly number[]): number => idx.reduce((o, v, a) => o * shape[a] + v, 0);

interface Geo { strides: number[]; dil: number[]; pb: number[]; pe: number[]; group: number }

/** Direct convolution in float64. */
function naiveConv(X: Tensor, W: Tensor, B: Tensor | undefined, g: Geo): { shape: number[]; data: number[] } {
  const [N, C, ...inS] = X.shape;
  const [M, cg, ...kS] = W.shape;
  const r = inS.length;
  const outS = inS.map((v, a) => Math.floor((v + g.pb[a] + g.pe[a] - ((kS[a] - 1) * g.dil[a] + 1)) / g.strides[a]) + 1);
  const shape = [N, M, ...outS];
  const data: number[] = [];
  const mg = M / g.group;
  for (const [n, m, ...o] of indices(shape)) {
    const grp = Math.floor(m / mg);
    let s = B ? Number(B.data[m]) : 0;
    for (let c = 0; c < cg; c++) {
      for (const k of indices(kS)) {
        const p = o.map((ov, a) => ov * g.strides[a] + k[a] * g.dil[a] - g.pb[a]);
        if (p.some((v, a) => v < 0 || v >= inS[a])) continue;
        s += Number(X.data[flat([n, grp * cg + c, ...p], [N, C, ...inS])]) * Number(W.data[flat([m, c, ...k], [M, cg, ...kS])]);
      }
    }
    data.push(s);
    void r;
  }
  return { shape, data };
}

/** Direct transposed convolution in float64 (explicit pads, output_padding). */
function naiveConvT(X: Tensor, W: Tensor, B: Tensor | undefined, g: Geo, outPad: number[]): { shape: number[]; data: number[] } {
  const [N, C, ...inS] = X.shape;
  const [, mg, ...kS] = W.shape;
  const M = mg * g.group;
  const cg = C / g.group;
  const outS = inS.map((v, a) => g.strides[a] * (v - 1) + outPad[a] + (kS[a] - 1) * g.dil[a] + 1 - g.pb[a] - g.pe[a]);
  const shape = [N, M, ...outS];
  if (outS.some((v) => v < 1)) return { shape, data: [] };
  const data = new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0);
  for (const [n, m, ...o] of indices(shape)) data[flat([n, m, ...o], shape)] = B ? Number(B.data[m]) : 0;
  for (const [n, c, ...i] of indices(X.shape)) {
    const grp = Math.floor(c / cg);
    for (let m = 0; m < mg; m++) {
      for (const k of indices(kS)) {
        const p = i.map((iv, a) => iv * g.strides[a] + k[a] * g.dil[a] - g.pb[a]);
        if (p.some((v, a) => v < 0 || v >= outS[a])) continue;
        data[flat([n, grp * mg + m, ...p], shape)] += Number(X.data[flat([n, c, ...i], X.shape)]) * Number(W.data[flat([c, m, ...k], W.shape)]);
      }
    }
  }
  return { shape, data };
}

describe('nn ops: Conv', () => {
  it('matches a direct convolution on 150 random configurations (float32 and float64)', () => {
    const r = rng(1234);
    for (let t = 0; t < 150; t++) {
      const rank = t % 5 === 0 ? 1 : t % 7 === 0 ? 3 : 2;
      const group = r.int(1, 3);
      const depthwise = t % 4 === 0;
      const cg = depthwise ? 1 : r.int(1, 3);
      const mg = r.int(1, 3);
      const k = Array.from({ length: rank }, () => r.int(1, 3));
      const dil = Array.from({ length: rank }, () => r.int(1, 2));
      const strides = Array.from({ length: rank }, () => r.int(1, 3));
      const pb = k.map((kv, a) => r.int(0, (kv - 1) * dil[a]));
      const pe = k.map((kv, a) => r.int(0, (kv - 1) * dil[a]));
      const inS = k.map((kv, a) => (kv - 1) * dil[a] + 1 + r.int(0, rank === 3 ? 3 : 6));
      const dtype = t % 6 === 0 ? DataType.DOUBLE : DataType.FLOAT;
      const X = randTensor(r, [r.int(1, 2), group * cg, ...inS], dtype);
      const W = randTensor(r, [group * mg, cg, ...k], dtype);
      const B = t % 2 === 0 ? randTensor(r, [group * mg], dtype) : undefined;
      const g: Geo = { strides, dil, pb, pe, group };
      const want = naiveConv(X, W, B, g);
      const attrs = [attr.ints('strides', strides), attr.ints('dilations', dil), attr.ints('pads', [...pb, ...pe]), attr.int('group', group)];
      if (t % 3 === 0) attrs.push(attr.ints('kernel_shape', k));
      const [Y] = runOp(conv, B ? [X, W, B] : [X, W], attrs);
      const tol = dtype === DataType.DOUBLE ? 1e-12 : 1e-4;
      assertClose(Y, want.shape, want.data, tol, tol, `case ${t}`);
    }
  });

  it('takes the 1×1 shortcut and large-GEMM path correctly', () => {
    const r = rng(7);
    const X = randTensor(r, [2, 40, 9, 11]);
    const W = randTensor(r, [70, 40, 1, 1]);
    const B = randTensor(r, [70]);
    const [Y] = runOp(conv, [X, W, B]);
    const want = naiveConv(X, W, B, { strides: [1, 1], dil: [1, 1], pb: [0, 0], pe: [0, 0], group: 1 });
    assertClose(Y, want.shape, want.data);
    const W3 = randTensor(r, [33, 40, 3, 3]);
    const [Y3] = runOp(conv, [X, W3], [attr.ints('pads', [1, 1, 1, 1])]);
    const want3 = naiveConv(X, W3, undefined, { strides: [1, 1], dil: [1, 1], pb: [1, 1], pe: [1, 1], group: 1 });
    assertClose(Y3, want3.shape, want3.data);
  });

  it('pads as SAME_UPPER / SAME_LOWER / VALID say', () => {
    const r = rng(9);
    const X = randTensor(r, [1, 2, 7, 6]);
    const W = randTensor(r, [3, 2, 4, 3]);
    const cases: Array<[string, number[], number[]]> = [
      // out = ceil(7/2)=4, ceil(6/2)=3; total pad H = 3*2+4-7 = 3, W = 2*2+3-6 = 1
      ['SAME_UPPER', [1, 0], [2, 1]],
      ['SAME_LOWER', [2, 1], [1, 0]],
      ['VALID', [0, 0], [0, 0]],
    ];
    for (const [mode, pb, pe] of cases) {
      const [Y] = runOp(conv, [X, W], [attr.str('auto_pad', mode), attr.ints('strides', [2, 2])]);
      const want = naiveConv(X, W, undefined, { strides: [2, 2], dil: [1, 1], pb, pe, group: 1 });
      assertClose(Y, want.shape, want.data, 1e-4, 1e-5, mode);
    }
  });

  it('rejects inconsistent attributes with one-line errors naming the node', () => {
    const r = rng(3);
    const X = randTensor(r, [1, 4, 5, 5]);
    assert.throws(() => runOp(conv, [X, randTensor(r, [2, 4, 3, 3])], [attr.ints('kernel_shape', [2, 2])]), /Conv node 'test_Conv': kernel_shape \[2,2\] does not match/);
    assert.throws(() => runOp(conv, [X, randTensor(r, [3, 2, 3, 3])], [attr.int('group', 2)]), /output channels 3 are not divisible by group 2/);
    assert.throws(() => runOp(conv, [X, randTensor(r, [2, 3, 3, 3])]), /expects 3 input channels/);
    assert.throws(() => runOp(conv, [X, randTensor(r, [2, 4, 7, 7])]), /does not fit/);
    assert.throws(() => runOp(conv, [X, randTensor(r, [2, 4, 3, 3])], [attr.str('auto_pad', 'SAME')]), /auto_pad 'SAME'/);
    assert.throws(() => runOp(conv, [tensor([1, 1, 2, 2], [1, 2, 3, 4], DataType.INT32), tensor([1, 1, 1, 1], [1], DataType.INT32)]), /only FLOAT and DOUBLE/);
  });
});

describe('nn ops: ConvTranspose', () => {
  it('matches a direct transposed convolution on 100 random configurations', () => {
    const r = rng(99);
    for (let t = 0; t < 100; t++) {
      const rank = t % 5 === 0 ? 1 : t % 9 === 0 ? 3 : 2;
      const group = r.int(1, 3);
      const cg = r.int(1, 3);
      const mg = r.int(1, 3);
      const k = Array.from({ length: rank }, () => r.int(1, 3));
      const dil = Array.from({ length: rank }, () => r.int(1, 2));
      const strides = Array.from({ length: rank }, () => r.int(1, 3));
      const outPad = strides.map((s) => r.int(0, s - 1));
      const pb = k.map((kv, a) => r.int(0, (kv - 1) * dil[a]));
      const pe = k.map((kv, a) => r.int(0, (kv - 1) * dil[a]));
      const inS = k.map(() => r.int(1, rank === 3 ? 3 : 5));
      const dtype = t % 5 === 1 ? DataType.DOUBLE : DataType.FLOAT;
      const X = randTensor(r, [r.int(1, 2), group * cg, ...inS], dtype);
      const W = randTensor(r, [group * cg, mg, ...k], dtype);
      const B = t % 2 === 0 ? randTensor(r, [group * mg], dtype) : undefined;
      const g: Geo = { strides, dil, pb, pe, group };
      const want = naiveConvT(X, W, B, g, outPad);
      if (want.shape.some((v) => v < 1)) continue;
      const attrs = [attr.ints('strides', strides), attr.ints('dilations', dil), attr.ints('pads', [...pb, ...pe]),
        attr.int('group', group), attr.ints('output_padding', outPad)];
      const [Y] = runOp(convTranspose, B ? [X, W, B] : [X, W], attrs);
      const tol = dtype === DataType.DOUBLE ? 1e-12 : 1e-4;
      assertClose(Y, want.shape, want.data, tol, tol, `case ${t}`);
    }
  });

  it('derives pads from output_shape and SAME_UPPER / SAME_LOWER', () => {
    const r = rng(5);
    const X = randTensor(r, [1, 2, 3, 4]);
    const W = randTensor(r, [2, 3, 3, 3]);
    // full output: 2*(3-1)+3 = 7, 2*(4-1)+3 = 9; SAME target 6, 8 → total pad 1 each axis.
    const up = naiveConvT(X, W, undefined, { strides: [2, 2], dil: [1, 1], pb: [0, 0], pe: [1, 1], group: 1 }, [0, 0]);
    const lo = naiveConvT(X, W, undefined, { strides: [2, 2], dil: [1, 1], pb: [1, 1], pe: [0, 0], group: 1 }, [0, 0]);
    const [Yu] = runOp(convTranspose, [X, W], [attr.ints('strides', [2, 2]), attr.str('auto_pad', 'SAME_UPPER')]);
    const [Yl] = runOp(convTranspose, [X, W], [attr.ints('strides', [2, 2]), attr.str('auto_pad', 'SAME_LOWER')]);
    assertClose(Yu, up.shape, up.data, 1e-4, 1e-5, 'upper');
    assertClose(Yl, lo.shape, lo.data, 1e-4, 1e-5, 'lower');
    // output_shape one larger than full: extends at the end with bias-only values.
    const [Ys] = runOp(convTranspose, [X, W], [attr.ints('strides', [2, 2]), attr.ints('output_shape', [8, 10])]);
    assert.deepEqual([...Ys.shape], [1, 3, 8, 10]);
    // output_shape below the full size: NOTSET puts the larger half of the crop at the start (spec, onnxruntime).
    const crop = naiveConvT(X, W, undefined, { strides: [2, 2], dil: [1, 1], pb: [1, 1], pe: [1, 0], group: 1 }, [0, 0]);
    const [Yc] = runOp(convTranspose, [X, W], [attr.ints('strides', [2, 2]), attr.ints('output_shape', [5, 8])]);
    assertClose(Yc, crop.shape, crop.data, 1e-4, 1e-5, 'crop');
    assert.throws(() => runOp(convTranspose, [X, W], [attr.ints('strides', [2, 2]), attr.ints('output_shape', [9, 9])]), /not supported/);
  });
});

describe('nn ops: FusedConv (com.microsoft)', () => {
  it('adds Z before the activation and applies Relu / LeakyRelu / Clip / HardSigmoid', () => {
    const r = rng(11);
    const X = randTensor(r, [1, 3, 5, 5]);
    const W = randTensor(r, [4, 3, 3, 3]);
    const B = randTensor(r, [4]);
    const Z = randTensor(r, [1, 4, 5, 5]);
    const base = naiveConv(X, W, B, { strides: [1, 1], dil: [1, 1], pb: [1, 1], pe: [1, 1], group: 1 });
    const pads = attr.ints('pads', [1, 1, 1, 1]);
    const acts: Array<[string, number[], (v: number) => number]> = [
      ['Relu', [], (v) => Math.max(0, v)],
      ['LeakyRelu', [0.1], (v) => (v < 0 ? 0.1 * v : v)],
      ['Clip', [-0.5, 0.5], (v) => Math.min(0.5, Math.max(-0.5, v))],
      ['HardSigmoid', [0.2, 0.5], (v) => Math.max(0, Math.min(1, 0.2 * v + 0.5))],
      ['Tanh', [], Math.tanh],
      ['Sigmoid', [], (v) => 1 / (1 + Math.exp(-v))],
    ];
    for (const [name, params, f] of acts) {
      const attrs = [pads, attr.str('activation', name), attr.floats('activation_params', params)];
      const [Y] = runOp(fusedConv, [X, W, B, Z], attrs);
      assertClose(Y, base.shape, base.data.map((v, i) => f(v + Number(Z.data[i]))), 1e-4, 1e-5, name);
    }
    assert.throws(() => runOp(fusedConv, [X, W, B], [attr.str('activation', 'LeakyRelu')]), /needs 1 activation_params/);
    assert.throws(() => runOp(fusedConv, [X, W, B], [attr.str('activation', 'Gelu')]), /not supported/);
  });
});
