// Misc ops checked against onnxruntime-node on built models (GridSample in every mode, padding and
// alignment, RoiAlign, Col2Im, DFT with dft_length, STFT, Det, DeformConv, losses, NMS), plus
// edge cases and refusals.

import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { encodeModel } from '../../src/onnx/write';
import { createSession } from '../../src/runtime/executor';
import { makeTensor, sizeOf, Tensor } from '../../src/runtime/tensor';
import { AttrValue, f, ModelBuilder } from '../helpers/model-builder';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ort: any = require('onnxruntime-node');

interface Feed { name: string; dtype: DataType; shape: number[]; data: Float32Array | BigInt64Array | Int32Array }

const ORT_TYPE: Partial<Record<DataType, string>> = { [DataType.FLOAT]: 'float32', [DataType.INT64]: 'int64', [DataType.INT32]: 'int32' };

/** Builds a one-node model, runs it on both runtimes and compares every output. */
async function agree(opset: number, op: string, feeds: Feed[], attrs: Record<string, AttrValue>, outs: string[], tol = { rtol: 1e-4, atol: 1e-5 }): Promise<Record<string, Tensor>> {
  const b = new ModelBuilder({ opset });
  const ins = feeds.map((fd) => (fd.name === '' ? '' : b.input(fd.name, fd.dtype, fd.shape)));
  b.node(op, ins, attrs, { outputs: outs });
  for (const o of outs) b.output(o, DataType.FLOAT);
  const model = b.build();
  const ourFeeds: Record<string, Tensor> = {};
  const ortFeeds: Record<string, unknown> = {};
  for (const fd of feeds) {
    if (fd.name === '') continue;
    ourFeeds[fd.name] = makeTensor(fd.dtype, fd.shape, fd.data);
    ortFeeds[fd.name] = new ort.Tensor(ORT_TYPE[fd.dtype], fd.data, fd.shape);
  }
  const ours = createSession(model).runSync(ourFeeds);
  const session = await ort.InferenceSession.create(Buffer.from(encodeModel(model)));
  const theirs = await session.run(ortFeeds);
  for (const o of outs) {
    const got = ours[o];
    const want = theirs[o];
    assert.deepEqual([...got.shape], [...want.dims].map(Number), `${op} ${o} shape`);
    for (let i = 0; i < want.data.length; i++) {
      const g = Number(got.data[i]);
      const w = Number(want.data[i]);
      if (Number.isNaN(g) && Number.isNaN(w)) continue;
      assert.ok(Math.abs(g - w) <= tol.atol + tol.rtol * Math.abs(w), `${op} ${JSON.stringify(attrs)} ${o}[${i}]: ours ${g}, onnxruntime ${w}`);
    }
  }
  return ours;
}

const r = new ModelBuilder({ seed: 5 }).rng;
function floats(name: string, shape: number[], scale = 1, offset = 0): Feed {
  return { name, dtype: DataType.FLOAT, shape, data: new Float32Array(sizeOf(shape)).map(() => r.normal() * scale + offset) };
}
function int64s(name: string, vals: number[], shape = [vals.length]): Feed {
  return { name, dtype: DataType.INT64, shape, data: BigInt64Array.from(vals.map((v) => BigInt(v))) };
}

describe('GridSample agrees with onnxruntime', () => {
  for (const mode of ['nearest', 'linear', 'cubic']) {
    for (const padding of ['zeros', 'border', 'reflection']) {
      for (const align of [0, 1]) {
        if (mode === 'cubic' && padding === 'border') continue; // refused, see below
        it(`${mode} / ${padding} / align_corners ${align}`, async () => {
          // grid values up to ±1.6 reach outside the image on every side
          await agree(20, 'GridSample', [floats('X', [2, 2, 4, 5]), floats('G', [2, 3, 6, 2], 0.8)], { mode, padding_mode: padding, align_corners: align }, ['Y']);
        });
      }
    }
  }
  it('opset 16 bilinear / bicubic names', async () => {
    await agree(16, 'GridSample', [floats('X', [1, 1, 3, 4]), floats('G', [1, 2, 2, 2], 0.7)], { mode: 'bicubic' }, ['Y']);
  });
});

