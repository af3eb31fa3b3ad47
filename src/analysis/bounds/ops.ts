// Per-op transfer functions of bound propagation: which ops are supported and how each maps input
// boxes to output boxes. Monotone ops run the runtime's own OpDef on the lower and the upper side;
// ops that round are widened (interval.ts); anything else yields unknown outputs (never a wrong bound).
import { DataType } from '../../onnx/ir';
import { attrFloat, attrInt } from '../../onnx/attrs';
import { applyActivation, Activation } from '../../runtime/kernels/activation';
import { OpDef, RunContext } from '../../runtime/op';
import { ConvAttrs } from '../../runtime/ops/nn/conv-attrs';
import { GemmAttrs } from '../../runtime/ops/nn/gemm';
import { Tensor } from '../../runtime/tensor';
import { Box, ETA32, gamma, U32, widen } from '../interval';
import { convBounds, convTransposeBounds, gemmBounds, matMulBounds } from './linear';
import { boxOf, constArg, hullOf, isFloat, runF64, side, Value } from './values';

/** Exact ops non-decreasing in every input (data movement, max/min, ReLU, max pooling). */
const EXACT_UP = new Set(['Relu', 'Max', 'Min', 'Concat', 'Reshape', 'Flatten', 'Transpose', 'Squeeze', 'Unsqueeze', 'Identity',
  'Pad', 'Slice', 'Gather', 'Split', 'Expand', 'Tile', 'MaxPool', 'GlobalMaxPool', 'DepthToSpace', 'SpaceToDepth', 'Clip', 'Dropout',
  'ReduceMax', 'ReduceMin']);
/** Ops where any input may carry a box; for the rest of EXACT_UP only input 0 may. */
const MULTI = new Set(['Max', 'Min', 'Concat', 'Add', 'Sum']);
/** Rounding monotone-increasing ops and their relative / absolute widening. */
const ROUNDING_UP: Record<string, [number, number]> = {
  Add: [2 * U32, ETA32], Sum: [0, 0], Sigmoid: [8 * U32, 8 * U32], Tanh: [8 * U32, 8 * U32], LeakyRelu: [2 * U32, ETA32],
};
/** Ops monotone (either way per element) in their single bounded input, with one rounding. */
const ONE_SIDED = new Set(['Mul', 'Div', 'Sub', 'Neg']);
/** Ops whose outputs depend on shapes only. */
const SHAPE_ONLY = new Set(['Shape', 'Size']);

/** What evaluating one step gives: its output values and, for fused ReLU layers, the pre-activation box. */
export interface StepResult {
  outputs: Value[];
  pre?: Box;
}

const unknown = (n: number): StepResult => ({ outputs: new Array<Value>(n).fill(undefined) });

/** Runs a monotone op on the lower and upper sides (constants as float64) and returns output `k`'s box. */
function upDown(def: OpDef<unknown>, attrs: unknown, args: readonly Value[], ctx: RunContext, k: number, swapAt = -1): Box {
  const pick = (upper: boolean): Array<Tensor | undefined> => args.map((v, i) => {
    if (!v) return undefined;
    if (v.kind === 'const') return constArg(v);
    const high = i === swapAt ? !upper : upper;
    return side(v.box.shape, high ? v.box.hi : v.box.lo);
  });
  const ins = args.flatMap((v) => (v && v.kind === 'box' ? [v.box.lo, v.box.hi] : []));
  const lo = runF64(def, attrs, pick(false), ctx, k);
  const hi = runF64(def, attrs, pick(true), ctx, k);
  return boxOf(lo.shape, lo.data, hi.data, ins);
}

