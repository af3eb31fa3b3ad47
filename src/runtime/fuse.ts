// Plan-time fusion: merges chains of planned steps into one step when nobody needs the values in
// between. Chains: Conv (constant float32/float64 weights) → BatchNormalization (inference, constant
// parameters) → Relu / LeakyRelu / Clip (constant bounds); Gemm or MatMul (constant weights) →
// the same activations, MatMul also through an Add of a constant [N] bias; Add (a residual sum) →
// the same activations. Inputs of another dtype than planned (float16, integers, mismatched
// weights) make the step run its nodes one by one, exactly as unfused. BatchNormalization becomes
// a per-channel scale and shift applied to each conv output block (with the activation) while it
// is in cache: the same arithmetic as its kernel, so results are bit-identical to an unfused run
// and the model's weights stay shared. With `foldWeights: true` it is folded instead into new
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
import { DataType, Node } from '../onnx/ir';
import { Activation, applyActivation } from './kernels/activation';
import { reluF32InPlace } from './kernels/relu-f32';
import { inlinedFrom } from './inline';
import { OpDef, RunContext } from './op';
import { runNode } from './run-node';
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

/** What a fused step computes after its head op. */
interface FusedAttrs {
  readonly head: OpDef<unknown>;
  readonly headAttrs: unknown;
  /** Inputs of the head replaced at plan time (folded weights and bias), by index. */
  readonly replace: ReadonlyArray<Tensor | undefined>;
  /** Per-channel (axis 1) y·scale + shift, as BatchNormalization computes it. */
  readonly channel?: { readonly scale: Float64Array; readonly shift: Float64Array };
  /** A bias added along the last axis (MatMul + Add). */
  readonly rowBias?: Float32Array | Float64Array;
  readonly act: Activation;
  /** The dtype the epilogue was planned for (undefined: any one float type shared by the inputs). */
  readonly dtype?: DataType;
  /** The absorbed nodes as they were, run one by one when the inputs are not of the planned dtype. */
  readonly chain: readonly ChainLink[];
}

/** An absorbed node: its op, and its inputs (constants, with the previous node's output at `from`). */
interface ChainLink {
  readonly def: OpDef<unknown>;
  readonly attrs: unknown;
  readonly node: Node;
  readonly opset: number;
  readonly inputs: ReadonlyArray<Tensor | undefined>;
  readonly from: number;
}

const NONE: Activation = { kind: 'None', alpha: 0, beta: 0, gamma: 0 };

/** The plan-internal op of a fused step: the head op's kernel, then its epilogue in place. */
const fusedStep: OpDef<FusedAttrs> = {
  domain: 'ai.relu-doctor.plan', opType: 'Fused', since: 1,
  // Fused only for float32/float64 weights; inputs of other dtypes reach the head op as they are.
  lowPrecision: 'native',
  run(inputs, a, ctx: RunContext): Tensor[] {
    if (!plannedTypes(inputs, a.dtype)) return runChain(inputs, a, ctx);
    let args = inputs;
    if (a.replace.length) {
      const all: Array<Tensor | undefined> = [];
      for (let i = 0; i < Math.max(inputs.length, a.replace.length); i++) all.push(a.replace[i] ?? inputs[i]);
      args = all;
    }
    const outs = a.head.run(args, a.headAttrs, ctx);
    const y = outs[0];
    const d = y.data as Float32Array | Float64Array;
    // Each epilogue applies the activation block by block, while the block is still in cache.
    if (a.channel) channelAffine(d, y.shape, a.channel.scale, a.channel.shift, a.act);
    else if (a.rowBias) rowBias(d, y.shape, a.rowBias, a.act);
    else applyActivation(d, d.length, a.act);
    return [makeTensor(y.dtype, y.shape, d), ...outs.slice(1)];
  },
};

/** All inputs share one float type (the planned one, if any). */
function plannedTypes(inputs: ReadonlyArray<Tensor | undefined>, dtype: DataType | undefined): boolean {
  const dt = dtype ?? inputs[0]?.dtype;
  if (dt !== DataType.FLOAT && dt !== DataType.DOUBLE) return false;
  for (const t of inputs) if (t && t.dtype !== dt) return false;
  return true;
}