describe('other misc ops agree with onnxruntime', () => {
  it('RoiAlign avg and max, both coordinate modes, adaptive sampling ratio', async () => {
    const rois: Feed = { name: 'rois', dtype: DataType.FLOAT, shape: [3, 4], data: new Float32Array([0, 0, 7, 6, 1.5, 2.2, 4.1, 8.9, -2, -1, 3, 2]) };
    for (const mode of ['avg', 'max']) {
      for (const ctm of ['half_pixel', 'output_half_pixel']) {
        await agree(16, 'RoiAlign', [floats('X', [2, 2, 8, 9]), rois, int64s('bi', [0, 1, 1])],
          { mode, coordinate_transformation_mode: ctm, output_height: 3, output_width: 2, sampling_ratio: 0, spatial_scale: f(0.9) }, ['Y']);
      }
    }
  });
  it('Col2Im with strides, dilations and pads', async () => {
    // image 6×7, block 2×3, dilations 2×1, strides 1×2, pads 1,0,1,2 → blocks 6×4 = 24
    await agree(18, 'Col2Im', [floats('x', [2, 3 * 6, 24]), int64s('img', [6, 7]), int64s('blk', [2, 3])], { dilations: [2, 1], strides: [1, 2], pads: [1, 0, 1, 2] }, ['y']);
  });
  it('DFT forward, inverse and onesided, with dft_length padding and truncation', async () => {
    for (const [len, inverse, onesided] of [[12, 0, 0], [5, 0, 1], [8, 1, 0], [9, 0, 0]] as const) {
      await agree(20, 'DFT', [floats('x', [2, 7, 3, inverse ? 2 : 1]), int64s('n', [len], []), int64s('axis', [1], [])], { inverse, onesided }, ['y'], { rtol: 1e-4, atol: 1e-4 });
    }
  });
  it('STFT with a window on a real signal', async () => {
    await agree(17, 'STFT', [floats('s', [2, 40, 1]), int64s('step', [6], []), floats('w', [9]), { name: '', dtype: DataType.FLOAT, shape: [], data: new Float32Array(0) }], {}, ['y'], { rtol: 1e-4, atol: 1e-4 });
  });
  it('Det of batched 3×3 and 1×1 matrices', async () => {
    await agree(11, 'Det', [floats('x', [4, 3, 3])], {}, ['y']);
    await agree(11, 'Det', [floats('x', [2, 1, 1])], {}, ['y']);
  });
  it('DeformConv with groups, offset groups, mask, bias, strides and pads', async () => {
    await agree(19, 'DeformConv', [floats('X', [1, 4, 5, 6]), floats('W', [4, 2, 2, 3], 0.5), floats('O', [1, 2 * 2 * 6, 3, 3], 1.5), floats('B', [4]), floats('M', [1, 2 * 6, 3, 3], 0.5, 0.5)],
      { group: 2, offset_group: 2, strides: [2, 2], pads: [1, 0, 0, 1], kernel_shape: [2, 3] }, ['Y']);
  });
  it('SoftmaxCrossEntropyLoss with weights and ignore_index, all reductions', async () => {
    for (const reduction of ['none', 'sum', 'mean']) {
      await agree(13, 'SoftmaxCrossEntropyLoss', [floats('x', [3, 4, 2]), int64s('y', [0, 3, 2, -1, 1, 1], [3, 2]), floats('w', [4], 0.2, 1)], { reduction, ignore_index: -1 }, ['z', 'lp']);
    }
  });
});