/** BatchNormalization at inference: y = x·k + sh per channel, k = scale/√(var+ε), as the runtime computes it. */
function batchNorm(args: readonly Value[], ctx: RunContext): Box | undefined {
  const x = args[0];
  if (!x || x.kind !== 'box' || x.box.shape.length < 2) return undefined;
  const p: Float64Array[] = [];
  for (let i = 1; i <= 4; i++) {
    const v = args[i];
    if (!v || v.kind !== 'const' || !isFloat(v.t.dtype)) return undefined;
    p.push(constArg(v).data as Float64Array);
  }
  if (ctx.opset >= 14 && attrInt(ctx.node, 'training_mode', 0) !== 0) return undefined;
  const epsA = ctx.node.attributes.find((a) => a.name === 'epsilon');
  const eps = epsA && (epsA.type === 'float' || epsA.type === 'int') ? epsA.value : 1e-5;
  const [scale, bias, mean, variance] = p;
  const shape = x.box.shape;
  const C = shape[1];
  if (p.some((a) => a.length !== C)) return undefined;
  const S = shape.slice(2).reduce((a, b) => a * b, 1);
  const n = x.box.lo.length;
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  for (let base = 0; base < n; base += C * S) {
    for (let c = 0; c < C; c++) {
      const k = scale[c] / Math.sqrt(variance[c] + eps);
      const sh = bias[c] - mean[c] * k;
      // x·k + sh in float64 then one float32 rounding: 4·u32 of the terms' magnitude dominates both.
      const mag = Math.abs(sh);
      for (let i = base + c * S, e = i + S; i < e; i++) {
        const a = x.box.lo[i] * k + sh;
        const b = x.box.hi[i] * k + sh;
        const slack = 4 * U32 * (Math.max(Math.abs(x.box.lo[i]), Math.abs(x.box.hi[i])) * Math.abs(k) + mag) + ETA32;
        lo[i] = Math.min(a, b) - slack;
        hi[i] = Math.max(a, b) + slack;
      }
    }
  }
  const out = { shape: shape.slice(), lo, hi };
  widen(out, 0, 0);
  return out;
}

/** Average pooling: monotone, widened by γ_{k+2}(u32) of the pooled magnitudes. */
function avgPool(def: OpDef<unknown>, attrs: unknown, args: readonly Value[], ctx: RunContext): Box | undefined {
  const x = args[0];
  if (!x || x.kind !== 'box') return undefined;
  const out = upDown(def, attrs, args, ctx, 0);
  const m = new Float64Array(x.box.lo.length);
  for (let i = 0; i < m.length; i++) m[i] = Math.max(Math.abs(x.box.lo[i]), Math.abs(x.box.hi[i]));
  const mag = runF64(def, attrs, [side(x.box.shape, m)], ctx).data;
  let k = x.box.shape.slice(2).reduce((a, b) => a * b, 1);
  if (ctx.node.opType === 'AveragePool') {
    const ks = ctx.node.attributes.find((a) => a.name === 'kernel_shape');
    if (ks && ks.type === 'ints') k = ks.value.reduce((a, b) => a * b, 1);
  }
  const g = gamma(k + 2, U32) + 4 * gamma(k + 2, 2 ** -53);
  for (let i = 0; i < out.lo.length; i++) {
    out.lo[i] -= g * mag[i] + ETA32;
    out.hi[i] += g * mag[i] + ETA32;
  }
  widen(out, 0, 0);
  return out;
}

/** A fused activation applied to a box (monotone kinds only). */
function fusedActivation(pre: Box, act: Activation): Box | undefined {
  const mono = act.kind === 'None' || act.kind === 'Relu' || act.kind === 'Tanh' || act.kind === 'Sigmoid' || act.kind === 'Clip'
    || ((act.kind === 'LeakyRelu' || act.kind === 'HardSigmoid') && act.alpha >= 0);
  if (!mono) return undefined;
  const lo = pre.lo.slice();
  const hi = pre.hi.slice();
  applyActivation(lo, lo.length, act);
  applyActivation(hi, hi.length, act);
  const out = { shape: pre.shape.slice(), lo, hi };
  if (act.kind !== 'None' && act.kind !== 'Relu' && act.kind !== 'Clip') widen(out, 8 * U32, 8 * U32);
  return out;
}

/** Adds a box or constant Z (FusedConv's fourth input) to a box of the same shape, with one rounding. */
function addSame(a: Box, z: Value): Box | undefined {
  if (!z) return a;
  const zl = z.kind === 'box' ? z.box.lo : (constArg(z).data as Float64Array);
  const zh = z.kind === 'box' ? z.box.hi : zl;
  if (zl.length !== a.lo.length) return undefined;
  const out = { shape: a.shape.slice(), lo: a.lo.map((v, i) => v + zl[i]), hi: a.hi.map((v, i) => v + zh[i]) };
  widen(out, 2 * U32, ETA32);
  return out;
}

