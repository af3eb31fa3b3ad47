// Streaming statistics against a brute-force recomputation on the same tensors: random shapes,
// unit axes and batch splits (fast-check), merging of partial results, and real models' pre-activations.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { DataType } from '../../src/onnx/ir';
import { createSiteStats, HIST_BINS, mergeSiteStats, observeSite, setStatsSimd, SiteStats } from '../../src/analysis/stats';
import { scanKernel } from '../../src/analysis/stats-wasm';
import { analyzeLoadedModel } from '../../src/analysis/analyze';
import { createSession } from '../../src/runtime/executor';
import { Tensor } from '../../src/runtime/tensor';
import * as m from '../helpers/analysis-models';

interface Brute { positives: number[]; firing: number[]; min: number[]; max: number[]; sum: number[]; absOut: number[]; witness: number[]; positions: number }

/** Per-element recomputation with explicit multi-indices: unit = index[axis], sample = offset + index[0]. */
function brute(batches: Array<{ t: Tensor; offset: number }>, axis: number, units: number, cap = Infinity): Brute {
  const b: Brute = { positives: Array(units).fill(0), firing: Array(units).fill(0), min: Array(units).fill(Infinity), max: Array(units).fill(-Infinity), sum: Array(units).fill(0), absOut: Array(units).fill(0), witness: Array(units).fill(-1), positions: 0 };
  for (const { t, offset } of batches) {
    const shape = t.shape;
    const fired = new Set<string>();
    for (let flat = 0; flat < t.data.length; flat++) {
      const idx: number[] = [];
      let r = flat;
      for (let d = shape.length - 1; d >= 0; d--) {
        idx[d] = r % shape[d];
        r = Math.floor(r / shape[d]);
      }
      const u = idx[axis];
      const v = t.data[flat] as number;
      const sample = offset + idx[0];
      if (v > 0) {
        b.positives[u]++;
        b.absOut[u] += Math.min(v, cap);
        fired.add(`${sample}:${u}`);
        if (b.witness[u] < 0 || sample < b.witness[u]) b.witness[u] = sample;
      }
      b.min[u] = Math.min(b.min[u], v);
      b.max[u] = Math.max(b.max[u], v);
      b.sum[u] += v;
    }
    for (const k of fired) b.firing[Number(k.split(':')[1])]++;
    b.positions += t.data.length / units;
  }
  return b;
}

