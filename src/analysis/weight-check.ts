// The weight-only check, before any data: units whose incoming weights and bias alone make them
// dead. Two rules, on the unit's effective weights and bias (the producer's, with the BatchNorm and
// elementwise-by-constant steps between it and the ReLU folded in):
//   - 'nonpositive': every effective weight ≤ 0 and bias ≤ 0, with an input that is never negative
//     (it comes out of a ReLU, pooling of one, ...): Σ w·x + b ≤ 0 for every such input.
//   - 'zero-weights': every effective weight is 0 and bias ≤ 0: dead for any (finite) input.
// Soundness in float32: the pre-activation is computed by a chain of roundings each monotone in the
// previous value, so it is at most the same chain evaluated at Σ w·x = 0, i.e. the effective bias
// evaluated in float; we demand bias ≤ −8·u32·(steps + 1)·|magnitude of the folded terms|.
import { Model, Node, OnnxTensor } from '../onnx/ir';
import { attrFloat, attrInt } from '../onnx/attrs';
import { constantLookup } from '../onnx/summary';
import { tensorValues } from '../onnx/tensor-data';
import { U32 } from './interval';
import { ActivationSite } from './sites';

/** Why a unit is dead from its weights alone. */
export type WeightDeadReason = 'nonpositive' | 'zero-weights';

/** The weight-only verdict of one site. */
export interface WeightCheck {
  /** Ascending unit indices dead for every admissible input. */
  units: number[];
  /** Reason per entry of `units`. */
  reasons: WeightDeadReason[];
  /** Whether the site's input is known to be non-negative (the 'nonpositive' rule applies). */
  nonNegativeInput: boolean;
}

/** Per-unit effective affine map: unit u's weights are w[u·K .. (u+1)·K), its bias b[u]. */
interface Affine { units: number; K: number; w: Float64Array; b: Float64Array; mag: Float64Array; steps: number }

const NONNEG_PASS = new Set(['MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout', 'Transpose']);

function floats(t: OnnxTensor | undefined, model: Model): Float64Array | undefined {
  if (!t) return undefined;
  try {
    const v = tensorValues(t, model);
    if (!(v instanceof Float32Array || v instanceof Float64Array)) return undefined;
    return Float64Array.from(v);
  } catch {
    return undefined;
  }
}

/** Whether a value is never negative: the output of a ReLU-like op, possibly through pooling / reshaping. */
function nonNegative(value: string, byOutput: Map<string, Node>, constOf: (n: string) => OnnxTensor | undefined, model: Model): boolean {
  let v = value;
  for (let k = 0; k < 64; k++) {
    const n = byOutput.get(v);
    if (!n) return false;
    const std = n.domain === '' || n.domain === 'ai.onnx';
    if (std && (n.opType === 'Relu' || n.opType === 'Sigmoid' || n.opType === 'Softmax' || n.opType === 'Abs' || n.opType === 'Exp')) return true;
    if (std && n.opType === 'Clip') {
      const a = n.attributes.find((x) => x.name === 'min');
      const min = a && a.type === 'float' ? a.value : floats(constOf(n.inputs[1] ?? ''), model)?.[0];
      return min !== undefined && min >= 0;
    }
    if (std && n.opType === 'Max' && n.inputs.some((i) => { const c = floats(constOf(i), model); return !!c && c.length > 0 && c.every((x) => x >= 0); })) return true;
    if (n.domain === 'com.microsoft' && (n.opType === 'FusedConv' || n.opType === 'FusedGemm')) {
      const a = n.attributes.find((x) => x.name === 'activation');
      return !!a && a.type === 'string' && new TextDecoder().decode(a.value) === 'Relu';
    }
    if (std && NONNEG_PASS.has(n.opType)) { v = n.inputs[0]; continue; }
    return false;
  }
  return false;
}

