// Data-movement tensor ops (Reshape, Transpose, Slice, Gather*, Scatter*, Pad, Tile, Expand, Concat,
// Split, Squeeze/Unsqueeze, DepthToSpace) against naive index-by-index references.

import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { concat } from '../../src/runtime/ops/tensor/concat';
import { expand } from '../../src/runtime/ops/tensor/expand';
import { gather } from '../../src/runtime/ops/tensor/gather';
import { gatherElements } from '../../src/runtime/ops/tensor/gather-elements';
import { gatherND } from '../../src/runtime/ops/tensor/gather-nd';
import { pad11 } from '../../src/runtime/ops/tensor/pad';
import { reshape5 } from '../../src/runtime/ops/tensor/reshape';
import { scatterElements } from '../../src/runtime/ops/tensor/scatter-elements';
import { scatterND } from '../../src/runtime/ops/tensor/scatter-nd';
import { slice10 } from '../../src/runtime/ops/tensor/slice';
import { depthToSpace } from '../../src/runtime/ops/tensor/space-depth';
import { split } from '../../src/runtime/ops/tensor/split';
import { squeeze, unsqueeze } from '../../src/runtime/ops/tensor/squeeze';
import { tile } from '../../src/runtime/ops/tensor/tile';
import { transpose } from '../../src/runtime/ops/tensor/transpose';
import { sizeOf } from '../../src/runtime/tensor';
import { attr, I, iota, nums, ravel, rng, run, T, unravel } from '../helpers/fake-context-tensor';

describe('tensor ops: reshape family', () => {
  it('Reshape resolves 0 and -1, shares storage, and names both shapes on a mismatch', () => {
    const x = iota([2, 3, 4]);
    const [y] = run(reshape5, [x, I([0, -1])]);
    assert.deepEqual(y.shape, [2, 12]);
    assert.equal(y.data, x.data, 'zero-copy');
    assert.deepEqual(run(reshape5, [iota([0, 3]), I([3, 0])], [attr.int('allowzero', 1)])[0].shape, [3, 0]);
    assert.throws(() => run(reshape5, [x, I([5, -1])]), /Reshape node 'test_Reshape'.*\[2,3,4\].*\[5,-1\]/);
  });

  it('Squeeze/Unsqueeze use attribute axes before opset 13 and input axes from 13', () => {
    const x = iota([1, 3, 1]);
    assert.deepEqual(run(squeeze, [x], [attr.ints('axes', [0])], { opset: 11 })[0].shape, [3, 1]);
    assert.deepEqual(run(squeeze, [x, I([-1])], [], { opset: 13 })[0].shape, [1, 3]);
    assert.deepEqual(run(squeeze, [x], [], { opset: 13 })[0].shape, [3]);
    assert.deepEqual(run(unsqueeze, [x, I([0, -1])], [], { opset: 13 })[0].shape, [1, 1, 3, 1, 1]);
    assert.throws(() => run(squeeze, [x, I([1])], [], { opset: 13 }), /cannot squeeze axis 1 of size 3/);
  });
});

describe('tensor ops: Transpose', () => {
  it('matches a naive permutation for random shapes, perms and dtypes', () => {
    const r = rng(7);
    for (let trial = 0; trial < 60; trial++) {
      const rank = r.int(1, 5);
      const shape = Array.from({ length: rank }, () => r.int(1, 4));
      const perm = Array.from({ length: rank }, (_, i) => i);
      for (let i = rank - 1; i > 0; i--) { const j = r.int(0, i); [perm[i], perm[j]] = [perm[j], perm[i]]; }
      const dtype = [DataType.FLOAT, DataType.INT64, DataType.STRING][trial % 3];
      const n = sizeOf(shape);
      const x = T(shape, Array.from({ length: n }, (_, i) => (dtype === DataType.STRING ? `s${i}` : i)), dtype);
      const [y] = run(transpose, [x], [attr.ints('perm', perm)]);
      const outShape = perm.map((p) => shape[p]);
      assert.deepEqual(y.shape, outShape);
      for (let o = 0; o < n; o++) {
        const oi = unravel(o, outShape);
        const ii = new Array<number>(rank);
        perm.forEach((p, k) => { ii[p] = oi[k]; });
        assert.equal(y.data[o], x.data[ravel(ii, shape)], `shape ${shape} perm ${perm} at ${o}`);
      }
    }
  });
});

