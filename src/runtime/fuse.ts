// Plan-time fusion: merges chains of planned steps into one step (fused-step.ts) when nobody needs
// the values in between. Chains: Conv (constant float32/float64 weights) → BatchNormalization
// (inference, constant parameters) → Add of a residual computed at run time → Relu / LeakyRelu /
// Clip (constant bounds), each link optional; Gemm or MatMul (constant weights) → the same, MatMul
// also through an Add of a constant [N] bias; Add → an activation. A fused step runs where its last
// node ran. Inputs of another dtype than planned (float16, integers, mismatched weights) or a
// residual that broadcasts make the step run its nodes one by one, exactly as unfused.
// BatchNormalization becomes a per-channel scale and shift applied to each conv output block (with
// the residual and the activation) while it is in cache: the same arithmetic as its kernel, so
// results are bit-identical to an unfused run and the model's weights stay shared. With `foldWeights: true` it is folded instead into new
// weights w·γ/√(var+ε) and bias (b−mean)·γ/√(var+ε)+β computed once here (the model's
// initializers are never written: they may be views of a shared file); measured on ResNet-50 that
// is no faster (the activation pass remains) and costs a second copy of the conv weights (+96 MiB)
// and 90 ms of planning, hence not the default.
//
// What stays visible: a value in the keep set, a graph output, or a value read by more than its one
// consumer is never fused away, so every node that reads a kept value still runs and is reported
// to observers with it. A fused step itself is not reported (its nodes' in-between values do not
// exist). Only main-graph nodes that do not come from a model-local function are fused.
//
// Default: fusion is OFF in createSession (an observer given at run time may watch any node, which
// plan time cannot know). It is ON for the CLI `run`, the bench's timed runs (empty keep set) and the
// analysis (its sites' observed values kept).
import { DataType } from '../onnx/ir';
import { ChainLink, FusedAttrs, fusedStep, NONE } from './fused-step';
import { Activation } from './kernels/activation';
import { inlinedFrom } from './inline';
import { OpDef } from './op';
import type { Step } from './plan';
import { makeTensor, Tensor } from './tensor';

/** Which values plan-time fusion must leave visible, and how BatchNormalization is folded. */
export interface FusionOptions {
  /** Value names (main graph) never fused away: nodes that read them keep running and being reported. */
  readonly keep?: ReadonlySet<string> | readonly string[];
  /** Fold BatchNormalization into new conv weights (default false: an exact per-channel scale and shift, no weight copies). */
  readonly foldWeights?: boolean;
}

type PlainStep = Omit<Step, 'release'>;

/** Everything the pass reads from the planner. */
export interface FuseInput {
  readonly steps: readonly PlainStep[];
  readonly constants: ReadonlyMap<number, Tensor>;
  readonly slotNames: readonly string[];
  readonly outputSlots: readonly number[];
}

/** Merges fusable chains of `steps` (in order); steps not fused come back unchanged. */
export function fuseSteps(input: FuseInput, options: FusionOptions): PlainStep[] {
  const { steps, constants, slotNames } = input;
  const keepNames = new Set(options.keep ?? []);
  const readers = new Map<number, number[]>();
  const pinned = new Set<number>(input.outputSlots);
  slotNames.forEach((n, s) => { if (keepNames.has(n)) pinned.add(s); });
  steps.forEach((s, i) => {
    const add = (slot: number): void => {
      if (slot < 0) return;
      const r = readers.get(slot);
      if (r) r.push(i); else readers.set(slot, [i]);
    };
    s.inputs.forEach(add);
    for (const sub of s.subgraphs.values()) sub.outerSlots.forEach(add);
  });
  const absorbed = new Set<PlainStep>();
  /** The one step reading `slot` (once) and not fused yet, if the value may disappear. */
  const soleReader = (slot: number): PlainStep | undefined => {
    if (slot < 0 || pinned.has(slot)) return undefined;
    const r = readers.get(slot);
    if (!r || r.length !== 1) return undefined;
    const s = steps[r[0]];
    return fusable(s) && !absorbed.has(s) ? s : undefined;
  };
  // A fused step takes the place of its last node: a residual it adds may be computed after its head.
  const atTail = new Map<PlainStep, PlainStep>();
  for (const head of steps) {
    if (absorbed.has(head) || !fusable(head)) continue;
    const f = fuseFrom(head, soleReader, constants, options.foldWeights === true);
    if (!f) continue;
    absorbed.add(head);
    for (const s of f.absorbed) absorbed.add(s);
    atTail.set(f.absorbed[f.absorbed.length - 1], f.step);
  }
  const out: PlainStep[] = [];
  for (const s of steps) {
    if (!absorbed.has(s)) out.push(s);
    else {
      const fused = atTail.get(s);
      if (fused) out.push(fused);
    }
  }
  return out;
}

