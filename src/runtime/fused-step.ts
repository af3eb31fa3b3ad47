// The plan-internal op of a step fusion merged (fuse.ts): the head op's own kernel (Conv, Gemm,
// MatMul, Add), then an epilogue in place on its fresh output, block by block while each block is
// in cache: a per-channel scale and shift (BatchNormalization) or a bias along the last axis, a
// residual tensor added, an activation. Inputs of another dtype than planned, or a residual that
// broadcasts, make it run the absorbed nodes one by one through runNode, exactly as unfused.
import { DataType, Node } from '../onnx/ir';
import { Activation, applyActivation } from './kernels/activation';
import { clipMasksExact, reluF32InPlace } from './kernels/relu-f32';
import { OpDef, RunContext } from './op';
import { runNode } from './run-node';
import { makeTensor, Tensor } from './tensor';

type Floats = Float32Array | Float64Array;

/** What a fused step computes after its head op. */
export interface FusedAttrs {
  readonly head: OpDef<unknown>;
  readonly headAttrs: unknown;
  /** Inputs of the head replaced at plan time (folded weights and bias), by index. */
  readonly replace: ReadonlyArray<Tensor | undefined>;
  /** Per-channel (axis 1) y·scale + shift, as BatchNormalization computes it. */
  readonly channel?: { readonly scale: Float64Array; readonly shift: Float64Array };
  /** A bias added along the last axis (MatMul + Add). */
  readonly rowBias?: Floats;
  /** Index of the step input holding a residual added after the bias (the head's inputs come first). */
  readonly residual?: number;
  /** Index in `chain` of the residual Add. */
  readonly residualLink?: number;
  readonly act: Activation;
  /** The dtype the epilogue was planned for (undefined: any one float type shared by the inputs). */
  readonly dtype?: DataType;
  /** The absorbed nodes as they were, run one by one when the fused form does not apply. */
  readonly chain: readonly ChainLink[];
}

/** An absorbed node: its op and inputs (constants; the previous node's output at `from`; a step input at `extra`). */
export interface ChainLink {
  readonly def: OpDef<unknown>;
  readonly attrs: unknown;
  readonly node: Node;
  readonly opset: number;
  readonly inputs: ReadonlyArray<Tensor | undefined>;
  readonly from: number;
  readonly extra?: { readonly at: number; readonly input: number };
}

/** No activation. */
export const NONE: Activation = { kind: 'None', alpha: 0, beta: 0, gamma: 0 };

/** The fused step's op (never in the registry: only the planner makes these). */
export const fusedStep: OpDef<FusedAttrs> = {
  domain: 'ai.relu-doctor.plan', opType: 'Fused', since: 1,
  // Inputs reach the head op as they are; other dtypes than planned take the unfused path.
  lowPrecision: 'native',
  run(inputs, a, ctx: RunContext): Tensor[] {
    if (!plannedTypes(inputs, a.dtype)) return runChain(inputs, a, ctx, 0, undefined);
    const y = runHead(inputs, a, ctx, true);
    const d = y.data as Floats;
    const z = a.residual === undefined ? undefined : inputs[a.residual];
    if (z && !sameShape(z.shape, y.shape)) {
      // A residual that broadcasts: the epilogue up to the Add here, the rest node by node.
      epilogue(d, y.shape, a, undefined, NONE);
      return runChain(inputs, a, ctx, a.residualLink ?? 0, y);
    }
    epilogue(d, y.shape, a, z?.data as Floats | undefined, a.act);
    return [makeTensor(y.dtype, y.shape, d)];
  },
};

