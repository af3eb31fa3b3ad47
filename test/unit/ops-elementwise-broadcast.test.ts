// Broadcasting and the binary / variadic / ternary elementwise ops against a naive index-by-index
// reference on random shapes, plus integer edge cases (wrapping, truncating division, shifts).
import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { broadcastShapes, planRows } from '../../src/runtime/kernels/broadcast';
import { addOps, divOps, mulOps, subOps } from '../../src/runtime/ops/elementwise/arith';
import { bitShiftOps, bitwiseNotOps } from '../../src/runtime/ops/elementwise/bitwise';
import { equalOps, greaterOps } from '../../src/runtime/ops/elementwise/compare';
import { modOps } from '../../src/runtime/ops/elementwise/mod';
import { powOps } from '../../src/runtime/ops/elementwise/pow';
import { preluOps } from '../../src/runtime/ops/elementwise/prelu';
import { maxOps, meanOps, sumOps } from '../../src/runtime/ops/elementwise/variadic';
import { whereOps } from '../../src/runtime/ops/elementwise/where';
import { elementwiseOps } from '../../src/runtime/ops/elementwise';
import { buildRegistry } from '../../src/runtime/registry';
import { Tensor } from '../../src/runtime/tensor';
import { at, run, t, vals } from '../helpers/fake-context';

/** mulberry32. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), s | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random shapes that broadcast together: out shape, then each operand drops leading axes or sets axes to 1. */
function shapes(r: () => number, k: number): number[][] {
  const rank = Math.floor(r() * 5);
  const out = Array.from({ length: rank }, () => 1 + Math.floor(r() * 4));
  return Array.from({ length: k }, () => {
    const drop = Math.floor(r() * (rank + 1));
    return out.slice(drop).map((d) => (r() < 0.4 ? 1 : d));
  });
}

/** Naive reference: value of operand `s` at output index `flat` of `outShape`. */
function at2(s: Tensor, outShape: number[], flat: number): number | bigint | string {
  let idx = 0;
  let mul = 1;
  let rest = flat;
  for (let a = outShape.length - 1; a >= 0; a--) {
    const coord = rest % outShape[a];
    rest = Math.floor(rest / outShape[a]);
    const sa = a - (outShape.length - s.shape.length);
    if (sa >= 0) {
      const d = s.shape[sa];
      idx += (d === 1 ? 0 : coord) * mul;
      mul *= d;
    }
  }
  return (s.data as ArrayLike<number | bigint | string>)[idx];
}

function randT(r: () => number, dt: DataType, shape: number[]): Tensor {
  const n = shape.reduce((p, q) => p * q, 1);
  return t(dt, shape, Array.from({ length: n }, () => (dt === DataType.FLOAT ? Math.fround(r() * 8 - 4) : Math.floor(r() * 200 - 100))));
}