function close(a: ArrayLike<number>, b: number[], what: string): void {
  for (let i = 0; i < b.length; i++) {
    if (Number.isNaN(b[i]) && Number.isNaN(a[i])) continue;
    assert.ok(a[i] === b[i] || Math.abs(a[i] - b[i]) <= 1e-9 * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

function check(s: SiteStats, b: Brute): void {
  assert.equal(s.positions, b.positions);
  close(s.positives, b.positives, 'positives');
  close(s.firingSamples, b.firing, 'firingSamples');
  close(s.min, b.min, 'min');
  close(s.max, b.max, 'max');
  close(s.sum, b.sum, 'sum');
  close(s.sumAbsOut, b.absOut, 'sumAbsOut');
  assert.deepEqual(Array.from(s.witness), b.witness);
  let n = 0;
  for (const c of s.hist) n += c;
  assert.equal(n, b.positions * s.units, 'every value lands in one histogram bin');
}

describe('analysis streaming statistics', () => {
  it('equal a brute-force recomputation for random shapes, unit axes and batch splits', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 0, max: 1000 }),
      fc.boolean(),
      (rest, units, nBatches, seed, capped) => {
        const axis = 1 + ((seed % rest.length) + rest.length) % rest.length;
        const cap = capped ? 0.5 : Infinity;
        const s = createSiteStats(units, { cap });
        const batches: Array<{ t: Tensor; offset: number }> = [];
        let offset = 0;
        for (let k = 0; k < nBatches; k++) {
          const n = 1 + ((seed + k) % 3);
          const shape = [n, ...rest];
          shape[axis] = units;
          const size = shape.reduce((a, b) => a * b, 1);
          const data = m.uniforms(seed * 7 + k, size, -1, 1);
          const t: Tensor = { dtype: DataType.FLOAT, shape, data };
          observeSite(s, t, axis, offset, n);
          batches.push({ t, offset });
          offset += n;
        }
        check(s, brute(batches, axis, units, cap));
        assert.equal(s.samples, offset);
      },
    ), { numRuns: 150, seed: 42 });
  });

  it('the WebAssembly kernel gives the plain loops\' statistics (NaN, ±0, huge values, caps, odd spans, long runs)', () => {
    assert.ok(scanKernel(), 'WebAssembly SIMD is available in Node 20, so the kernel must instantiate');
    const special = [NaN, 0, -0, 1e30, -3e4, Infinity, -Infinity, 1e-40, -1e-40]; // one huge magnitude only: ±1e30 in one unit would cancel differently in any other summation order
    for (const [shape, cap, nan] of [[[2, 5, 37], Infinity, false], [[3, 4, 7, 9], 6, false], [[1, 3, 20000], Infinity, false], [[2, 6, 33], 0.25, true], [[4, 2, 4], Infinity, true]] as const) {
      const size = shape.reduce<number>((a, b) => a * b, 1);
      const data = m.uniforms(size, size, -2, 2);
      // Every 13th value special; NaN only in the cases that ask for it.
      const pool = nan ? special : special.slice(1);
      for (let i = 0; i < size; i += 13) data[i] = pool[(i / 13) % pool.length];
      const t: Tensor = { dtype: DataType.FLOAT, shape: [...shape], data };
      const run = (simd: boolean): SiteStats => {
        setStatsSimd(simd);
        try {
          const s = createSiteStats(shape[1], { cap, histRange: [-1.5, 1.5] });
          observeSite(s, t, 1, 0, shape[0]);
          observeSite(s, t, 1, shape[0], shape[0]);
          return s;
        } finally {
          setStatsSimd(true);
        }
      };
      const fast = run(true);
      const plain = run(false);
      for (const k of ['positives', 'firingSamples', 'min', 'max', 'witness', 'hist'] as const) assert.deepEqual(Array.from(fast[k]), Array.from(plain[k]), `${k} of [${shape.join(',')}]`);
      close(fast.sum, Array.from(plain.sum), 'sum');
      close(fast.sumAbsOut, Array.from(plain.sumAbsOut), 'sumAbsOut');
      assert.equal(fast.nans, plain.nans);
      assert.equal(fast.positions, plain.positions);
    }
  });

  it('a negative unit axis counts from the end', () => {
    const data = m.uniforms(9, 3 * 4, -1, 1);
    const t: Tensor = { dtype: DataType.FLOAT, shape: [3, 4], data };
    const a = createSiteStats(4);
    observeSite(a, t, -1, 0, 3);
    check(a, brute([{ t, offset: 0 }], 1, 4));
  });

  it('merging partial statistics equals one pass over all batches', () => {
    const t1: Tensor = { dtype: DataType.FLOAT, shape: [2, 3, 2], data: m.uniforms(11, 12, -1, 1) };
    const t2: Tensor = { dtype: DataType.FLOAT, shape: [3, 3, 2], data: m.uniforms(12, 18, -1, 1) };
    const whole = createSiteStats(3, { histRange: [-2, 2] });
    observeSite(whole, t1, 1, 0, 2);
    observeSite(whole, t2, 1, 2, 3);
    const a = createSiteStats(3, { histRange: [-2, 2] });
    const b = createSiteStats(3, { histRange: [-2, 2] });
    observeSite(a, t1, 1, 0, 2);
    observeSite(b, t2, 1, 2, 3);
    const merged = mergeSiteStats(b, a);
    assert.deepEqual(merged, whole);
    assert.equal(merged.hist.length, HIST_BINS);
  });

  it('the analysis statistics of a Conv model equal brute force on the captured pre-activations', async () => {
    const model = m.convModel();
    const data = m.uniforms(21, 9 * 18, -1, 1);
    const r = await analyzeLoadedModel(model, {}, {}, { openSource: () => m.fixedSource(data, [2, 3, 3], 4) });
    // Capture the same pre-activations with a plain session and recompute.
    const session = createSession(model);
    const batches: Array<{ t: Tensor; offset: number }> = [];
    for (let off = 0; off < 9; off += 4) {
      const k = Math.min(4, 9 - off);
      session.runSync({ x: { dtype: DataType.FLOAT, shape: [k, 2, 3, 3], data: data.subarray(off * 18, (off + k) * 18) } }, {
        observer: (e) => {
          if (e.node.opType === 'Relu') batches.push({ t: { ...e.inputs[0]!, data: Float32Array.from(e.inputs[0]!.data as Float32Array) }, offset: off });
        },
      });
    }
    const b = brute(batches, 1, 3);
    const l = r.layers[0];
    assert.deepEqual(l.witness, b.witness);
    l.activationRate.forEach((rate, c) => assert.ok(Math.abs(rate - b.positives[c] / b.positions) < 1e-4));
    l.preActivation.max.forEach((x, c) => assert.ok(Math.abs(x - b.max[c]) <= 1e-3 * Math.max(1, Math.abs(b.max[c]))));
    assert.deepEqual(l.dead, b.positives.flatMap((p, c) => (p === 0 ? [c] : [])));
  });
});
