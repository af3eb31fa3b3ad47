// Resize/Upsample geometry and interpolation, Constant forms, ConstantOfShape, NonZero, OneHot,
// Range, Trilu, Compress, Shape, Dropout — small cases with hand-checked outputs.

import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { compress } from '../../src/runtime/ops/tensor/compress';
import { constant, constantOfShape } from '../../src/runtime/ops/tensor/constant';
import { dropout12 } from '../../src/runtime/ops/tensor/dropout';
import { nonZero } from '../../src/runtime/ops/tensor/non-zero';
import { oneHot } from '../../src/runtime/ops/tensor/one-hot';
import { range } from '../../src/runtime/ops/tensor/range';
import { resize11, upsample } from '../../src/runtime/ops/tensor/resize';
import { shape } from '../../src/runtime/ops/tensor/shape';
import { trilu } from '../../src/runtime/ops/tensor/trilu';
import { unique } from '../../src/runtime/ops/tensor/unique';
import { attr, I, iota, nums, run, T } from '../helpers/fake-context-tensor';

function close(got: number[], want: number[], label: string): void {
  assert.equal(got.length, want.length, label);
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-5, `${label} [${i}]: ${v} vs ${want[i]}`));
}

describe('tensor ops: Resize', () => {
  const x = T([1, 1, 2, 2], [1, 2, 3, 4]);
  const none = T([0], []);

  it('nearest upsampling by 2 with asymmetric/floor repeats pixels, on int64 too', () => {
    const xi = T([1, 1, 2, 2], [1, 2, 3, 4], DataType.INT64);
    const [y] = run(resize11, [xi, none, T([4], [1, 1, 2, 2])], [attr.str('coordinate_transformation_mode', 'asymmetric'), attr.str('nearest_mode', 'floor')], { opset: 13 });
    assert.deepEqual(y.shape, [1, 1, 4, 4]);
    assert.deepEqual(nums(y), [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });

  it('linear half_pixel and align_corners match hand-computed values', () => {
    const [h] = run(resize11, [T([1, 1, 1, 2], [1, 2]), none, T([4], [1, 1, 1, 2])], [attr.str('mode', 'linear')], { opset: 13 });
    close(nums(h), [1, 1.25, 1.75, 2], 'half_pixel');
    const [a] = run(resize11, [T([1, 1, 1, 2], [1, 2]), none, T([4], [1, 1, 1, 2])], [attr.str('mode', 'linear'), attr.str('coordinate_transformation_mode', 'align_corners')], { opset: 13 });
    close(nums(a), [1, 4 / 3, 5 / 3, 2], 'align_corners');
  });

  it('sizes with keep_aspect_ratio_policy and axes resolve the output shape', () => {
    const [y] = run(resize11, [x, none, none, I([3, 7])], [attr.ints('axes', [2, 3]), attr.str('keep_aspect_ratio_policy', 'not_larger')], { opset: 18 });
    assert.deepEqual(y.shape, [1, 1, 3, 3]);
    const [z] = run(resize11, [x, none, none, I([3, 7])], [attr.ints('axes', [2, 3]), attr.str('keep_aspect_ratio_policy', 'not_smaller')], { opset: 18 });
    assert.deepEqual(z.shape, [1, 1, 7, 7]);
  });

  it('tf_crop_and_resize writes the extrapolation value outside the roi', () => {
    const roi = T([8], [0, 0, 0, 0, 1, 1, 1, 2]);
    const [y] = run(resize11, [x, roi, none, I([1, 1, 2, 3])], [attr.str('mode', 'linear'), attr.str('coordinate_transformation_mode', 'tf_crop_and_resize'), attr.float('extrapolation_value', 10)], { opset: 13 });
    close(nums(y), [1, 2, 10, 3, 4, 10], 'crop');
  });

  it('refuses what it cannot do exactly, in parse', () => {
    assert.throws(() => run(resize11, [x, none, T([4], [1, 1, 2, 2])], [attr.int('antialias', 1)], { opset: 18 }), /antialias is not supported with mode nearest/);
    assert.throws(() => run(upsample, [x, T([4], [1, 1, 0.5, 0.5])], [], { opset: 9 }), /nearest downsampling .* not supported/);
  });
});

describe('tensor ops: constants and generators', () => {
  it('Constant decodes value_* forms; ConstantOfShape fills with the value dtype', () => {
    assert.deepEqual(nums(run(constant, [], [attr.ints('value_ints', [1, 2])])[0]), [1, 2]);
    assert.equal(run(constant, [], [attr.ints('value_ints', [1, 2])])[0].dtype, DataType.INT64);
    assert.deepEqual(run(constant, [], [attr.str('value_string', 'hé')])[0].data, ['hé']);
    const value = { name: 'value', type: 'tensor' as const, value: { name: '', dataType: DataType.INT32, dims: [1], docString: '', storage: { kind: 'fields' as const, values: Int32Array.of(7) } } };
    const [y] = run(constantOfShape, [I([2, 2])], [value]);
    assert.equal(y.dtype, DataType.INT32);
    assert.deepEqual(nums(y), [7, 7, 7, 7]);
    const [z] = run(constantOfShape, [I([0])]);
    assert.deepEqual(z.shape, [0]);
  });

  it('Range, Trilu, OneHot, NonZero, Compress, Shape', () => {
    assert.deepEqual(nums(run(range, [T([], [10], DataType.INT64), T([], [4], DataType.INT64), T([], [-3], DataType.INT64)])[0]), [10, 7]);
    assert.deepEqual(nums(run(range, [T([], [1]), T([], [2]), T([], [0.25])])[0]), [1, 1.25, 1.5, 1.75]);
    assert.deepEqual(nums(run(trilu, [iota([3, 3]), T([], [1], DataType.INT64)], [attr.int('upper', 0)])[0]), [0, 1, 0, 3, 4, 5, 6, 7, 8]);
    const [oh] = run(oneHot, [T([3], [0, -1, 5], DataType.INT64), T([], [3]), T([2], [0, 1])]);
    assert.deepEqual(oh.shape, [3, 3]);
    assert.deepEqual(nums(oh), [1, 0, 0, 0, 0, 1, 0, 0, 0]);
    const [nz] = run(nonZero, [T([2, 2], [1, 0, 0, 1], DataType.BOOL)]);
    assert.deepEqual(nz.shape, [2, 2]);
    assert.deepEqual(nums(nz), [0, 1, 0, 1]);
    const [c] = run(compress, [iota([3, 2]), T([2], [0, 1], DataType.BOOL)], [attr.int('axis', 0)]);
    assert.deepEqual(nums(c), [2, 3]);
    assert.deepEqual(nums(run(shape, [iota([2, 3, 4])], [attr.int('start', -2)])[0]), [3, 4]);
  });

  it('Dropout at inference aliases its input and refuses training mode', () => {
    const x = iota([2]);
    const [y, m] = run(dropout12, [x], [], { nOut: 2 });
    assert.equal(y.data, x.data);
    assert.deepEqual(nums(m), [1, 1]);
    assert.throws(() => run(dropout12, [x, T([], [0.5]), T([], [1], DataType.BOOL)], [], { nOut: 2 }), /training_mode=true Dropout is random and not supported/);
  });
});

describe('tensor ops: Unique', () => {
  it('returns sorted values, first indices, inverse indices and counts; slices along an axis', () => {
    const [y, idx, inv, cnt] = run(unique, [T([6], [2, 1, 1, 3, 4, 3])], [], { nOut: 4 });
    assert.deepEqual(nums(y), [1, 2, 3, 4]);
    assert.deepEqual(nums(idx), [1, 0, 3, 4]);
    assert.deepEqual(nums(inv), [1, 0, 0, 2, 3, 2]);
    assert.deepEqual(nums(cnt), [2, 1, 2, 1]);
    const [u] = run(unique, [T([6], [2, 1, 1, 3, 4, 3])], [attr.int('sorted', 0)], { nOut: 4 });
    assert.deepEqual(nums(u), [2, 1, 3, 4]);
    const [rows, , rinv] = run(unique, [T([3, 2], [1, 0, 0, 1, 1, 0])], [attr.int('axis', 0)], { nOut: 4 });
    assert.deepEqual(rows.shape, [2, 2]);
    assert.deepEqual(nums(rows), [0, 1, 1, 0]);
    assert.deepEqual(nums(rinv), [1, 0, 1]);
  });
});
