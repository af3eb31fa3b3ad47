// Reductions, ArgMax/ArgMin, TopK, CumSum against naive references, incl. keepdims, empty sets,
// noop_with_empty_axes and tie-breaking.

import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { argMax, argMin } from '../../src/runtime/ops/tensor/arg-max';
import { cumSum } from '../../src/runtime/ops/tensor/cumsum';
import { reduceOps } from '../../src/runtime/ops/tensor/reduce';
import { topK } from '../../src/runtime/ops/tensor/topk';
import { OpDef } from '../../src/runtime/op';
import { sizeOf } from '../../src/runtime/tensor';
import { attr, I, iota, nums, ravel, rng, run, T, unravel } from '../helpers/fake-context-tensor';

function op(opType: string, since: number): OpDef<unknown> {
  const d = reduceOps.find((o) => o.opType === opType && o.since === since);
  if (!d) throw new Error(`no ${opType} ${since}`);
  return d as OpDef<unknown>;
}

const naive: Record<string, (v: number[]) => number> = {
  ReduceSum: (v) => v.reduce((a, b) => a + b, 0),
  ReduceMean: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  ReduceMax: (v) => Math.max(...v),
  ReduceMin: (v) => Math.min(...v),
  ReduceProd: (v) => v.reduce((a, b) => a * b, 1),
  ReduceL1: (v) => v.reduce((a, b) => a + Math.abs(b), 0),
  ReduceL2: (v) => Math.sqrt(v.reduce((a, b) => a + b * b, 0)),
  ReduceLogSum: (v) => Math.log(v.reduce((a, b) => a + b, 0)),
  ReduceLogSumExp: (v) => Math.log(v.reduce((a, b) => a + Math.exp(b), 0)),
  ReduceSumSquare: (v) => v.reduce((a, b) => a + b * b, 0),
};

describe('tensor ops: reductions', () => {
  it('every Reduce* matches a naive reduction over random axes, both axes forms', () => {
    const r = rng(3);
    for (const [name, f] of Object.entries(naive)) {
      for (let trial = 0; trial < 12; trial++) {
        const rank = r.int(1, 4);
        const shape = Array.from({ length: rank }, () => r.int(1, 4));
        const n = sizeOf(shape);
        const x = T(shape, Array.from({ length: n }, () => 0.1 + r.next()));
        const axes = shape.map((_, i) => i).filter(() => r.next() < 0.5);
        const keep = r.next() < 0.5;
        const [y] = run(op(name, name === 'ReduceSum' ? 13 : 18), axes.length ? [x, I(axes)] : [x], [attr.int('keepdims', keep ? 1 : 0)], { opset: 18 });
        const [y1] = run(op(name, 1), [x], [attr.int('keepdims', keep ? 1 : 0), ...(axes.length ? [attr.ints('axes', axes)] : [])], { opset: 11 });
        const red = axes.length ? axes : shape.map((_, i) => i);
        const outFull = shape.map((d, i) => (red.includes(i) ? 1 : d));
        assert.deepEqual(y.shape, keep ? outFull : shape.filter((_, i) => !red.includes(i)));
        const groups = new Map<number, number[]>();
        for (let i = 0; i < n; i++) {
          const k = ravel(unravel(i, shape).map((v, a) => (red.includes(a) ? 0 : v)), outFull);
          groups.set(k, [...(groups.get(k) ?? []), Number(x.data[i])]);
        }
        for (const t of [y, y1]) {
          nums(t).forEach((v, k) => {
            const w = f(groups.get(k) as number[]);
            assert.ok(Math.abs(v - w) <= 1e-5 * Math.max(1, Math.abs(w)), `${name} ${shape} axes ${axes}: ${v} vs ${w}`);
          });
        }
      }
    }
  });

  it('empty sets give the spec identities; noop_with_empty_axes returns the input', () => {
    const x = T([2, 0, 4], []);
    const want: Record<string, number> = { ReduceSum: 0, ReduceProd: 1, ReduceMax: -Infinity, ReduceMin: Infinity, ReduceLogSum: -Infinity, ReduceL2: 0 };
    for (const [name, w] of Object.entries(want)) {
      const [y] = run(op(name, name === 'ReduceSum' ? 13 : 18), [x, I([1])], [], { opset: 18 });
      assert.deepEqual(y.shape, [2, 1, 4]);
      assert.ok(nums(y).every((v) => v === w), name);
    }
    const [m] = run(op('ReduceMax', 18), [T([0], [], DataType.INT32), I([0])], [], { opset: 18 });
    assert.deepEqual(nums(m), [-2147483648]);
    const x2 = iota([2, 3]);
    const [same] = run(op('ReduceSum', 13), [x2, I([])], [attr.int('noop_with_empty_axes', 1)], { opset: 13 });
    assert.deepEqual(nums(same), nums(x2));
  });

  it('integer reductions are exact (int32 product wraps, int64 uses BigInt)', () => {
    const [p] = run(op('ReduceProd', 18), [T([3], [65536, 65536, 3], DataType.INT32)], [attr.int('keepdims', 0)], { opset: 18 });
    assert.deepEqual(nums(p), [0]);
    const big = 2n ** 60n;
    const [s] = run(op('ReduceSum', 13), [T([2], [big, 3n], DataType.INT64)], [attr.int('keepdims', 0)], { opset: 13 });
    assert.equal(s.data[0], big + 3n);
  });
});

