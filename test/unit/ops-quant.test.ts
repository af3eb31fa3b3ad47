// Quantization ops on edge cases the conformance suite leaves out: round-half-to-even and
// saturation, per-axis with a negative axis, blocks that do not divide the axis, int32/int4
// inputs, float16 scales, float8 without saturation, refused float8 zero points, and integer
// matmul / conv (per-row, per-column, per-channel zero points, groups, strides) against naive loops.

import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { allocValues, float16ToFloat32, float32ToFloat16 } from '../../src/onnx/dtype';
import { OpDef, RunContext } from '../../src/runtime/op';
import { makeTensor, sizeOf, Tensor } from '../../src/runtime/tensor';
import { convInteger } from '../../src/runtime/ops/quant/conv-integer';
import { dequantizeLinearOps } from '../../src/runtime/ops/quant/dequantize-linear';
import { dynamicQuantizeLinear } from '../../src/runtime/ops/quant/dynamic-quantize-linear';
import { matMulInteger } from '../../src/runtime/ops/quant/matmul-integer';
import { qlinearConv } from '../../src/runtime/ops/quant/qlinear-conv';
import { qlinearMatMulOps } from '../../src/runtime/ops/quant/qlinear-matmul';
import { quantizeLinearOps } from '../../src/runtime/ops/quant/quantize-linear';
import { attr, makeNode, rng } from '../helpers/fake-context-nn';
import { Attribute } from '../../src/onnx/ir';

/** A tensor of any numeric dtype (int4, float8 bits, ...) from plain numbers. */
function tensor(shape: number[], vals: number[], dtype: DataType = DataType.FLOAT): Tensor {
  const d = allocValues(dtype, sizeOf(shape)) as Float32Array;
  d.set(vals);
  return makeTensor(dtype, shape, d);
}

/** parse + run with an alloc that knows every dtype. */
function runOp<A>(def: OpDef<A>, inputs: Array<Tensor | undefined>, attributes: Attribute[] = [], opts: { opset?: number } = {}): Tensor[] {
  const node = makeNode(def.opType, attributes, inputs.length, ['y0', 'y1', 'y2']);
  const opset = opts.opset ?? 25;
  const a = def.parse ? def.parse({ node, opset, constantInputs: [] }) : (undefined as A);
  const ctx: RunContext = { node, opset, alloc: (dt, shape) => allocValues(dt, sizeOf(shape)) };
  return def.run(inputs, a, ctx);
}

const Q = quantizeLinearOps[quantizeLinearOps.length - 1];
const DQ = dequantizeLinearOps[dequantizeLinearOps.length - 1];
const values = (t: Tensor): number[] => Array.from(t.data as ArrayLike<number>, Number);