/** The unfused computation: the head and each absorbed node through runNode (dtype widening, checks). */
function runChain(inputs: ReadonlyArray<Tensor | undefined>, a: FusedAttrs, ctx: RunContext): Tensor[] {
  let y = runNode(a.head, a.headAttrs, inputs, ctx)[0];
  for (const link of a.chain) {
    const ins = link.inputs.slice();
    ins[link.from] = y;
    y = runNode(link.def, link.attrs, ins, { ...ctx, node: link.node, opset: link.opset })[0];
  }
  return [y];
}

function channelAffine(y: Float32Array | Float64Array, shape: readonly number[], k: Float64Array, sh: Float64Array, act: Activation): void {
  const N = shape[0];
  const C = shape[1];
  if (shape.length < 2 || C !== k.length) throw new Error(`output shape [${shape.join(',')}] does not have the ${k.length} channels of the fused BatchNormalization (internal error)`);
  let S = 1;
  for (let i = 2; i < shape.length; i++) S *= shape[i];
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const kc = k[c];
      const sc = sh[c];
      const o = (n * C + c) * S;
      for (let i = o; i < o + S; i++) y[i] = y[i] * kc + sc;
      if (act.kind === 'Relu' && y instanceof Float32Array) reluF32InPlace(y, o, o + S);
      else if (act.kind !== 'None') applyActivation(y.subarray(o, o + S), S, act);
    }
  }
}

function rowBias(y: Float32Array | Float64Array, shape: readonly number[], b: Float32Array | Float64Array, act: Activation): void {
  const n = b.length;
  if (n === 0) return;
  if (shape.length === 0 || shape[shape.length - 1] !== n) throw new Error(`output shape [${shape.join(',')}] does not end in the ${n} values of the fused Add bias (internal error)`);
  // Blocks of whole rows, about 4096 values each.
  const block = n * Math.max(1, Math.floor(4096 / n));
  for (let s = 0; s < y.length; s += block) {
    const e = Math.min(s + block, y.length);
    for (let o = s; o < e; o += n) {
      for (let j = 0; j < n; j++) y[o + j] += b[j];
    }
    if (act.kind !== 'None') applyActivation(y.subarray(s, e), e - s, act);
  }
}

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
  /** The one step reading `slot` (once), if the value may disappear. */
  const soleReader = (slot: number): PlainStep | undefined => {
    if (slot < 0 || pinned.has(slot)) return undefined;
    const r = readers.get(slot);
    if (!r || r.length !== 1) return undefined;
    const s = steps[r[0]];
    return fusable(s) ? s : undefined;
  };
  const absorbed = new Set<PlainStep>();
  const out: PlainStep[] = [];
  for (const head of steps) {
    if (absorbed.has(head)) continue;
    const f = fusable(head) ? fuseFrom(head, soleReader, constants, options.foldWeights === true) : undefined;
    if (!f) { out.push(head); continue; }
    for (const s of f.absorbed) absorbed.add(s);
    out.push(f.step);
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
  const act = next ? activation(next, cur, constants, dtype) : undefined;
  if (next && act) {
    absorbed.push(next);
    dtype ??= act.dtype;
  }
  if (!absorbed.length) return undefined;
  const tail = absorbed[absorbed.length - 1];
  let prev = head.outputs[0];
  const chain = absorbed.map((s): ChainLink => {
    const link = { def: s.def, attrs: s.attrs, node: s.node, opset: s.opset, inputs: s.inputs.map((i) => (i >= 0 ? constants.get(i) : undefined)), from: s.inputs.indexOf(prev) };
    prev = s.outputs[0];
    return link;
  });
  const attrs: FusedAttrs = { head: head.def, headAttrs: head.attrs, replace, channel, rowBias: bias, act: act?.act ?? NONE, dtype, chain };
  const step: PlainStep = {
    ...head, def: fusedStep as OpDef<unknown>, attrs, outputs: [tail.outputs[0]], fused: [head.node, ...absorbed.map((s) => s.node)],
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