describe('elementwise broadcasting', () => {
  it('computes numpy broadcast shapes and refuses misfits', () => {
    assert.deepEqual(broadcastShapes([[2, 1, 4], [3, 1], []]), [2, 3, 4]);
    assert.deepEqual(broadcastShapes([[0, 1], [1, 5]]), [0, 5]);
    assert.throws(() => broadcastShapes([[2, 3], [4, 3]]), /cannot broadcast shapes \[2,3\] and \[4,3\]/);
  });

  it('merges contiguous axes into long rows', () => {
    const p = planRows([2, 3, 4, 5], [[2, 3, 4, 5], [4, 5]]);
    assert.equal(p.inner, 20);
    assert.equal(p.rows, 6);
    assert.deepEqual(p.steps, [1, 1]);
    const s = planRows([8, 16], [[8, 16], []]);
    assert.equal(s.rows, 1);
    assert.deepEqual(s.steps, [1, 0]);
  });

  const cases: Array<[string, typeof addOps, (a: number, b: number) => number]> = [
    ['Add', addOps, (a, b) => a + b],
    ['Sub', subOps, (a, b) => a - b],
    ['Mul', mulOps, (a, b) => a * b],
  ];
  for (const [name, ops, f] of cases) {
    it(`${name} matches a naive reference on random broadcast shapes (float32, int32, int64)`, () => {
      const r = rng(name.length * 7);
      for (let iter = 0; iter < 60; iter++) {
        for (const dt of [DataType.FLOAT, DataType.INT32, DataType.INT64]) {
          const [sa, sb] = shapes(r, 2);
          const a = randT(r, dt, sa);
          const b = randT(r, dt, sb);
          const y = run(ops, [a, b]);
          const out = broadcastShapes([sa, sb]);
          assert.deepEqual(y.shape, out);
          for (let i = 0; i < y.data.length; i++) {
            const want = f(Number(at2(a, out, i)), Number(at2(b, out, i)));
            assert.equal(Number(y.data[i]) + 0, (dt === DataType.FLOAT ? Math.fround(want) : want) + 0, `${name} ${dt} [${sa}] [${sb}] at ${i}`);
          }
        }
      }
    });
  }

  it('Where picks per element across three broadcast operands, strings included', () => {
    const r = rng(3);
    for (let iter = 0; iter < 60; iter++) {
      const [sc, sx, sz] = shapes(r, 3);
      const c = t(DataType.BOOL, sc, Array.from({ length: sc.reduce((p, q) => p * q, 1) }, () => (r() < 0.5 ? 1 : 0)));
      const x = randT(r, DataType.INT64, sx);
      const z = randT(r, DataType.INT64, sz);
      const y = run(whereOps, [c, x, z]);
      const out = broadcastShapes([sc, sx, sz]);
      for (let i = 0; i < y.data.length; i++) assert.equal(y.data[i], at2(c, out, i) ? at2(x, out, i) : at2(z, out, i));
    }
    const s = run(whereOps, [t(DataType.BOOL, [2], [1, 0]), t(DataType.STRING, [2], ['a', 'b']), t(DataType.STRING, [], ['z'])]);
    assert.deepEqual(vals(s), ['a', 'z']);
  });

  it('Sum, Mean and Max fold several broadcast inputs', () => {
    const a = t(DataType.FLOAT, [3], [1, 2, 3]);
    const b = t(DataType.FLOAT, [2, 1], [10, 20]);
    const c = t(DataType.FLOAT, [], [100]);
    assert.deepEqual(vals(run(sumOps, [a, b, c])), [111, 112, 113, 121, 122, 123]);
    assert.deepEqual(vals(run(meanOps, [a, b, c])).map((v) => Math.round(Number(v) * 1e4) / 1e4), [37, 37.3333, 37.6667, 40.3333, 40.6667, 41]);
    assert.deepEqual(vals(run(maxOps, [a, t(DataType.FLOAT, [3], [NaN, 5, 0])])), [NaN, 5, 3]);
    assert.deepEqual(vals(run(maxOps, [a])), [1, 2, 3]);
    assert.throws(() => run(maxOps, [a, b], [], 6), /differ, which needs opset 8/);
  });
});

