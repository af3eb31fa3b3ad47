// Interval bounds through the linear layers (Conv, ConvTranspose, Gemm, MatMul and the fused
// forms' linear part) in centre/radius form: y ∈ W·c + b ± (|W|·r + margin). Each is three runs of
// the runtime's own kernels in float64: W·c + b, |W|·r and |W|·(|c| + r) + |b| (the magnitude the
// rounding margin scales with; see interval.ts for the bound).
import { OpDef, RunContext } from '../../runtime/op';
import { runConv } from '../../runtime/ops/nn/conv';
import { GemmAttrs, runGemm } from '../../runtime/ops/nn/gemm';
import { ConvAttrs } from '../../runtime/ops/nn/conv-attrs';
import { Tensor } from '../../runtime/tensor';
import { DataType } from '../../onnx/ir';
import { Box, centreRadius, centreRadius32, dotAbsolute, dotMargin, dotMargin32, F32_SAFE_MAX } from '../interval';
import { absArg, constArg, Value } from './values';

/** Combines centre C, radius R and magnitude A of an n-term dot product into an outward-rounded box. */
function assemble(shape: readonly number[], C: ArrayLike<number>, R: ArrayLike<number>, A: ArrayLike<number>, n: number, f32: boolean): Box {
  const f = f32 ? dotMargin32(n) : dotMargin(n);
  const abs = (f32 ? 3 : 1) * dotAbsolute(n);
  const lo = new Float64Array(C.length);
  const hi = new Float64Array(C.length);
  for (let i = 0; i < C.length; i++) {
    const slack = Math.abs(R[i]) + (f * Math.abs(A[i]) + abs);
    const l = C[i] - slack;
    const h = C[i] + slack;
    lo[i] = l > -F32_SAFE_MAX && l < F32_SAFE_MAX ? l : -Infinity;
    hi[i] = h > -F32_SAFE_MAX && h < F32_SAFE_MAX ? h : Infinity;
  }
  return { shape: shape.slice(), lo, hi };
}

type Run = (inputs: ReadonlyArray<Tensor | undefined>, variant: 'centre' | 'radius' | 'magnitude') => Tensor;

/** The three products of a layer whose `boxAt` input is the box and every other input a constant. */
function threeRuns(args: readonly Value[], boxAt: number, biasAt: number | undefined, run: Run, n: number): Box | undefined {
  const v = args[boxAt];
  if (!v || v.kind !== 'box') return undefined;
  // Float32 weights: the runtime's fast float32 kernels on a float32 centre/radius (margin dotMargin32);
  // float64 weights: float64 throughout (margin dotMargin).
  const f32 = args.every((a, i) => i === boxAt || !a || (a.kind === 'const' && a.t.dtype === DataType.FLOAT));
  const consts: Array<Tensor | undefined> = [];
  const absConsts: Array<Tensor | undefined> = [];
  for (let i = 0; i < args.length; i++) {
    if (i === boxAt) { consts.push(undefined); absConsts.push(undefined); continue; }
    const a = args[i];
    if (a === undefined) { consts.push(undefined); absConsts.push(undefined); continue; }
    if (a.kind !== 'const') return undefined; // a second bounded operand: not linear
    consts.push(f32 ? a.t : constArg(a));
    absConsts.push(absArg(a, f32));
  }
  const { c, r, m } = f32 ? centreRadius32(v.box) : centreRadius(v.box);
  const shape = v.box.shape;
  const dtype = f32 ? DataType.FLOAT : DataType.DOUBLE;
  const withBox = (list: Array<Tensor | undefined>, data: Float32Array | Float64Array, bias: boolean): Array<Tensor | undefined> =>
    list.map((t, i) => (i === boxAt ? { dtype, shape, data } : i === biasAt && !bias ? undefined : t));
  const C = run(withBox(consts, c, true), 'centre');
  const R = run(withBox(absConsts, r, false), 'radius');
  const A = run(withBox(absConsts, m, true), 'magnitude');
  return assemble(C.shape, C.data as Float32Array, R.data as Float32Array, A.data as Float32Array, n, f32);
}

/** Conv / FusedConv linear part: input 0 the box, W and B constants. */
export function convBounds(args: readonly Value[], attrs: ConvAttrs, ctx: RunContext): Box | undefined {
  const W = args[1];
  if (!W || W.kind !== 'const' || W.t.shape.length < 2 || W.t.shape[0] === 0) return undefined;
  const n = W.t.shape.slice(1).reduce((a, b) => a * b, 1);
  return threeRuns(args.slice(0, 3), 0, 2, (inputs) => runConv(inputs, attrs, ctx), n);
}

/** ConvTranspose: input 0 the box, W and B constants (terms per output ≤ C·prod(kernel)). */
export function convTransposeBounds(def: OpDef<unknown>, args: readonly Value[], attrs: unknown, ctx: RunContext): Box | undefined {
  const W = args[1];
  if (!W || W.kind !== 'const' || W.t.shape.length < 2) return undefined;
  const n = W.t.shape[0] * W.t.shape.slice(2).reduce((a, b) => a * b, 1);
  return threeRuns(args.slice(0, 3), 0, 2, (inputs) => def.run(inputs, attrs, ctx)[0], n);
}

/** Gemm / FusedGemm linear part: A or B the box, the other and C constants; alpha/beta signs folded into |·| runs. */
export function gemmBounds(args: readonly Value[], attrs: GemmAttrs, ctx: RunContext): Box | undefined {
  const boxAt = args[0]?.kind === 'box' ? 0 : args[1]?.kind === 'box' ? 1 : -1;
  if (boxAt < 0) return undefined;
  const other = args[1 - boxAt];
  if (!other || other.kind !== 'const' || other.t.shape.length !== 2) return undefined;
  const a = args[0]?.kind === 'box' ? args[0].box.shape : other.t.shape;
  const n = attrs.transA ? a[0] : a[1];
  const absAttrs: GemmAttrs = { ...attrs, alpha: Math.abs(attrs.alpha), beta: Math.abs(attrs.beta) };
  return threeRuns(args.slice(0, 3), boxAt, 2, (inputs, variant) => runGemm(inputs, variant === 'centre' ? attrs : absAttrs, ctx), n);
}

/** MatMul with one constant operand. */
export function matMulBounds(def: OpDef<unknown>, args: readonly Value[], attrs: unknown, ctx: RunContext): Box | undefined {
  const boxAt = args[0]?.kind === 'box' ? 0 : args[1]?.kind === 'box' ? 1 : -1;
  if (boxAt < 0) return undefined;
  const other = args[1 - boxAt];
  if (!other || other.kind !== 'const' || other.t.shape.length === 0) return undefined;
  const s = other.t.shape;
  const n = boxAt === 0 ? (s.length === 1 ? s[0] : s[s.length - 2]) : s[s.length - 1];
  return threeRuns(args.slice(0, 2), boxAt, undefined, (inputs) => def.run(inputs, attrs, ctx)[0], n);
}