/** Standard-domain nodes of the main graph, not from a function, with no subgraphs. */
function fusable(s: PlainStep): boolean {
  return (s.node.domain === '' || s.node.domain === 'ai.onnx') && s.def.domain === '' && s.subgraphs.size === 0 && !inlinedFrom(s.node);
}

const isFloat = (t: Tensor | undefined): t is Tensor => t !== undefined && (t.dtype === DataType.FLOAT || t.dtype === DataType.DOUBLE);

function fuseFrom(
  head: PlainStep, soleReader: (slot: number) => PlainStep | undefined, constants: ReadonlyMap<number, Tensor>, foldWeights: boolean,
): { step: PlainStep; absorbed: PlainStep[] } | undefined {
  const op = head.def.opType;
  if (op !== 'Conv' && op !== 'Gemm' && op !== 'MatMul' && op !== 'Add') return undefined;
  if (head.outputs.length !== 1 || head.outputs[0] < 0) return undefined;
  // Add (e.g. a residual sum before its Relu) takes only an activation; its dtype shows at run time.
  const W = op === 'Add' ? undefined : constants.get(head.inputs[1] ?? -1);
  if (op !== 'Add' && !isFloat(W)) return undefined;
  let dtype = W?.dtype;
  const absorbed: PlainStep[] = [];
  const replace: Array<Tensor | undefined> = [];
  let channel: FusedAttrs['channel'];
  let bias: FusedAttrs['rowBias'];
  let cur = head.outputs[0];
  let next = soleReader(cur);
  if (next && W && dtype !== undefined && op === 'Conv' && W.shape.length >= 3) {
    const bn = batchNorm(next, cur, constants, dtype, W.shape[0]);
    if (bn) {
      const B = head.inputs[2] !== undefined && head.inputs[2] >= 0 ? constants.get(head.inputs[2]) : undefined;
      const biasOk = head.inputs[2] === undefined || head.inputs[2] < 0 || (isFloat(B) && B.dtype === dtype && B.data.length === W.shape[0]);
      if (biasOk) {
        if (foldWeights) {
          replace[1] = scaledWeights(W, bn.scale);
          replace[2] = foldedBias(dtype, B, bn.scale, bn.shift);
        } else channel = bn;
        absorbed.push(next);
        cur = next.outputs[0];
        next = soleReader(cur);
      }
    }
  } else if (next && W && dtype !== undefined && op === 'MatMul' && W.shape.length >= 2) {
    const b = addBias(next, cur, constants, dtype, W.shape[W.shape.length - 1]);
    if (b) {
      bias = b;
      absorbed.push(next);
      cur = next.outputs[0];
      next = soleReader(cur);
    }
  }
  let residual: { slot: number; at: number } | undefined;
  if (next && op !== 'Add') {
    residual = residualAdd(next, cur, constants);
    if (residual) {
      absorbed.push(next);
      cur = next.outputs[0];
      next = soleReader(cur);
    }
  }
  const act = next ? activation(next, cur, constants, dtype) : undefined;
  if (next && act) {
    absorbed.push(next);
    dtype ??= act.dtype;
  }
  if (!absorbed.length) return undefined;
  const tail = absorbed[absorbed.length - 1];
  let prev = head.outputs[0];
  const residualInput = head.inputs.length;
  let residualLink: number | undefined;
  const chain = absorbed.map((s, k): ChainLink => {
    const from = s.inputs.indexOf(prev);
    const inputs = s.inputs.map((i) => (i >= 0 ? constants.get(i) : undefined));
    prev = s.outputs[0];
    if (residual && s.inputs.length === 2 && s.inputs[residual.at] === residual.slot && s.def.opType === 'Add' && from === 1 - residual.at) {
      residualLink = k;
      return { def: s.def, attrs: s.attrs, node: s.node, opset: s.opset, inputs, from, extra: { at: residual.at, input: residualInput } };
    }
    return { def: s.def, attrs: s.attrs, node: s.node, opset: s.opset, inputs, from };
  });
  const attrs: FusedAttrs = {
    head: head.def, headAttrs: head.attrs, replace, channel, rowBias: bias, act: act?.act ?? NONE, dtype, chain,
    ...(residual ? { residual: residualInput, residualLink } : {}),
  };
  const step: PlainStep = {
    ...head, def: fusedStep as OpDef<unknown>, attrs, inputs: residual ? [...head.inputs, residual.slot] : head.inputs,
    outputs: [tail.outputs[0]], fused: [head.node, ...absorbed.map((s) => s.node)],
  };
  return { step, absorbed };
}