/** The producer's per-unit weights and bias (Conv/FusedConv: output channels; Gemm/MatMul: columns). */
function producerAffine(n: Node, constOf: (n: string) => OnnxTensor | undefined, model: Model): Affine | undefined {
  const op = n.opType;
  if (op === 'Conv' || op === 'FusedConv') {
    if (op === 'FusedConv' && n.inputs[3]) return undefined;
    const W = constOf(n.inputs[1]);
    const w = floats(W, model);
    if (!W || !w || W.dims.length < 3) return undefined;
    const units = W.dims[0];
    const b = n.inputs[2] ? floats(constOf(n.inputs[2]), model) : new Float64Array(units);
    if (!b || b.length !== units) return undefined;
    return { units, K: w.length / units, w, b, mag: b.map(Math.abs), steps: 0 };
  }
  if (op === 'Gemm' || op === 'FusedGemm' || op === 'MatMul') {
    const B = constOf(n.inputs[1]);
    const bw = floats(B, model);
    if (!B || !bw || B.dims.length !== 2 || constOf(n.inputs[0])) return undefined;
    const gemm = op !== 'MatMul';
    if (gemm && attrInt(n, 'transA', 0) !== 0) return undefined;
    const transB = gemm && attrInt(n, 'transB', 0) !== 0;
    const alpha = gemm ? attrFloat(n, 'alpha', 1) : 1;
    const beta = gemm ? attrFloat(n, 'beta', 1) : 0;
    const [K, units] = transB ? [B.dims[1], B.dims[0]] : [B.dims[0], B.dims[1]];
    const w = new Float64Array(units * K);
    for (let u = 0; u < units; u++) for (let k = 0; k < K; k++) w[u * K + k] = alpha * bw[transB ? u * K + k : k * units + u];
    const b = new Float64Array(units);
    if (gemm && n.inputs[2] && beta !== 0) {
      const C = constOf(n.inputs[2]);
      const c = floats(C, model);
      if (!C || !c) return undefined;
      const rows = C.dims.length === 2 ? C.dims[0] : 1;
      if (rows !== 1 || (c.length !== 1 && c.length !== units)) return undefined;
      for (let u = 0; u < units; u++) b[u] = beta * c[c.length === 1 ? 0 : u];
    }
    return { units, K, w, b, mag: b.map(Math.abs), steps: 0 };
  }
  return undefined;
}

/** Per-unit values of a constant that broadcasts along the unit axis only (scalar or one value per unit). */
function perUnitConst(t: OnnxTensor | undefined, units: number, channelRank: number, model: Model): Float64Array | undefined {
  const v = floats(t, model);
  if (!t || !v) return undefined;
  if (v.length === 1) return new Float64Array(units).fill(v[0]);
  if (v.length !== units) return undefined;
  const dims = t.dims;
  const at = dims.findIndex((d) => d !== 1);
  const fromEnd = dims.length - at;
  // Channel-first outputs [N, C, ...spatial] of rank channelRank: the C dim must align with axis 1
  // under right-aligned broadcasting; otherwise (Gemm/MatMul) with the last axis.
  if (channelRank ? fromEnd !== channelRank - 1 : fromEnd !== 1) return undefined;
  return v;
}