describe('tensor ops: Slice', () => {
  it('matches a naive slicer with negative steps, clamping and INT64 max ends', () => {
    const r = rng(11);
    for (let trial = 0; trial < 80; trial++) {
      const shape = [r.int(1, 5), r.int(1, 5)];
      const x = iota(shape);
      const starts: number[] = [], ends: number[] = [], steps: number[] = [];
      for (let a = 0; a < 2; a++) {
        starts.push(r.int(-7, 7));
        ends.push(r.next() < 0.2 ? (r.next() < 0.5 ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER) : r.int(-7, 7));
        steps.push((r.next() < 0.5 ? -1 : 1) * r.int(1, 3));
      }
      const [y] = run(slice10, [x, I(starts), I(ends), I([0, 1]), I(steps)]);
      // Naive: enumerate indices per axis like Python's range after clamping.
      const picks = shape.map((d, a) => {
        const st = steps[a];
        let s = starts[a] < 0 ? starts[a] + d : starts[a];
        let e = ends[a] < 0 ? ends[a] + d : ends[a];
        s = st > 0 ? Math.min(Math.max(s, 0), d) : Math.min(Math.max(s, 0), d - 1);
        e = st > 0 ? Math.min(Math.max(e, 0), d) : Math.min(Math.max(e, -1), d - 1);
        const out: number[] = [];
        for (let i = s; st > 0 ? i < e : i > e; i += st) out.push(i);
        return out;
      });
      assert.deepEqual(y.shape, picks.map((p) => p.length));
      const want: number[] = [];
      for (const i of picks[0]) for (const j of picks[1]) want.push(i * shape[1] + j);
      assert.deepEqual(nums(y), want, `starts ${starts} ends ${ends} steps ${steps}`);
    }
  });
});

describe('tensor ops: gathers and scatters', () => {
  it('Gather picks rows with negative indices and rejects out-of-range ones', () => {
    const x = iota([3, 2]);
    const [y] = run(gather, [x, I([-1, 0])]);
    assert.deepEqual(y.shape, [2, 2]);
    assert.deepEqual(nums(y), [4, 5, 0, 1]);
    const [z] = run(gather, [x, T([2, 2], [1, 0, 1, 1], DataType.INT32)], [attr.int('axis', 1)]);
    assert.deepEqual(z.shape, [3, 2, 2]);
    assert.deepEqual(nums(z).slice(0, 4), [1, 0, 1, 1]);
    assert.throws(() => run(gather, [x, I([3])]), /index 3 is out of range for axis 0 of size 3/);
  });

  it('GatherElements and GatherND follow the spec examples', () => {
    const [a] = run(gatherElements, [T([2, 2], [1, 2, 3, 4]), T([2, 2], [0, 0, 1, 0], DataType.INT64)], [attr.int('axis', 1)]);
    assert.deepEqual(nums(a), [1, 1, 4, 3]);
    const [b] = run(gatherND, [T([2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7]), T([2, 1], [1, 0], DataType.INT64)], [attr.int('batch_dims', 1)]);
    assert.deepEqual(b.shape, [2, 2]);
    assert.deepEqual(nums(b), [2, 3, 4, 5]);
  });

  it('ScatterElements and ScatterND apply every reduction', () => {
    const data = T([1, 5], [1, 2, 3, 4, 5]);
    const idx = T([1, 2], [1, 1], DataType.INT64);
    const upd = T([1, 2], [1.1, 2.1]);
    const expect: Record<string, number[]> = { add: [1, 5.2, 3, 4, 5], mul: [1, 2 * 1.1 * 2.1, 3, 4, 5], max: [1, 2.1, 3, 4, 5], min: [1, 1.1, 3, 4, 5] };
    for (const [red, want] of Object.entries(expect)) {
      const [y] = run(scatterElements, [data, idx, upd], [attr.int('axis', 1), attr.str('reduction', red)], { opset: 18 });
      nums(y).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-5, `${red} ${i}`));
    }
    const [z] = run(scatterND, [iota([4]), T([2, 1], [1, 1], DataType.INT64), T([2], [10, 20])], [attr.str('reduction', 'add')], { opset: 16 });
    assert.deepEqual(nums(z), [0, 31, 2, 3]);
    assert.throws(() => run(scatterND, [iota([4]), I([1]), T([], [1])], [attr.str('reduction', 'max')], { opset: 16 }), /not supported at opset 16/);
  });
});