describe('QuantizeLinear', () => {
  it('rounds half to even and saturates', () => {
    const x = tensor([8], [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 300, -300]);
    const [y] = runOp(Q, [x, tensor([], [1]), tensor([], [0], DataType.INT8)]);
    assert.deepEqual(values(y), [0, 2, 2, 0, -2, -2, 127, -128]);
    const [u] = runOp(Q, [tensor([3], [-5, 200, 600]), tensor([], [2])]); // default uint8, zp 0
    assert.equal(u.dtype, DataType.UINT8);
    assert.deepEqual(values(u), [0, 100, 255]);
  });
  it('quantizes per axis with a negative axis, with the scale precision of float32', () => {
    const x = tensor([2, 3], [1, 2, 3, 4, 5, 6]);
    const [y] = runOp(Q, [x, tensor([3], [1, 2, 4]), tensor([3], [0, 10, 100], DataType.UINT8)], [attr.int('axis', -1)]);
    assert.deepEqual(values(y), [1, 11, 101, 4, 12, 102]); // 3/4 = 0.75 → 1; 6/4 = 1.5 → 2
  });
  it('quantizes blocks that do not divide the axis (last block shorter)', () => {
    const x = tensor([1, 5], [10, 20, 30, 40, 50]);
    const [y] = runOp(Q, [x, tensor([1, 3], [10, 20, 5])], [attr.int('axis', 1), attr.int('block_size', 2), attr.int('output_dtype', DataType.INT16)]);
    assert.equal(y.dtype, DataType.INT16);
    assert.deepEqual(values(y), [1, 2, 2, 2, 10]);
    assert.throws(() => runOp(Q, [x, tensor([1, 2], [1, 1])], [attr.int('axis', 1), attr.int('block_size', 2)]), /needs a scale of shape \[1,3\]/);
  });
  it('quantizes to int4 and float8; without saturate E4M3FN overflow becomes NaN', () => {
    const [i4] = runOp(Q, [tensor([3], [-20, 3.5, 20]), tensor([], [1]), tensor([], [0], DataType.INT4)]);
    assert.deepEqual(values(i4), [-8, 4, 7]);
    const zp8 = tensor([], [0], DataType.FLOAT8E4M3FN);
    const [sat] = runOp(Q, [tensor([1], [1000]), tensor([], [1]), zp8]);
    assert.equal(values(sat)[0], 0x7e); // 448
    const [nosat] = runOp(Q, [tensor([1], [1000]), tensor([], [1]), zp8], [attr.int('saturate', 0)]);
    assert.equal(values(nosat)[0], 0x7f); // NaN
  });
  it('refuses a non-zero float8 zero point and a mismatched output_dtype', () => {
    const zp = tensor([], [0x38], DataType.FLOAT8E4M3FN); // 1.0
    assert.throws(() => runOp(Q, [tensor([1], [1]), tensor([], [1]), zp]), /non-zero float8e4m3fn zero point is not supported/);
    assert.throws(() => runOp(Q, [tensor([1], [1]), tensor([], [1]), tensor([], [0], DataType.INT8)], [attr.int('output_dtype', DataType.UINT8)]), /differs from the zero point/);
  });
  it('divides in float16 when x and the scale are float16', () => {
    const h = (v: number): number => float32ToFloat16(v);
    const x: Tensor = { dtype: DataType.FLOAT16, shape: [1], data: new Uint16Array([h(1000)]) };
    const s: Tensor = { dtype: DataType.FLOAT16, shape: [], data: new Uint16Array([h(0.3)]) };
    const [y] = runOp(Q, [x, s, tensor([], [0], DataType.INT16)]);
    const q = float16ToFloat32(float32ToFloat16(1000 / float16ToFloat32(h(0.3))));
    assert.equal(values(y)[0], Math.round(q)); // the float16 quotient, not the exact one
  });
});

describe('DequantizeLinear', () => {
  it('dequantizes int32 and int4 per axis and writes float16 for a float16 scale', () => {
    const [y] = runOp(DQ, [tensor([2], [2147483647, -7], DataType.INT32), tensor([], [1]), tensor([], [0], DataType.INT32)]);
    assert.deepEqual(values(y), [Math.fround(2147483647), -7]);
    const [z] = runOp(DQ, [tensor([2, 2], [-8, 7, 1, 2], DataType.INT4), tensor([2], [0.5, 2]), tensor([2], [1, -1], DataType.INT4)], [attr.int('axis', 0)]);
    assert.deepEqual(values(z), [-4.5, 3, 4, 6]); // (x − zp) · scale per row
    const s: Tensor = { dtype: DataType.FLOAT16, shape: [], data: new Uint16Array([float32ToFloat16(0.1)]) };
    const [h] = runOp(DQ, [tensor([1], [3], DataType.UINT8), s]);
    assert.equal(h.dtype, DataType.FLOAT16);
    assert.equal(values(h)[0], float32ToFloat16(Math.fround(3 * float16ToFloat32(float32ToFloat16(0.1)))));
  });
  it('refuses a per-axis scale before opset 13 and a zero point of another type', () => {
    assert.throws(() => runOp(dequantizeLinearOps[0], [tensor([2], [1, 2], DataType.UINT8), tensor([2], [1, 1])], [], { opset: 10 }), /scalar before opset 13/);
    assert.throws(() => runOp(DQ, [tensor([1], [1], DataType.UINT8), tensor([], [1]), tensor([], [0], DataType.INT8)]), /must match/);
  });
});

describe('DynamicQuantizeLinear', () => {
  it('uses scale 1/255 and zero point 0 for an all-zero input, and refuses NaN', () => {
    const [y, s, z] = runOp(dynamicQuantizeLinear, [tensor([3], [0, 0, 0])]);
    assert.deepEqual(values(y), [0, 0, 0]);
    assert.equal(values(s)[0], Math.fround(1 / 255));
    assert.equal(values(z)[0], 0);
    assert.throws(() => runOp(dynamicQuantizeLinear, [tensor([2], [1, NaN])]), /NaN/);
  });
});

/** Naive (A − azp)(B − bzp) for 2-D A [M,K], B [K,N] with per-row / per-column zero points. */
function naiveMatMul(a: number[], b: number[], M: number, K: number, N: number, az: number[], bz: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += (a[i * K + k] - az[az.length === 1 ? 0 : i]) * (b[k * N + j] - bz[bz.length === 1 ? 0 : j]);
    out.push(s);
  }
  return out;
}

