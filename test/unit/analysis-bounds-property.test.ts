// Soundness property of the bounds (fast-check): on random small networks (Conv/Gemm, BatchNorm,
// ReLU, a residual Add, pooling, 2–3 layers) and random input boxes, every pre-activation the
// executor computes for samples drawn from the box (corners included) lies inside the propagated
// bounds, so no proven-dead unit ever fires; weight-only dead units never fire on non-negative
// inputs either. The test also checks that proofs do happen (it is not vacuous).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { DataType, Model, Node, OnnxTensor } from '../../src/onnx/ir';
import { findActivationSites } from '../../src/analysis/sites';
import { propagateBounds } from '../../src/analysis/bounds';
import { weightOnlyCheck } from '../../src/analysis/weight-check';
import { createSession } from '../../src/runtime/executor';
import { f32, model, node, uniforms } from '../helpers/analysis-models';

/** A seeded stream of uniforms in [0, 1). */
function stream(seed: number): () => number {
  let k = 0;
  const buf = uniforms(seed, 4096);
  return () => buf[k++ % buf.length];
}

interface Net { m: Model; inShape: number[] }

/** A random CNN: Conv(+BN)+ReLU blocks (one residual), optional pooling, Flatten, Gemm + ReLU. */
function randomCnn(seed: number, deadBias: number): Net {
  const r = stream(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const nodes: Node[] = [];
  const inits: OnnxTensor[] = [];
  const vals = (n: number, lo: number, hi: number): number[] => Array.from({ length: n }, () => lo + r() * (hi - lo));
  const bias = (n: number): number[] => Array.from({ length: n }, () => (r() < 0.3 ? deadBias * (0.5 + r()) : -1 + 2 * r()));
  let C = pick([1, 2, 3]);
  let H = pick([4, 5, 6]);
  const inShape = [1, C, H, H];
  let cur = 'x';
  const layers = 2 + Math.floor(r() * 2);
  for (let l = 0; l < layers; l++) {
    const k = pick([1, 2, 3]);
    const pad = k > 1 ? pick([0, 1]) : 0;
    const stride = pick([1, 1, 2]);
    const dil = k > 1 && H > 4 ? pick([1, 2]) : 1;
    const M = pick([2, 3, 4]);
    const group = M % C === 0 && C > 1 && r() < 0.4 ? C : 1;
    const eff = dil * (k - 1) + 1;
    const Ho = Math.floor((H + 2 * pad - eff) / stride) + 1;
    if (Ho < 1) continue;
    const p = `l${l}`;
    inits.push(f32(`${p}W`, [M, C / group, k, k], vals((M * C * k * k) / group, -1, 1)), f32(`${p}b`, [M], bias(M)));
    nodes.push(node('Conv', [cur, `${p}W`, `${p}b`], [`${p}c`], { kernel_shape: [k, k], pads: [pad, pad, pad, pad], strides: [stride, stride], dilations: [dil, dil], group }, { name: `${p}conv` }));
    let pre = `${p}c`;
    if (r() < 0.5) {
      inits.push(f32(`${p}g`, [M], vals(M, -1.5, 1.5)), f32(`${p}be`, [M], bias(M)), f32(`${p}mu`, [M], vals(M, -1, 1)), f32(`${p}va`, [M], vals(M, 0.1, 2)));
      nodes.push(node('BatchNormalization', [pre, `${p}g`, `${p}be`, `${p}mu`, `${p}va`], [`${p}n`], { epsilon: 1e-5 }, { name: `${p}bn` }));
      pre = `${p}n`;
    }
    if (l > 0 && M === C && Ho === H && r() < 0.6) {
      nodes.push(node('Add', [pre, cur], [`${p}s`], {}, { name: `${p}add` }));
      pre = `${p}s`;
    }
    nodes.push(node('Relu', [pre], [`${p}r`], {}, { name: `${p}relu` }));
    cur = `${p}r`;
    C = M;
    H = Ho;
    if (H >= 2 && r() < 0.3) {
      nodes.push(node(pick(['MaxPool', 'AveragePool']), [cur], [`${p}p`], { kernel_shape: [2, 2], strides: [1, 1] }, { name: `${p}pool` }));
      cur = `${p}p`;
      H -= 1;
    }
  }
  nodes.push(node('Flatten', [cur], ['flat'], { axis: 1 }, { name: 'flatten' }));
  const F = C * H * H;
  const U = pick([2, 3, 5]);
  inits.push(f32('fcW', [U, F], vals(U * F, -1, 1)), f32('fcb', [U], bias(U)));
  nodes.push(node('Gemm', ['flat', 'fcW', 'fcb'], ['fch'], { transB: 1 }, { name: 'fc' }));
  nodes.push(node('Relu', ['fch'], ['y'], {}, { name: 'fcrelu' }));
  return { m: model(nodes, inits, ['N', ...inShape.slice(1)]), inShape };
}

/** A random MLP: Gemm(+BN as Mul/Add by constants) + ReLU, 2–3 layers, one residual Add. */
function randomMlp(seed: number, deadBias: number): Net {
  const r = stream(seed);
  const nodes: Node[] = [];
  const inits: OnnxTensor[] = [];
  const vals = (n: number, lo: number, hi: number): number[] => Array.from({ length: n }, () => lo + r() * (hi - lo));
  const bias = (n: number): number[] => Array.from({ length: n }, () => (r() < 0.3 ? deadBias * (0.5 + r()) : -1 + 2 * r()));
  let F = 2 + Math.floor(r() * 5);
  const inShape = [1, F];
  let cur = 'x';
  const layers = 2 + Math.floor(r() * 2);
  for (let l = 0; l < layers; l++) {
    const U = r() < 0.4 ? F : 2 + Math.floor(r() * 5);
    const p = `d${l}`;
    const transB = r() < 0.5 ? 1 : 0;
    inits.push(f32(`${p}W`, transB ? [U, F] : [F, U], vals(U * F, -1, 1)), f32(`${p}b`, [U], bias(U)));
    nodes.push(node('Gemm', [cur, `${p}W`, `${p}b`], [`${p}h`], { transB, alpha: r() < 0.2 ? -0.5 : 1 }, { name: `${p}gemm` }));
    let pre = `${p}h`;
    if (r() < 0.4) {
      inits.push(f32(`${p}s`, [U], vals(U, -2, 2)), f32(`${p}t`, [U], bias(U)));
      nodes.push(node('Mul', [pre, `${p}s`], [`${p}m`], {}, { name: `${p}mul` }), node('Add', [`${p}m`, `${p}t`], [`${p}a`], {}, { name: `${p}shift` }));
      pre = `${p}a`;
    }
    if (l > 0 && U === F && r() < 0.6) {
      nodes.push(node('Add', [pre, cur], [`${p}res`], {}, { name: `${p}add` }));
      pre = `${p}res`;
    }
    nodes.push(node('Relu', [pre], [`${p}r`], {}, { name: `${p}relu` }));
    cur = `${p}r`;
    F = U;
  }
  nodes.push(node('Identity', [cur], ['y']));
  return { m: model(nodes, inits, ['N', ...inShape.slice(1)]), inShape };
}

let provenTotal = 0;
let unitsTotal = 0;
let weightDeadTotal = 0;
let casesTotal = 0;

/** Draws samples (corners and uniform points) from the box, runs them, and checks every site's bounds. */
function checkNet(net: Net, boxSeed: number, wideBox: boolean): void {
  const { m, inShape } = net;
  const n = inShape.reduce((a, b) => a * b, 1);
  const r = stream(boxSeed);
  const lo = new Float32Array(n);
  const hi = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    lo[i] = Math.fround(wideBox ? -2 + 2 * r() : r());
    hi[i] = Math.fround(lo[i] + (r() < 0.1 ? 0 : r() * (wideBox ? 3 : 1)));
  }
  const sites = findActivationSites(m);
  const bounds = propagateBounds(m, { x: { lo, hi, shape: inShape } }, sites);
  const weight = weightOnlyCheck(m, sites);
  const S = 48;
  const data = new Float32Array(S * n);
  for (let s = 0; s < S; s++) {
    for (let i = 0; i < n; i++) {
      const t = s < 16 ? (r() < 0.5 ? 0 : 1) : s === 16 ? 0 : s === 17 ? 1 : r();
      data[s * n + i] = Math.min(hi[i], Math.max(lo[i], Math.fround(lo[i] + t * (hi[i] - lo[i]))));
    }
  }
  const byNode = new Map(sites.map((s) => [m.graph.nodes[s.nodeIndex], s]));
  casesTotal++;
  for (const s of sites) {
    const b = bounds.get(s.id)!;
    assert.equal(b.decided, true, `site ${s.id} undecided: ${b.reason}`);
    unitsTotal += b.upper.length;
    provenTotal += b.upper.filter((u) => u <= 0).length;
    weightDeadTotal += weight.get(s.id)?.units.length ?? 0;
  }
  createSession(m).runSync({ x: { dtype: DataType.FLOAT, shape: [S, ...inShape.slice(1)], data } }, {
    observer: (e) => {
      const site = byNode.get(e.node);
      if (!site) return;
      const t = e.inputs[0]!;
      const d = t.data as Float32Array;
      const axis = site.unitAxis < 0 ? site.unitAxis + t.shape.length : site.unitAxis;
      const units = t.shape[axis];
      const inner = t.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      const b = bounds.get(site.id)!;
      const wd = new Set(weight.get(site.id)?.units ?? []);
      for (let i = 0; i < d.length; i++) {
        const u = Math.floor(i / inner) % units;
        assert.ok(d[i] <= b.upper[u] && d[i] >= b.lower[u], `${site.id} unit ${u}: ${d[i]} outside [${b.lower[u]}, ${b.upper[u]}]`);
        if (b.upper[u] <= 0) assert.ok(!(d[i] > 0), `${site.id} unit ${u} proven dead but fired (${d[i]})`);
        if (wd.has(u)) assert.ok(!(d[i] > 0), `${site.id} unit ${u} weight-only dead but fired (${d[i]})`);
      }
    },
  });
}

