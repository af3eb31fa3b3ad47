// Quantized models run on our executor and on onnxruntime-node: a QDQ-wrapped Conv + Relu chain,
// per-channel QLinearConv, QLinearMatMul and MatMulInteger / ConvInteger. Integer outputs must be
// identical; dequantized floats must agree to float32 round-off.

import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { encodeModel } from '../../src/onnx/write';
import { createSession } from '../../src/runtime/executor';
import { makeTensor, sizeOf } from '../../src/runtime/tensor';
import { ModelBuilder } from '../helpers/model-builder';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ort: any = require('onnxruntime-node');

async function compare(b: ModelBuilder, x: Float32Array | Uint8Array, xShape: number[], outs: string[], exact: boolean): Promise<void> {
  const model = b.build();
  const dtype = x instanceof Uint8Array ? DataType.UINT8 : DataType.FLOAT;
  const ours = createSession(model).runSync({ x: makeTensor(dtype, xShape, x) });
  const session = await ort.InferenceSession.create(Buffer.from(encodeModel(model)));
  const theirs = await session.run({ x: new ort.Tensor(x instanceof Uint8Array ? 'uint8' : 'float32', x, xShape) });
  for (const o of outs) {
    const g = ours[o].data as ArrayLike<number>;
    const w = theirs[o].data as ArrayLike<number>;
    assert.deepEqual([...ours[o].shape], [...theirs[o].dims].map(Number), `${o} shape`);
    for (let i = 0; i < w.length; i++) {
      if (exact) assert.equal(Number(g[i]), Number(w[i]), `${o}[${i}]`);
      else assert.ok(Math.abs(g[i] - w[i]) <= 1e-6 + 1e-5 * Math.abs(w[i]), `${o}[${i}]: ours ${g[i]}, onnxruntime ${w[i]}`);
    }
  }
}

function uint8s(n: number, seed: number): Uint8Array {
  let s = seed;
  return new Uint8Array(n).map(() => { s = (s * 1103515245 + 12345) >>> 0; return (s >>> 16) & 0xff; });
}

describe('quantized models agree with onnxruntime', () => {
  it('QDQ Conv + Relu (per-channel int8 weights, uint8 activations)', async () => {
    const b = new ModelBuilder({ opset: 21, seed: 3 });
    b.input('x', DataType.FLOAT, [1, 3, 8, 8]);
    const xq = b.op('QuantizeLinear', ['x', b.init('xs', DataType.FLOAT, [], [0.02]), b.init('xz', DataType.UINT8, [], [128])]);
    const xd = b.op('DequantizeLinear', [xq, 'xs', 'xz']);
    const wq = b.init('wq', DataType.INT8, [4, 3, 3, 3], Int8Array.from(uint8s(108, 9), (v) => v - 128));
    const wd = b.op('DequantizeLinear', [wq, b.init('ws', DataType.FLOAT, [4], [0.01, 0.02, 0.005, 0.03]), b.init('wz', DataType.INT8, [4], [0, 0, 0, 0])], { axis: 0 });
    const c = b.op('Conv', [xd, wd], { pads: [1, 1, 1, 1] });
    const r = b.op('Relu', [c]);
    const yq = b.op('QuantizeLinear', [r, b.init('ys', DataType.FLOAT, [], [0.05]), b.init('yz', DataType.UINT8, [], [0])]);
    b.node('DequantizeLinear', [yq, 'ys', 'yz'], {}, { outputs: ['y'] });
    b.output('y');
    const x = new Float32Array(3 * 64).map(() => b.rng.normal());
    await compare(b, x, [1, 3, 8, 8], ['y'], false);
  });
  it('QLinearConv per-channel and QLinearMatMul, bit-exact', async () => {
    const b = new ModelBuilder({ opset: 13 });
    b.input('x', DataType.UINT8, [1, 2, 6, 6]);
    const w = b.init('w', DataType.INT8, [3, 2, 3, 3], Int8Array.from(uint8s(54, 4), (v) => (v >> 1) - 64));
    const y = b.op('QLinearConv', ['x', b.init('xs', DataType.FLOAT, [], [0.031]), b.init('xz', DataType.UINT8, [], [120]), w,
      b.init('ws', DataType.FLOAT, [3], [0.011, 0.007, 0.019]), b.init('wz', DataType.INT8, [3], [0, 0, 0]),
      b.init('ys', DataType.FLOAT, [], [0.09]), b.init('yz', DataType.UINT8, [], [10]), b.init('bias', DataType.INT32, [3], [500, -900, 33])], { pads: [1, 1, 1, 1], strides: [2, 1] });
    b.node('Identity', [y], {}, { outputs: ['yc'] });
    const flat = b.op('Reshape', [y, b.ints('shp', [3, 18])]);
    b.node('QLinearMatMul', [b.init('a', DataType.UINT8, [4, 3], uint8s(12, 8)), b.init('as', DataType.FLOAT, [], [0.02]), b.init('az', DataType.UINT8, [], [100]),
      flat, b.init('bs', DataType.FLOAT, [], [0.09]), b.init('bz', DataType.UINT8, [], [10]),
      b.init('ms', DataType.FLOAT, [], [0.07]), b.init('mz', DataType.UINT8, [], [128])], {}, { outputs: ['ym'] });
    b.output('yc', DataType.UINT8).output('ym', DataType.UINT8);
    await compare(b, uint8s(72, 1), [1, 2, 6, 6], ['yc', 'ym'], true);
  });
  it('MatMulInteger and ConvInteger, bit-exact', async () => {
    const b = new ModelBuilder({ opset: 13 });
    b.input('x', DataType.UINT8, [1, 2, 5, 5]);
    b.node('ConvInteger', ['x', b.init('w', DataType.UINT8, [2, 2, 2, 2], uint8s(16, 5)), b.init('xz', DataType.UINT8, [], [7]), b.init('wz', DataType.UINT8, [], [200])], { pads: [0, 1, 1, 0] }, { outputs: ['c'] });
    const f = b.op('Reshape', ['x', b.ints('s', [10, 5])]);
    b.node('MatMulInteger', [f, b.init('m', DataType.UINT8, [5, 3], uint8s(15, 6)), b.init('az', DataType.UINT8, [], [3]), b.init('bz', DataType.UINT8, [], [250])], {}, { outputs: ['m_out'] });
    b.output('c', DataType.INT32).output('m_out', DataType.INT32);
    await compare(b, uint8s(sizeOf([1, 2, 5, 5]), 2), [1, 2, 5, 5], ['c', 'm_out'], true);
  });
});