describe('tensor ops: ArgMax/ArgMin, TopK, CumSum', () => {
  it('ArgMax/ArgMin pick the first or last extreme', () => {
    const x = T([2, 3], [1, 3, 3, 0, 0, -1]);
    assert.deepEqual(nums(run(argMax, [x], [attr.int('axis', 1)])[0]), [1, 0]);
    assert.deepEqual(nums(run(argMax, [x], [attr.int('axis', 1), attr.int('select_last_index', 1)])[0]), [2, 1]);
    const [m] = run(argMin, [x], [attr.int('axis', 0), attr.int('keepdims', 0)]);
    assert.deepEqual(m.shape, [3]);
    assert.deepEqual(nums(m), [1, 1, 1]);
  });

  it('TopK sorts and breaks ties by the lower index', () => {
    const x = T([1, 6], [3, 1, 3, 2, 3, 0]);
    const [v, i] = run(topK, [x, I([4])], [], { opset: 11, nOut: 2 });
    assert.deepEqual(nums(v), [3, 3, 3, 2]);
    assert.deepEqual(nums(i), [0, 2, 4, 3]);
    const [v2, i2] = run(topK, [x, I([2])], [attr.int('largest', 0)], { opset: 11, nOut: 2 });
    assert.deepEqual(nums(v2), [0, 1]);
    assert.deepEqual(nums(i2), [5, 1]);
    assert.throws(() => run(topK, [x, I([7])], [], { opset: 11, nOut: 2 }), /k=7 is out of range/);
  });

  it('CumSum handles exclusive and reverse', () => {
    const x = T([4], [1, 2, 3, 4]);
    const ax = T([], [0], DataType.INT32);
    assert.deepEqual(nums(run(cumSum, [x, ax])[0]), [1, 3, 6, 10]);
    assert.deepEqual(nums(run(cumSum, [x, ax], [attr.int('exclusive', 1)])[0]), [0, 1, 3, 6]);
    assert.deepEqual(nums(run(cumSum, [x, ax], [attr.int('reverse', 1)])[0]), [10, 9, 7, 4]);
    assert.deepEqual(nums(run(cumSum, [x, ax], [attr.int('reverse', 1), attr.int('exclusive', 1)])[0]), [9, 7, 4, 0]);
  });
});

describe('tensor ops: TopK with NaN', () => {
  it('puts NaN after every number whether largest or smallest', () => {
    const x = T([4], [1, NaN, 3, 2]);
    assert.deepEqual(nums(run(topK, [x, I([4])], [], { opset: 11, nOut: 2 })[1]), [2, 3, 0, 1]);
    assert.deepEqual(nums(run(topK, [x, I([4])], [attr.int('largest', 0)], { opset: 11, nOut: 2 })[1]), [0, 3, 2, 1]);
  });
});