describe('integer matmul', () => {
  const r = rng(7);
  it('MatMulInteger with per-row / per-column zero points and batch broadcast', () => {
    const M = 3, K = 5, N = 4;
    const a = Array.from({ length: 2 * M * K }, () => r.int(0, 255));
    const b = Array.from({ length: K * N }, () => r.int(-128, 127));
    const az = [3, 200, 128];
    const bz = [0, -5, 7, 127];
    const [y] = runOp(matMulInteger, [tensor([2, M, K], a, DataType.UINT8), tensor([K, N], b, DataType.INT8), tensor([M], az, DataType.UINT8), tensor([N], bz, DataType.INT8)]);
    assert.deepEqual([...y.shape], [2, M, N]);
    assert.equal(y.dtype, DataType.INT32);
    const want = [...naiveMatMul(a.slice(0, M * K), b, M, K, N, az, bz), ...naiveMatMul(a.slice(M * K), b, M, K, N, az, bz)];
    assert.deepEqual(values(y), want);
  });
  it('QLinearMatMul rescales exactly, rounding half to even', () => {
    // acc = 1·1·... chosen so that acc · 0.5 lands on .5 ties: 3·0.5 = 1.5 → 2, 5·0.5 = 2.5 → 2.
    const a = tensor([2, 1], [3, 5], DataType.UINT8);
    const b = tensor([1, 1], [1], DataType.UINT8);
    const one = tensor([1], [1]);
    const zero = tensor([1], [0], DataType.UINT8);
    const [y] = runOp(qlinearMatMulOps[1], [a, one, zero, b, tensor([1], [0.5]), zero, one, zero]);
    assert.deepEqual(values(y), [2, 2]);
  });
});

describe('integer convolution', () => {
  it('ConvInteger and QLinearConv with groups, strides, pads and per-channel zero points match naive loops', () => {
    const r = rng(11);
    const [N, C, H, W, M, G, k] = [1, 4, 5, 6, 4, 2, 3];
    const x = Array.from({ length: N * C * H * W }, () => r.int(0, 255));
    const w = Array.from({ length: M * (C / G) * k * k }, () => r.int(-128, 127));
    const xz = 117;
    const wz = [1, -3, 0, 9];
    const attrs = [attr.ints('strides', [2, 1]), attr.ints('pads', [1, 0, 1, 2]), attr.int('group', G)];
    const X = tensor([N, C, H, W], x, DataType.UINT8);
    const Wt = tensor([M, C / G, k, k], w, DataType.INT8);
    const [y] = runOp(convInteger, [X, Wt, tensor([], [xz], DataType.UINT8), tensor([M], wz, DataType.INT8)], attrs);
    const oH = Math.floor((H + 2 - k) / 2) + 1;
    const oW = W + 2 - k + 1;
    assert.deepEqual([...y.shape], [N, M, oH, oW]);
    const want: number[] = [];
    for (let m = 0; m < M; m++) for (let oh = 0; oh < oH; oh++) for (let ow = 0; ow < oW; ow++) {
      const g = Math.floor(m / (M / G));
      let s = 0;
      for (let c = 0; c < C / G; c++) for (let kh = 0; kh < k; kh++) for (let kw = 0; kw < k; kw++) {
        const ih = oh * 2 - 1 + kh;
        const iw = ow - 0 + kw;
        if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue; // padding reads the zero point
        s += (x[((g * (C / G) + c) * H + ih) * W + iw] - xz) * (w[((m * (C / G) + c) * k + kh) * k + kw] - wz[m]);
      }
      want.push(s);
    }
    assert.deepEqual(values(y), want);
    const ws = [0.01, 0.02, 0.03, 0.04];
    const [q] = runOp(qlinearConv, [X, tensor([], [0.05]), tensor([], [xz], DataType.UINT8), Wt, tensor([M], ws), tensor([M], wz, DataType.INT8), tensor([], [0.5]), tensor([], [-3], DataType.INT8), tensor([M], [100, -100, 0, 7], DataType.INT32)], attrs);
    const plane = oH * oW;
    const bias = [100, -100, 0, 7];
    const wantQ = want.map((v, i) => {
      const m = Math.floor(i / plane);
      const mult = Math.fround(Math.fround(Math.fround(0.05) * Math.fround(ws[m])) / 0.5);
      const t = (v + bias[m]) * Math.fround(mult) - 3;
      const rr = Math.round(t);
      const even = rr - t === 0.5 && rr % 2 !== 0 ? rr - 1 : rr;
      return Math.max(-128, Math.min(127, even)) + 0;
    });
    assert.deepEqual(values(q), wantQ);
  });
});