describe('analysis bounds: soundness property on random networks', () => {
  after(() => {
    // Visible in the test log: how much the property actually proved.
    console.log(`      bounds property: ${casesTotal} cases, ${provenTotal} of ${unitsTotal} units proven dead, ${weightDeadTotal} weight-only dead`);
  });

  it('CNNs (Conv groups/pads/strides/dilations, BN, residual Add, pooling, Gemm head): samples never leave the bounds', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }), fc.constantFrom(-3, -6, -12), fc.boolean(),
      (netSeed, boxSeed, deadBias, wide) => checkNet(randomCnn(netSeed, deadBias), boxSeed, wide)), { numRuns: 60, seed: 4242 });
  });

  it('MLPs (Gemm transB/alpha, Mul/Add by constants, residual Add): samples never leave the bounds', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }), fc.constantFrom(-3, -6, -12), fc.boolean(),
      (netSeed, boxSeed, deadBias, wide) => checkNet(randomMlp(netSeed, deadBias), boxSeed, wide)), { numRuns: 80, seed: 777 });
  });

  it('the property is not vacuous: many units are proven dead', () => {
    assert.ok(provenTotal >= 20, `only ${provenTotal} units proven dead`);
    assert.ok(weightDeadTotal > 0, 'no weight-only dead units');
  });
});