/** Evaluates one planned step on abstract values. `def`/`attrs` are the planner's for this node. */
export function evalStep(def: OpDef<unknown>, attrs: unknown, args: readonly Value[], ctx: RunContext, nOut: number): StepResult {
  const op = ctx.node.domain === 'com.microsoft' ? `ms.${ctx.node.opType}` : ctx.node.domain === '' || ctx.node.domain === 'ai.onnx' ? ctx.node.opType : '';
  const boxes = args.filter((v) => v && v.kind === 'box').length;
  const single = (b: Box | undefined): StepResult => ({ outputs: [b ? { kind: 'box', box: b } : undefined, ...new Array<Value>(Math.max(0, nOut - 1)).fill(undefined)] });
  if (SHAPE_ONLY.has(op) && args[0]) {
    const x = args[0];
    const t: Tensor = x.kind === 'const' ? x.t : side(x.box.shape, x.box.lo);
    return { outputs: def.run([t], attrs, ctx).map((o) => ({ kind: 'const', t: o })) };
  }
  if (boxes === 0) return unknown(nOut);
  if (args.some((v) => v && v.kind === 'const' && v.t.dtype !== DataType.FLOAT && v.t.dtype !== DataType.DOUBLE && MULTI.has(op))) return unknown(nOut);
  switch (op) {
    case 'Conv': return single(convBounds(args, attrs as ConvAttrs, ctx));
    case 'ConvTranspose': return single(convTransposeBounds(def, args, attrs, ctx));
    case 'Gemm': return single(gemmBounds(args, attrs as GemmAttrs, ctx));
    case 'MatMul': return single(matMulBounds(def, args, attrs, ctx));
    case 'BatchNormalization': return nOut === 1 ? single(batchNorm(args, ctx)) : unknown(nOut);
    case 'AveragePool': case 'GlobalAveragePool': return single(avgPool(def, attrs, args, ctx));
    case 'ms.FusedConv': case 'ms.FusedGemm': {
      const a = attrs as ConvAttrs & GemmAttrs & { act: Activation };
      let pre = op === 'ms.FusedConv' ? convBounds(args, a, ctx) : gemmBounds(args, a, ctx);
      if (pre && op === 'ms.FusedConv') pre = addSame(pre, args[3]);
      if (!pre) return unknown(nOut);
      return { ...single(fusedActivation(pre, a.act)), pre };
    }
    case 'Cast': {
      const to = attrInt(ctx.node, 'to', 0);
      if (to !== DataType.FLOAT && to !== DataType.DOUBLE) return unknown(nOut);
      const x = args[0];
      if (!x || x.kind !== 'box') return unknown(nOut);
      const out = { shape: x.box.shape.slice(), lo: x.box.lo.slice(), hi: x.box.hi.slice() };
      widen(out, 2 * U32, ETA32);
      return single(out);
    }
    default: break;
  }
  if (!MULTI.has(op) && !ONE_SIDED.has(op) && args.some((v, i) => i > 0 && v && v.kind === 'box')) return unknown(nOut);
  if (EXACT_UP.has(op) || op in ROUNDING_UP) {
    if (op === 'LeakyRelu' && !(attrFloat(ctx.node, 'alpha', 0.01) >= 0)) return unknown(nOut);
    const outs: Value[] = [];
    const count = op === 'Split' ? nOut : 1;
    for (let k = 0; k < count; k++) {
      const b = upDown(def, attrs, args, ctx, k);
      const w = ROUNDING_UP[op];
      if (w) widen(b, op === 'Sum' ? 2 * args.length * U32 : w[0], op === 'Sum' ? ETA32 : w[1]);
      outs.push({ kind: 'box', box: b });
    }
    while (outs.length < nOut) outs.push(undefined);
    return { outputs: outs };
  }
  if (ONE_SIDED.has(op)) {
    if (op === 'Sub' && boxes === 2) {
      const b = upDown(def, attrs, args, ctx, 0, 1);
      widen(b, 2 * U32, ETA32);
      return single(b);
    }
    if (boxes !== 1 || (op === 'Div' && args[0]?.kind !== 'box')) return unknown(nOut);
    const lo = upDown(def, attrs, args, ctx, 0);
    const b = hullOf(lo.shape, lo.lo, lo.hi);
    widen(b, 2 * U32, ETA32);
    return single(b);
  }
  return unknown(nOut);
}