describe('tensor ops: Pad, Tile, Expand, Concat, Split, DepthToSpace', () => {
  it('Pad matches numpy for every mode, including crops', () => {
    const x = T([1, 3], [1, 2, 3]);
    const cases: Array<[string, number[], number[]]> = [
      ['constant', [0, 2, 0, 1], [9, 9, 1, 2, 3, 9]],
      ['reflect', [0, 2, 0, 2], [3, 2, 1, 2, 3, 2, 1]],
      ['edge', [0, 2, 0, 1], [1, 1, 1, 2, 3, 3]],
      ['wrap', [0, 2, 0, 4], [2, 3, 1, 2, 3, 1, 2, 3, 1]],
      ['constant', [0, -1, 0, 1], [2, 3, 9]],
    ];
    for (const [mode, pads, want] of cases) {
      const [y] = run(pad11, [x, I(pads), T([], [9])], [attr.str('mode', mode)], { opset: 19 });
      assert.deepEqual(nums(y), want, `${mode} ${pads}`);
    }
    const [z] = run(pad11, [iota([2, 2]), I([1, 1]), undefined, I([-1])], [], { opset: 18 });
    assert.deepEqual(z.shape, [2, 4]);
    assert.deepEqual(nums(z), [0, 0, 1, 0, 0, 2, 3, 0]);
  });

  it('Tile and Expand repeat and broadcast', () => {
    const [t] = run(tile, [T([2, 1], [1, 2]), I([2, 3])]);
    assert.deepEqual(t.shape, [4, 3]);
    assert.deepEqual(nums(t), [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2]);
    const [e] = run(expand, [T([3, 1], [1, 2, 3]), I([2, 1, 2])]);
    assert.deepEqual(e.shape, [2, 3, 2]);
    assert.deepEqual(nums(e), [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3]);
    assert.throws(() => run(expand, [iota([3]), I([2])]), /cannot broadcast input \[3\] to shape \[2\]/);
  });

  it('Concat and Split round-trip, with opset-18 uneven num_outputs', () => {
    const a = iota([2, 2]), b = T([2, 1], [7, 8]);
    const [c] = run(concat, [a, b], [attr.int('axis', -1)]);
    assert.deepEqual(nums(c), [0, 1, 7, 2, 3, 8]);
    const parts = run(split, [iota([7])], [attr.int('num_outputs', 3)], { opset: 18, nOut: 3 });
    assert.deepEqual(parts.map((p) => nums(p)), [[0, 1, 2], [3, 4, 5], [6]]);
    const two = run(split, [c, I([2, 1])], [attr.int('axis', 1)], { opset: 13, nOut: 2 });
    assert.deepEqual(nums(two[0]), [0, 1, 2, 3]);
    assert.deepEqual(nums(two[1]), [7, 8]);
  });

  it('DepthToSpace DCR and CRD orders differ as the spec shows', () => {
    const x = iota([1, 8, 1, 1]);
    assert.deepEqual(nums(run(depthToSpace, [x], [attr.int('blocksize', 2)])[0]), [0, 2, 4, 6, 1, 3, 5, 7]);
    assert.deepEqual(nums(run(depthToSpace, [x], [attr.int('blocksize', 2), attr.str('mode', 'CRD')])[0]), [0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
