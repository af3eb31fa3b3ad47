// Proven-dead units by interval bound propagation (IBP): from a box of inputs (per element lo/hi),
// bounds on every intermediate tensor are pushed through the model's planned steps (bounds/ops.ts),
// each enclosing the executor's own float32 value (outward rounding, interval.ts). A unit whose
// pre-activation upper bound is ≤ 0 never fires for any input in the box. Unsupported ops make their
// outputs unknown, so downstream sites stay undecided: no claim is ever made without a bound.
import { DataType, Model, Node } from '../onnx/ir';
import { AbortError } from '../runtime/errors';
import { CancelSignal } from '../runtime/executor';
import { planModel } from '../runtime/plan';
import { getRegistry } from '../runtime/registry';
import { isLowPrecision } from '../runtime/run-node';
import { Tensor } from '../runtime/tensor';
import { Box, perUnit, sanitize } from './interval';
import { evalStep } from './bounds/ops';
import { boundsContext, Value } from './bounds/values';
import { feedInputs } from './samples';
import { ActivationSite } from './sites';

/** Per input: every element in [lo, hi]; scalars apply to every element. `shape` is the tensor propagated (batch included). */
export type InputBox = Record<string, { lo: Float32Array | Float64Array | number; hi: Float32Array | Float64Array | number; shape: number[] }>;

/** Bounds of one site's pre-activation, per unit (max / min over every position of the unit). */
export interface SiteBounds {
  /** Per unit: an upper bound of the executor's float32 pre-activation; ≤ 0 proves the unit dead. */
  upper: Float64Array;
  lower: Float64Array;
  /** False when the bounds could not be computed (unsupported op on the path, too large, ...). */
  decided: boolean;
  /** Why undecided. */
  reason?: string;
}

/** Limits of a propagation. */
export interface BoundsOptions {
  /** Largest tensor (elements) bounds are kept for; larger ones refuse (default 2^24). */
  maxElements?: number;
  /** Checked between nodes; when set, propagation throws an error named 'AbortError'. */
  signal?: CancelSignal;
}