/** Folds one node between the producer and the site into the affine map; false when it cannot. */
function fold(a: Affine, n: Node, from: string, constOf: (n: string) => OnnxTensor | undefined, model: Model, channelRank: number): boolean {
  const { units, K } = a;
  const scaleUnit = (u: number, s: number): void => { for (let k = 0; k < K; k++) a.w[u * K + k] *= s; a.b[u] *= s; a.mag[u] *= Math.abs(s); };
  if (n.opType === 'Identity' || n.opType === 'Dropout') return true;
  if (n.opType === 'BatchNormalization') {
    if (n.inputs[0] !== from) return false;
    const p = [1, 2, 3, 4].map((i) => floats(constOf(n.inputs[i]), model));
    if (p.some((x) => !x || x.length !== units)) return false;
    const [g, beta, mean, vr] = p as Float64Array[];
    const eps = attrFloat(n, 'epsilon', 1e-5);
    for (let u = 0; u < units; u++) {
      const k = g[u] / Math.sqrt(vr[u] + eps);
      const sh = beta[u] - mean[u] * k;
      if (!Number.isFinite(k) || !Number.isFinite(sh)) return false;
      scaleUnit(u, k);
      a.b[u] += sh;
      a.mag[u] += Math.abs(sh);
    }
    a.steps++;
    return true;
  }
  const idx = n.inputs.indexOf(from);
  if (n.inputs.length !== 2 || idx < 0) return false;
  const c = perUnitConst(constOf(n.inputs[1 - idx]), units, channelRank, model);
  if (!c) return false;
  for (let u = 0; u < units; u++) {
    switch (n.opType) {
      case 'Add': a.b[u] += c[u]; a.mag[u] += Math.abs(c[u]); break;
      case 'Sub': if (idx === 0) { a.b[u] -= c[u]; } else { scaleUnit(u, -1); a.b[u] += c[u]; } a.mag[u] += Math.abs(c[u]); break;
      case 'Mul': scaleUnit(u, c[u]); break;
      case 'Div': if (idx !== 0 || c[u] === 0) return false; scaleUnit(u, 1 / c[u]); break;
      default: return false;
    }
  }
  a.steps++;
  return true;
}

/** Per site id: the units dead from the weights alone (sites in the main graph with an affine path). */
export function weightOnlyCheck(model: Model, sites: readonly ActivationSite[]): Map<string, WeightCheck> {
  const out = new Map<string, WeightCheck>();
  const g = model.graph;
  const constOf = constantLookup(g);
  const byOutput = new Map<string, Node>();
  for (const n of g.nodes) for (const o of n.outputs) if (o) byOutput.set(o, n);
  for (const site of sites) {
    if (site.graphPath !== '' || !site.producer || !site.affine) continue;
    const prod = g.nodes[site.producer.nodeIndex];
    if (!prod) continue;
    const a = producerAffine(prod, constOf, model);
    if (!a) continue;
    const channelRank = prod.opType === 'Conv' || prod.opType === 'FusedConv' ? (constOf(prod.inputs[1])?.dims.length ?? 0) : 0;
    // Walk forward from the producer's output to the site's input along the traced path.
    let ok = true;
    if (site.kind !== 'fused-relu') {
      const chain: Node[] = [];
      let v = site.input;
      while (v !== prod.outputs[0]) {
        const n = byOutput.get(v);
        if (!n || chain.length > 64) { ok = false; break; }
        chain.push(n);
        v = n.opType === 'BatchNormalization' || n.opType === 'Identity' || n.opType === 'Dropout' ? n.inputs[0] : n.inputs.find((i) => !constOf(i)) ?? '';
      }
      for (let i = chain.length - 1; ok && i >= 0; i--) {
        const from = i === chain.length - 1 ? prod.outputs[0] : chain[i + 1].outputs[0];
        ok = fold(a, chain[i], from, constOf, model, channelRank);
      }
    }
    if (!ok) continue;
    const nonNeg = nonNegative(prod.inputs[0], byOutput, constOf, model);
    const units: number[] = [];
    const reasons: WeightDeadReason[] = [];
    for (let u = 0; u < a.units; u++) {
      let allZero = true;
      let allNonPos = true;
      for (let k = 0; k < a.K; k++) {
        const w = a.w[u * a.K + k];
        if (w !== 0) allZero = false;
        if (!(w <= 0)) allNonPos = false;
      }
      const margin = 8 * U32 * (a.steps + 1) * a.mag[u];
      if (!(a.b[u] + margin <= 0)) continue;
      if (allZero) { units.push(u); reasons.push('zero-weights'); } else if (allNonPos && nonNeg) { units.push(u); reasons.push('nonpositive'); }
    }
    out.set(site.id, { units, reasons, nonNegativeInput: nonNeg });
  }
  return out;
}

/** The `weightOnly` hook of analyze.ts: unit indices per site id. */
export function weightOnlyDeadUnits(model: Model, sites: ActivationSite[]): Map<string, number[]> {
  return new Map([...weightOnlyCheck(model, sites)].map(([id, c]) => [id, c.units]));
}