/** Inference BatchNormalization reading `slot` as X with constant parameters: its per-channel k and shift. */
function batchNorm(s: PlainStep, slot: number, constants: ReadonlyMap<number, Tensor>, dtype: DataType, C: number): { scale: Float64Array; shift: Float64Array } | undefined {
  if (s.def.opType !== 'BatchNormalization' || s.inputs[0] !== slot || s.inputs.length !== 5) return undefined;
  if (s.outputs.some((o, i) => i > 0 && o >= 0) || s.outputs[0] < 0) return undefined;
  const a = s.attrs as { epsilon?: unknown; training?: unknown } | undefined;
  if (!a || typeof a.epsilon !== 'number' || a.training !== false) return undefined;
  const p = s.inputs.slice(1).map((i) => constants.get(i));
  if (!p.every((t): t is Tensor => isFloat(t) && t.data.length === C)) return undefined;
  if (p[0].dtype !== dtype || p[1].dtype !== dtype) return undefined;
  const [gamma, beta, mean, variance] = p.map((t) => t.data as Float32Array | Float64Array);
  const scale = new Float64Array(C);
  const shift = new Float64Array(C);
  // The same arithmetic as the BatchNormalization kernel, so the unfolded form is bit-identical.
  for (let c = 0; c < C; c++) {
    const k = gamma[c] / Math.sqrt(variance[c] + a.epsilon);
    scale[c] = k;
    shift[c] = beta[c] - mean[c] * k;
  }
  return { scale, shift };
}

/** Add(slot, b) or Add(b, slot) with a constant 1-D bias of n values (opset 7+ broadcasting). */
function addBias(s: PlainStep, slot: number, constants: ReadonlyMap<number, Tensor>, dtype: DataType, n: number): Float32Array | Float64Array | undefined {
  if (s.def.opType !== 'Add' || s.opset < 7 || s.inputs.length !== 2 || s.outputs[0] < 0) return undefined;
  const k = s.inputs.indexOf(slot);
  if (k < 0 || s.inputs[1 - k] === slot) return undefined;
  const b = constants.get(s.inputs[1 - k]);
  if (!isFloat(b) || b.dtype !== dtype || b.shape.length !== 1 || b.shape[0] !== n) return undefined;
  return b.data as Float32Array | Float64Array;
}