/** Ops that must not be evaluated as constants (random draws). */
const NOT_CONSTANT = new Set(['RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'Multinomial', 'Bernoulli']);

function undecided(sites: readonly ActivationSite[], reason: string): Map<string, SiteBounds> {
  return new Map(sites.map((s) => [s.id, { upper: new Float64Array(0), lower: new Float64Array(0), decided: false, reason }]));
}

/** The box of one input as a float64 Box, or a reason it cannot be used. */
function inputBoxOf(name: string, e: InputBox[string], maxElements: number, batch: number | undefined): Box | string {
  const n = e.shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(n) || n > maxElements) return `input '${name}' box of ${n} elements is too large`;
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  const fill = (dst: Float64Array, v: InputBox[string]['lo']): boolean => {
    if (typeof v === 'number') { dst.fill(v); return true; }
    if (v.length !== n) return false;
    dst.set(v);
    return true;
  };
  if (!fill(lo, e.lo) || !fill(hi, e.hi)) return `input '${name}' box does not match its shape [${e.shape.join(',')}]`;
  for (let i = 0; i < n; i++) if (!(lo[i] <= hi[i])) return `input '${name}' box has lo > hi or NaN at element ${i}`;
  const box = { shape: e.shape.slice(), lo, hi };
  sanitize(box);
  if (batch === undefined || batch === e.shape[0] || e.shape[0] !== 1 || !(batch * n <= maxElements)) return box;
  // A one-sample box for a model whose batch dimension is fixed: every sample shares the box.
  const tile = (a: Float64Array): Float64Array => { const t = new Float64Array(batch * n); for (let k = 0; k < batch; k++) t.set(a, k * n); return t; };
  return { shape: [batch, ...e.shape.slice(1)], lo: tile(box.lo), hi: tile(box.hi) };
}

/**
 * Propagates the input box through the main graph and returns, per site id, per-unit bounds of its
 * pre-activation (for fused FusedConv/FusedGemm sites: of the linear part before the activation).
 * Sites in subgraphs or functions, and sites behind unsupported ops, come back undecided.
 */
export function propagateBounds(model: Model, box: InputBox, sites: readonly ActivationSite[], opts: BoundsOptions = {}): Map<string, SiteBounds> {
  const maxElements = opts.maxElements ?? 2 ** 24;
  const lowp = [...model.graph.initializers.map((t) => t.dataType), ...model.graph.inputs.map((v) => (v.type?.kind === 'tensor' ? v.type.elemType : DataType.FLOAT))].some(isLowPrecision);
  if (lowp) return undecided(sites, 'float16/bfloat16/float8 models are not bounded (their rounding is not modelled)');
  let plan: ReturnType<typeof planModel>;
  try {
    plan = planModel(model, { registry: getRegistry(), constantFolding: true, context: (node, _i, opset) => boundsContext(node, opset, maxElements) });
  } catch (err) {
    return undecided(sites, `the model cannot be planned: ${(err as Error).message}`);
  }
  const result = undecided(sites, 'an unsupported op or an unbounded value lies on the path to this site');
  const byNode = new Map<Node, ActivationSite[]>();
  for (const s of sites) {
    if (s.graphPath !== '') { result.get(s.id)!.reason = 'inside a subgraph or function: not bounded'; continue; }
    const n = model.graph.nodes[s.nodeIndex];
    if (!n) continue;
    byNode.set(n, [...(byNode.get(n) ?? []), s]);
  }
  const record = (site: ActivationSite, b: Box | undefined): void => {
    if (!b) return;
    const u = perUnit(b, site.unitAxis);
    if (!u) { result.get(site.id)!.reason = `unit axis ${site.unitAxis} does not exist in the bounded shape [${b.shape.join(',')}]`; return; }
    result.set(site.id, { upper: u.upper, lower: u.lower, decided: true });
  };

  const env = new Array<Value>(plan.slotCount);
  for (const [slot, t] of plan.constants) env[slot] = { kind: 'const', t };
  const fed = new Set(feedInputs(model).map((v) => v.name));
  for (const inp of plan.inputs) {
    const e = Object.prototype.hasOwnProperty.call(box, inp.name) ? box[inp.name] : undefined;
    if (e) {
      const t = inp.info.type;
      const d0 = t?.kind === 'tensor' && t.shape && typeof t.shape[0] === 'number' ? t.shape[0] : undefined;
      const b = inputBoxOf(inp.name, e, maxElements, d0);
      if (typeof b === 'string') return undecided(sites, b);
      env[inp.slot] = { kind: 'box', box: b };
    } else if (inp.initializer && !fed.has(inp.name)) env[inp.slot] = { kind: 'const', t: inp.initializer };
  }

  for (const step of plan.steps) {
    if (opts.signal?.aborted) throw new AbortError('bound propagation cancelled');
    const args = step.inputs.map((s) => (s >= 0 ? env[s] : undefined));
    const here = byNode.get(step.node);
    if (here) {
      for (const site of here) {
        const v = site.kind === 'fused-relu' ? undefined : args[site.inputIndex];
        if (v?.kind === 'box') record(site, v.box);
        else if (v?.kind === 'const') record(site, constBox(v.t));
      }
    }
    const ctx = boundsContext(step.node, step.opset, maxElements);
    let outs: Value[] = step.outputs.map(() => undefined);
    const missing = step.inputs.some((s, i) => s >= 0 && args[i] === undefined);
    if (!missing && step.subgraphs.size === 0) {
      try {
        if (args.every((v) => !v || v.kind === 'const') && !NOT_CONSTANT.has(step.node.opType)) {
          outs = step.def.run(args.map((v) => (v as { t: Tensor } | undefined)?.t), step.attrs, ctx).map((t) => ({ kind: 'const', t }));
        } else {
          const r = evalStep(step.def, step.attrs, args, ctx, step.outputs.length);
          outs = r.outputs;
          if (here && r.pre) for (const site of here) if (site.kind === 'fused-relu') record(site, r.pre);
        }
      } catch {
        outs = step.outputs.map(() => undefined);
      }
    }
    step.outputs.forEach((s, i) => { if (s >= 0) env[s] = outs[i]; });
    for (const s of step.release) env[s] = undefined;
  }
  return result;
}

/** A constant tensor as a degenerate box (float data only). */
function constBox(t: Tensor): Box | undefined {
  if (t.dtype !== DataType.FLOAT && t.dtype !== DataType.DOUBLE) return undefined;
  const d = Float64Array.from(t.data as ArrayLike<number>);
  return { shape: t.shape.slice(), lo: d, hi: d };
}

/** An InputBox with every element of every fed float input in [lo, hi] (symbolic dims taken as 1). */
export function uniformBox(model: Model, lo: number, hi: number, dims: Record<string, number> = {}): InputBox {
  const box: InputBox = {};
  for (const v of feedInputs(model)) {
    const t = v.type;
    if (!t || t.kind !== 'tensor' || (t.elemType !== DataType.FLOAT && t.elemType !== DataType.DOUBLE) || !t.shape) continue;
    box[v.name] = { lo, hi, shape: t.shape.map((d) => (typeof d === 'number' ? d : typeof d === 'string' && dims[d] !== undefined ? dims[d] : 1)) };
  }
  return box;
}

/** Running per-element min/max over the samples of each input (axis 0 is the batch): the default box. */
export interface BoxAccumulator {
  /** Folds one batch of feeds in. */
  add(feeds: Record<string, Tensor>): void;
  /** The box seen so far, shaped [1, ...per-sample]. */
  box(): InputBox;
}

/** A BoxAccumulator (O(per-sample elements) memory per input). */
export function createBoxAccumulator(): BoxAccumulator {
  const acc = new Map<string, { lo: Float64Array; hi: Float64Array; shape: number[] }>();
  return {
    add(feeds) {
      for (const [name, t] of Object.entries(feeds)) {
        if ((t.dtype !== DataType.FLOAT && t.dtype !== DataType.DOUBLE) || t.shape.length === 0) continue;
        const per = t.shape.slice(1);
        const n = per.reduce((a, b) => a * b, 1);
        let a = acc.get(name);
        if (a && a.shape.join(',') !== per.join(',')) { acc.delete(name); continue; }
        if (!a) acc.set(name, (a = { lo: new Float64Array(n).fill(Infinity), hi: new Float64Array(n).fill(-Infinity), shape: per }));
        const d = t.data as Float32Array | Float64Array;
        for (let s = 0; s < t.shape[0]; s++) {
          for (let i = 0, o = s * n; i < n; i++, o++) {
            const v = d[o];
            if (v < a.lo[i]) a.lo[i] = v;
            if (v > a.hi[i]) a.hi[i] = v;
            if (v !== v) { a.lo[i] = -Infinity; a.hi[i] = Infinity; }
          }
        }
      }
    },
    box() {
      const out: InputBox = {};
      for (const [name, a] of acc) if (a.lo.every((v, i) => v <= a.hi[i])) out[name] = { lo: a.lo, hi: a.hi, shape: [1, ...a.shape] };
      return out;
    },
  };
}

/**
 * The `proveSites` hook of analyze.ts: bounds over the explicit box when given, else over `seen`
 * (the samples' per-element box, when the caller collected one).
 */
export function proveSites(model: Model, sites: ActivationSite[], box: [number, number] | undefined, seen?: InputBox): Map<string, SiteBounds> {
  const b = box ? uniformBox(model, box[0], box[1]) : seen;
  if (!b || Object.keys(b).length === 0) return undecided(sites, 'no input box');
  return propagateBounds(model, b, sites);
}