describe('misc op edge cases', () => {
  const run = (op: string, opset: number, inputs: Array<[string, Tensor]>, attrs: Record<string, AttrValue>, nOut = 1): Tensor[] => {
    const b = new ModelBuilder({ opset });
    for (const [n, t] of inputs) b.input(n, t.dtype, t.shape.slice());
    const outs = Array.from({ length: nOut }, (_, i) => `o${i}`);
    b.node(op, inputs.map(([n]) => n), attrs, { outputs: outs });
    for (const o of outs) b.output(o);
    const res = createSession(b.build()).runSync(Object.fromEntries(inputs));
    return outs.map((o) => res[o]);
  };
  const t = (shape: number[], v: number[], dt = DataType.FLOAT): Tensor =>
    makeTensor(dt, shape, dt === DataType.INT64 ? BigInt64Array.from(v.map((x) => BigInt(x))) : Float32Array.from(v));
  it('NonMaxSuppression: score threshold, per-class limit, ties by lower index', () => {
    const boxes = t([1, 4, 4], [0, 0, 1, 1, 0, 0, 1, 1, 0, 0.9, 1, 1.9, 5, 5, 6, 6]);
    const scores = t([1, 2, 4], [0.9, 0.9, 0.8, 0.1, 0.2, 0.3, 0.4, 0.5]);
    const [sel] = run('NonMaxSuppression', 11, [['b', boxes], ['s', scores], ['m', t([1], [2], DataType.INT64)], ['i', t([1], [0.5])], ['st', t([1], [0.15])]], {});
    // class 0: boxes 0 and 1 tie at 0.9 (0 wins, 1 suppressed), box 2 overlaps little → kept; box 3 below threshold.
    // class 1: 3 (0.5), 2 (0.4); limit 2.
    assert.deepEqual(Array.from(sel.data as BigInt64Array, Number), [0, 0, 0, 0, 0, 2, 0, 1, 3, 0, 1, 2]);
  });
  it('NegativeLogLikelihoodLoss mean over all-ignored targets is NaN (0/0), and bad targets are refused', () => {
    const [l] = run('NegativeLogLikelihoodLoss', 13, [['x', t([2, 3], [1, 2, 3, 4, 5, 6])], ['y', t([2], [1, 1], DataType.INT64)]], { ignore_index: 1 });
    assert.ok(Number.isNaN(Number(l.data[0])));
    assert.throws(() => run('NegativeLogLikelihoodLoss', 13, [['x', t([2, 3], [1, 2, 3, 4, 5, 6])], ['y', t([2], [0, 3], DataType.INT64)]], {}), /target value 3 is outside \[0, 2\]/);
  });
  it('CenterCropPad crops and pads with the odd extra element at the end', () => {
    const [y] = run('CenterCropPad', 18, [['x', t([1, 5], [1, 2, 3, 4, 5])], ['s', t([2], [3, 2], DataType.INT64)]], {});
    assert.deepEqual([...y.shape], [3, 2]);
    assert.deepEqual(Array.from(y.data as Float32Array), [0, 0, 2, 3, 0, 0]);
  });
  it('window functions refuse a symmetric window of size 1; DFT irfft round-trips an rfft', () => {
    assert.throws(() => run('HannWindow', 17, [['n', t([], [1], DataType.INT64)]], { periodic: 0 }), /size 1 is undefined/);
    const x = [0.5, -1, 2, 3, -0.25, 1, 0, 4];
    const [spec] = run('DFT', 20, [['x', t([1, 8, 1], x)]], { onesided: 1 });
    assert.deepEqual([...spec.shape], [1, 5, 2]);
    const [back] = run('DFT', 20, [['s', spec]], { onesided: 1, inverse: 1 });
    assert.deepEqual([...back.shape], [1, 8, 1]);
    Array.from(back.data as Float32Array).forEach((v, i) => assert.ok(Math.abs(v - x[i]) < 1e-5, `${i}: ${v} vs ${x[i]}`));
  });
  it('GridSample refuses cubic with border padding', () => {
    assert.throws(() => run('GridSample', 20, [['x', t([1, 1, 2, 2], [1, 2, 3, 4])], ['g', t([1, 1, 1, 2], [0, 0])]], { mode: 'cubic', padding_mode: 'border' }), /cubic mode with border padding is not supported/);
  });
  it('GridSample before opset 20 refuses 5-D input and the new mode names', () => {
    assert.throws(() => run('GridSample', 16, [['x', t([1, 1, 2, 2, 2], new Array(8).fill(1))], ['g', t([1, 1, 1, 1, 3], [0, 0, 0])]], {}), /4-D before opset 20/);
    assert.throws(() => run('GridSample', 16, [['x', t([1, 1, 2, 2], [1, 2, 3, 4])], ['g', t([1, 1, 1, 2], [0, 0])]], { mode: 'linear' }), /mode 'linear' is not one of nearest, bilinear, bicubic/);
  });
});