function runHead(inputs: ReadonlyArray<Tensor | undefined>, a: FusedAttrs, ctx: RunContext, fused: boolean): Tensor {
  const own = a.residual === undefined ? inputs : inputs.slice(0, a.residual);
  if (!fused) return runNode(a.head, a.headAttrs, own, ctx)[0];
  let args = own;
  if (a.replace.length) {
    const all: Array<Tensor | undefined> = [];
    for (let i = 0; i < Math.max(own.length, a.replace.length); i++) all.push(a.replace[i] ?? own[i]);
    args = all;
  }
  return a.head.run(args, a.headAttrs, ctx)[0];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** All inputs share one float type (the planned one, if any). */
function plannedTypes(inputs: ReadonlyArray<Tensor | undefined>, dtype: DataType | undefined): boolean {
  const dt = dtype ?? inputs[0]?.dtype;
  if (dt !== DataType.FLOAT && dt !== DataType.DOUBLE) return false;
  for (const t of inputs) if (t && t.dtype !== dt) return false;
  return true;
}

/** The unfused computation from chain link `start` on (from the head when `y` is undefined), through runNode. */
function runChain(inputs: ReadonlyArray<Tensor | undefined>, a: FusedAttrs, ctx: RunContext, start: number, y0: Tensor | undefined): Tensor[] {
  let y = y0 ?? runHead(inputs, a, ctx, false);
  for (let k = start; k < a.chain.length; k++) {
    const link = a.chain[k];
    const ins = link.inputs.slice();
    ins[link.from] = y;
    if (link.extra) ins[link.extra.at] = inputs[link.extra.input];
    y = runNode(link.def, link.attrs, ins, { ...ctx, node: link.node, opset: link.opset })[0];
  }
  return [y];
}

/** The activation on y[from..to). */
function activate(y: Floats, from: number, to: number, act: Activation): void {
  if (act.kind === 'None') return;
  if (act.kind === 'Relu' && y instanceof Float32Array) reluF32InPlace(y, from, to);
  else applyActivation(y.subarray(from, to), to - from, act);
}

function addBlock(y: Floats, z: Floats, from: number, to: number): void {
  for (let i = from; i < to; i++) y[i] += z[i];
}

// One loop, no data-dependent branch for the common case: v is rounded to float32 as the unfused
// nodes store it, then a finite non-zero v becomes v·(v > 0) + 0 (v, or +0 for negatives); ±0,
// −∞ and NaN take the exact Relu path (a branch that real data almost never takes).
const LOWEST = -Number.MAX_VALUE;

function affineRelu(y: Float32Array, from: number, to: number, k: number, sh: number): void {
  for (let i = from; i < to; i++) {
    const v = Math.fround(y[i] * k + sh);
    y[i] = v > LOWEST && v !== 0 ? v * +(v > 0) + 0 : v < 0 ? 0 : v;
  }
}

/** Scale/shift then Clip(lo, hi) with 0/1 masks (see kernels/relu-f32.ts clipF32InPlace), for clipMasksExact bounds. */
function affineClip(y: Float32Array, from: number, to: number, k: number, sh: number, lo: number, hi: number): void {
  for (let i = from; i < to; i++) {
    const v = Math.fround(y[i] * k + sh);
    if (v > -Infinity && v < Infinity && v !== 0) {
      const a = +(v < lo);
      const b = +(v > hi);
      y[i] = v * (1 - a - b) + lo * a + hi * b;
    } else y[i] = v < lo ? lo : v > hi ? hi : v;
  }
}

function affineAddRelu(y: Float32Array, z: Float32Array, from: number, to: number, k: number, sh: number): void {
  for (let i = from; i < to; i++) {
    const v = Math.fround(Math.fround(y[i] * k + sh) + z[i]);
    y[i] = v > LOWEST && v !== 0 ? v * +(v > 0) + 0 : v < 0 ? 0 : v;
  }
}

/** Scale/shift or bias, then the residual, then the activation, one cache-sized block at a time. */
function epilogue(y: Floats, shape: readonly number[], a: FusedAttrs, z: Floats | undefined, act: Activation): void {
  if (y.length === 0) return;
  const ch = a.channel;
  if (ch) {
    const C = shape[1];
    if (shape.length < 2 || C !== ch.scale.length) throw new Error(`output shape [${shape.join(',')}] does not have the ${ch.scale.length} channels of the fused BatchNormalization (internal error)`);
    let S = 1;
    for (let i = 2; i < shape.length; i++) S *= shape[i];
    const relu32 = act.kind === 'Relu' && y instanceof Float32Array;
    const clip32 = act.kind === 'Clip' && y instanceof Float32Array && !z && clipMasksExact(act.alpha, act.beta);
    for (let o = 0, c = 0; o < y.length; o += S, c = (c + 1) % C) {
      const k = ch.scale[c];
      const sh = ch.shift[c];
      if (relu32 && z) affineAddRelu(y as Float32Array, z as Float32Array, o, o + S, k, sh);
      else if (relu32) affineRelu(y as Float32Array, o, o + S, k, sh);
      else if (clip32) affineClip(y as Float32Array, o, o + S, k, sh, act.alpha, act.beta);
      else if (z && act.kind === 'None' && y instanceof Float32Array) {
        // As BatchNormalization then Add store it: the rounded scale/shift plus z.
        for (let i = o; i < o + S; i++) y[i] = Math.fround(y[i] * k + sh) + z[i];
      } else {
        for (let i = o; i < o + S; i++) y[i] = y[i] * k + sh;
        if (z) addBlock(y, z, o, o + S);
        activate(y, o, o + S, act);
      }
    }
    return;
  }
  const b = a.rowBias;
  if (!b && !z) {
    activate(y, 0, y.length, act);
    return;
  }
  const n = b ? b.length : 1;
  if (b && (n === 0 || shape.length === 0 || shape[shape.length - 1] !== n)) throw new Error(`output shape [${shape.join(',')}] does not end in the ${n} values of the fused Add bias (internal error)`);
  // Blocks of whole rows, about 4096 values each.
  const block = n * Math.max(1, Math.floor(4096 / n));
  for (let s = 0; s < y.length; s += block) {
    const e = Math.min(s + block, y.length);
    if (b) {
      for (let o = s; o < e; o += n) {
        for (let j = 0; j < n; j++) y[o + j] += b[j];
      }
    }
    if (z) addBlock(y, z, s, e);
    activate(y, s, e, act);
  }
}