/** Add(slot, r) or Add(r, slot) with r computed at run time (a residual): r's slot and position. */
function residualAdd(s: PlainStep, slot: number, constants: ReadonlyMap<number, Tensor>): { slot: number; at: number } | undefined {
  if (s.def.opType !== 'Add' || s.opset < 7 || s.inputs.length !== 2 || s.outputs.length !== 1 || s.outputs[0] < 0) return undefined;
  const k = s.inputs.indexOf(slot);
  const other = s.inputs[1 - k];
  if (k < 0 || other === slot || other < 0 || constants.has(other)) return undefined;
  return { slot: other, at: 1 - k };
}

const FLT_MAX = 3.4028234663852886e38;

/**
 * Relu, LeakyRelu, or Clip with constant bounds (min ≤ max) reading `slot` as its input 0; with the
 * dtype the bounds fix when the head's dtype is not known at plan time.
 */
function activation(s: PlainStep, slot: number, constants: ReadonlyMap<number, Tensor>, dtype: DataType | undefined): { act: Activation; dtype?: DataType } | undefined {
  if (s.inputs[0] !== slot || s.outputs.length !== 1 || s.outputs[0] < 0) return undefined;
  switch (s.def.opType) {
    case 'Relu': return { act: { kind: 'Relu', alpha: 0, beta: 0, gamma: 0 } };
    case 'LeakyRelu': return typeof s.attrs === 'number' ? { act: { kind: 'LeakyRelu', alpha: s.attrs, beta: 0, gamma: 0 } } : undefined;
    case 'Clip': {
      let lo: number;
      let hi: number;
      let dt = dtype;
      if (s.opset < 11) {
        const a = s.attrs as { min?: unknown; max?: unknown };
        if (typeof a.min !== 'number' || typeof a.max !== 'number' || s.inputs.length !== 1) return undefined;
        lo = a.min;
        hi = a.max;
      } else {
        const bounds = [s.inputs[1], s.inputs[2]].map((i) => (i === undefined || i < 0 ? undefined : constants.get(i) ?? null));
        if (bounds.includes(null)) return undefined; // a bound computed at run time
        for (const t of bounds) {
          if (!t) continue;
          if (!isFloat(t) || t.data.length !== 1 || (dt !== undefined && t.dtype !== dt)) return undefined;
          dt = t.dtype;
        }
        if (dt === undefined) return undefined;
        const limit = dt === DataType.FLOAT ? FLT_MAX : Number.MAX_VALUE;
        lo = bounds[0] ? (bounds[0].data[0] as number) : -limit;
        hi = bounds[1] ? (bounds[1].data[0] as number) : limit;
      }
      return lo <= hi ? { act: { kind: 'Clip', alpha: lo, beta: hi, gamma: 0 }, dtype: dt } : undefined;
    }
    default: return undefined;
  }
}

/** W·scale per output channel, in new storage of W's dtype. */
function scaledWeights(W: Tensor, scale: Float64Array): Tensor {
  const w = W.data as Float32Array | Float64Array;
  const out = W.dtype === DataType.FLOAT ? new Float32Array(w.length) : new Float64Array(w.length);
  const M = W.shape[0];
  const per = w.length / M;
  for (let m = 0; m < M; m++) {
    const k = scale[m];
    for (let i = m * per; i < (m + 1) * per; i++) out[i] = w[i] * k;
  }
  return makeTensor(W.dtype, W.shape, out);
}

/** b·scale + shift per channel (b = 0 when the conv has no bias), in new storage. */
function foldedBias(dtype: DataType, B: Tensor | undefined, scale: Float64Array, shift: Float64Array): Tensor {
  const C = scale.length;
  const out = dtype === DataType.FLOAT ? new Float32Array(C) : new Float64Array(C);
  const b = B?.data as Float32Array | Float64Array | undefined;
  for (let c = 0; c < C; c++) out[c] = (b ? b[c] : 0) * scale[c] + shift[c];
  return makeTensor(dtype, [C], out);
}