describe('elementwise integer semantics', () => {
  it('wraps int32 products and int8 sums like C', () => {
    assert.deepEqual(vals(run(mulOps, [t(DataType.INT32, [2], [65536, 123456789]), t(DataType.INT32, [2], [65536, 987654321])])), [0, Math.imul(123456789, 987654321)]);
    assert.deepEqual(vals(run(addOps, [t(DataType.INT8, [1], [127]), t(DataType.INT8, [1], [1])])), [-128]);
    assert.deepEqual(vals(run(addOps, [t(DataType.UINT64, [1], [2n ** 64n - 1n]), t(DataType.UINT64, [1], [2])])), ['1']);
  });

  it('Div truncates integers toward zero and gives 0 for a zero divisor', () => {
    assert.deepEqual(vals(run(divOps, [t(DataType.INT32, [4], [7, -7, 7, 5]), t(DataType.INT32, [4], [2, 2, -2, 0])])), [3, -3, -3, 0]);
    assert.deepEqual(vals(run(divOps, [t(DataType.INT64, [3], [-7, 9, 1]), t(DataType.INT64, [3], [2, 0, 1])])), ['-3', '0', '1']);
  });

  it('Mod follows Python for fmod=0 and C for fmod=1, and refuses float fmod=0', () => {
    const a = t(DataType.INT32, [4], [-4, 7, 5, -9]);
    const b = t(DataType.INT32, [4], [3, -3, 0, 4]);
    assert.deepEqual(vals(run(modOps, [a, b])), [2, -2, 0, 3]);
    assert.deepEqual(vals(run(modOps, [a, b], [at.int('fmod', 1)])), [-1, 1, 0, -1]);
    assert.deepEqual(vals(run(modOps, [t(DataType.INT64, [2], [-4, 5]), t(DataType.INT64, [2], [3, 0])])), ['2', '0']);
    assert.throws(() => run(modOps, [t(DataType.FLOAT, [1], [1]), t(DataType.FLOAT, [1], [1])]), /fmod=0 .* not defined for float/);
  });

  it('BitShift gives 0 for counts at or above the width; BitwiseNot wraps', () => {
    const left = [at.str('direction', 'LEFT')];
    assert.deepEqual(vals(run(bitShiftOps, [t(DataType.UINT8, [3], [1, 255, 3]), t(DataType.UINT8, [3], [7, 1, 8])], left)), [128, 254, 0]);
    assert.deepEqual(vals(run(bitShiftOps, [t(DataType.UINT32, [2], [1, 4294967295]), t(DataType.UINT32, [2], [32, 31])], [at.str('direction', 'RIGHT')])), [0, 1]);
    assert.deepEqual(vals(run(bitShiftOps, [t(DataType.UINT64, [2], [1, 1]), t(DataType.UINT64, [2], [63, 64])], left)), [(2n ** 63n).toString(), '0']);
    assert.throws(() => run(bitShiftOps, [t(DataType.UINT8, [1], [1]), t(DataType.UINT8, [1], [1])], [at.str('direction', 'UP')]), /LEFT.*RIGHT/);
    assert.deepEqual(vals(run(bitwiseNotOps, [t(DataType.UINT8, [2], [0, 255])])), [255, 0]);
  });

  it('Pow: exact wrapping integer powers, mixed types, C special cases', () => {
    assert.deepEqual(vals(run(powOps, [t(DataType.INT64, [3], [3, -2, 2]), t(DataType.INT64, [3], [40, 3, 64])])), [BigInt.asIntN(64, 3n ** 40n).toString(), '-8', '0']);
    assert.deepEqual(vals(run(powOps, [t(DataType.INT32, [2], [2, 3]), t(DataType.FLOAT, [2], [0.5, 2])])), [1, 9]);
    assert.deepEqual(vals(run(powOps, [t(DataType.FLOAT, [3], [1, -1, 2]), t(DataType.FLOAT, [3], [NaN, Infinity, 2])])), [1, 1, 4]);
    assert.deepEqual(vals(run(powOps, [t(DataType.FLOAT, [2], [2, 3]), t(DataType.INT64, [2], [3, -1])])), [8, Math.fround(1 / 3)]);
  });

  it('comparisons produce bool; Equal handles strings and NaN', () => {
    assert.deepEqual(vals(run(equalOps, [t(DataType.FLOAT, [2], [NaN, 1]), t(DataType.FLOAT, [2], [NaN, 1])])), [0, 1]);
    assert.deepEqual(vals(run(equalOps, [t(DataType.STRING, [2], ['a', 'b']), t(DataType.STRING, [1], ['b'])])), [0, 1]);
    const g = run(greaterOps, [t(DataType.INT64, [2], [2n ** 62n, -1]), t(DataType.INT64, [], [0])]);
    assert.equal(g.dtype, DataType.BOOL);
    assert.deepEqual(vals(g), [1, 0]);
  });

  it('PRelu broadcasts the slope to X only, and refuses a legacy per-channel slope', () => {
    const x = t(DataType.FLOAT, [2, 2], [-1, 2, -3, 4]);
    assert.deepEqual(vals(run(preluOps, [x, t(DataType.FLOAT, [2], [0.5, 0.25])])), [-0.5, 2, -1.5, 4]);
    assert.throws(() => run(preluOps, [t(DataType.FLOAT, [2], [1, 2]), t(DataType.FLOAT, [2, 2], [1, 1, 1, 1])]), /does not broadcast/);
    assert.throws(() => run(preluOps, [x, t(DataType.FLOAT, [2], [1, 1])], [], 6), /legacy PRelu .* not supported/);
  });

  it('legacy (opset < 7) Add broadcasts B at the given axis', () => {
    const a = t(DataType.FLOAT, [2, 3], [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(vals(run(addOps, [a, t(DataType.FLOAT, [2], [1, 2])], [at.int('broadcast', 1), at.int('axis', 0)], 6)), [1, 1, 1, 2, 2, 2]);
    assert.deepEqual(vals(run(addOps, [a, t(DataType.FLOAT, [3], [1, 2, 3])], [at.int('broadcast', 1)], 6)), [1, 2, 3, 1, 2, 3]);
    assert.throws(() => run(addOps, [a, t(DataType.FLOAT, [3], [1, 2, 3])], [], 6), /broadcast' attribute is 0/);
  });

  it('refuses mismatched input types with a message naming the node', () => {
    assert.throws(() => run(addOps, [t(DataType.FLOAT, [1], [1]), t(DataType.INT32, [1], [1])]), /Add node 'test_Add': inputs must share one type/);
  });

  it('registers every version once', () => {
    const reg = buildRegistry(elementwiseOps);
    assert.deepEqual(reg.versions('', 'Clip'), [1, 6, 11, 12, 13]);
    assert.deepEqual(reg.versions('', 'Cast'), [1, 6, 9, 13, 19, 21, 23, 24, 25]);
    assert.equal(reg.names().length, 70);
  });
});
