// Gemm (opsets 1–13): Y = alpha·op(A)·op(B) + beta·C with transA/transB and C broadcast to
// [M, N] (unidirectional, or absent from opset 11).

import { gemm as gemmKernel } from '../../kernels/gemm';
import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatAttr, floatData, intAttr, need, nodeError, shapeStr } from './attrs';

/** Gemm attributes. */
export interface GemmAttrs { transA: boolean; transB: boolean; alpha: number; beta: number }

/** Reads Gemm's attributes. */
export function parseGemmAttrs(ctx: PlanContext): GemmAttrs {
  return {
    transA: intAttr(ctx.node, 'transA', 0) !== 0,
    transB: intAttr(ctx.node, 'transB', 0) !== 0,
    alpha: floatAttr(ctx.node, 'alpha', 1),
    beta: floatAttr(ctx.node, 'beta', 1),
  };
}

/** Computes Gemm on its inputs; shared with FusedGemm. */
export function runGemm(inputs: ReadonlyArray<Tensor | undefined>, a: GemmAttrs, ctx: RunContext): Tensor {
  const node = ctx.node;
  const A = need(node, inputs, 0, 'A');
  const B = need(node, inputs, 1, 'B');
  const ad = floatData(node, A, 'input A');
  const bd = floatData(node, B, 'input B');
  if (A.dtype !== B.dtype) throw nodeError(node, 'A and B must have the same dtype');
  if (A.shape.length !== 2 || B.shape.length !== 2) {
    throw nodeError(node, `A ${shapeStr(A.shape)} and B ${shapeStr(B.shape)} must both be 2-D`);
  }
  const M = a.transA ? A.shape[1] : A.shape[0];
  const K = a.transA ? A.shape[0] : A.shape[1];
  const N = a.transB ? B.shape[0] : B.shape[1];
  const Kb = a.transB ? B.shape[1] : B.shape[0];
  if (K !== Kb) throw nodeError(node, `inner dimensions differ: op(A) is ${M}x${K}, op(B) is ${Kb}x${N}`);
  const y = ctx.alloc(A.dtype, [M, N]) as Float32Array | Float64Array;
  const C = inputs[2];
  let beta = 0;
  if (C && a.beta !== 0) {
    const cd = floatData(node, C, 'input C');
    const cs = C.shape;
    if (cs.length > 2) throw nodeError(node, `C ${shapeStr(cs)} cannot broadcast to [${M},${N}]`);
    const cm = cs.length === 2 ? cs[0] : 1;
    const cn = cs.length >= 1 ? cs[cs.length - 1] : 1;
    if ((cm !== 1 && cm !== M) || (cn !== 1 && cn !== N)) {
      throw nodeError(node, `C ${shapeStr(cs)} cannot broadcast to [${M},${N}]`);
    }
    for (let i = 0; i < M; i++) {
      const crow = (cm === 1 ? 0 : i) * cn;
      if (cn === 1) y.fill(cd[crow], i * N, (i + 1) * N);
      else for (let j = 0; j < N; j++) y[i * N + j] = cd[crow + j];
    }
    beta = a.beta;
  }
  gemmKernel(a.transA, a.transB, M, N, K, a.alpha, ad, 0, A.shape[1], bd, 0, B.shape[1], beta, y, 0, N);
  return makeTensor(A.dtype, [M, N], y);
}

/** Gemm from opset 1 on (6: broadcast attr; 7: numpy-style C broadcast; 11: C optional). */
export const gemm: OpDef<GemmAttrs> = {
  domain: '', opType: 'Gemm', since: 1, parse: parseGemmAttrs,
  run: (inputs, a, ctx) => [runGemm(inputs, a, ctx)],
};
