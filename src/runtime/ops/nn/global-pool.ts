// GlobalAveragePool, GlobalMaxPool and GlobalLpPool: one value per (N, C) plane, output
// [N, C, 1, ...]. Three tiny ops over one shared kernel, kept together.

import { DataType } from '../../../onnx/ir';
import { globalPool, PoolKind } from '../../kernels/pool';
import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatAttr, floatData, need, nodeError, shapeStr } from './attrs';

interface GlobalAttrs { kind: PoolKind; p: number }

function runGlobal(inputs: ReadonlyArray<Tensor | undefined>, a: GlobalAttrs, ctx: RunContext): Tensor[] {
  const X = need(ctx.node, inputs, 0, 'X');
  if (X.shape.length < 3) throw nodeError(ctx.node, `input X has shape ${shapeStr(X.shape)}; needs [N, C, spatial...]`);
  const isInt = X.dtype === DataType.INT8 || X.dtype === DataType.UINT8;
  const x = a.kind === 'max' && isInt ? (X.data as Uint8Array) : floatData(ctx.node, X, 'input X');
  const planes = X.shape[0] * X.shape[1];
  const size = X.shape.slice(2).reduce((s, v) => s * v, 1);
  const outShape = [X.shape[0], X.shape[1], ...X.shape.slice(2).map(() => 1)];
  const y = ctx.alloc(X.dtype, outShape) as Float32Array;
  globalPool(x, planes, size, y, a.kind, a.p);
  return [makeTensor(X.dtype, outShape, y)];
}

/** GlobalAveragePool from opset 1. */
export const globalAveragePool: OpDef<GlobalAttrs> = {
  domain: '', opType: 'GlobalAveragePool', since: 1, parse: () => ({ kind: 'avg', p: 0 }), run: runGlobal,
};
/** GlobalMaxPool from opset 1. */
export const globalMaxPool: OpDef<GlobalAttrs> = {
  domain: '', opType: 'GlobalMaxPool', since: 1, parse: () => ({ kind: 'max', p: 0 }), run: runGlobal,
};
/** GlobalLpPool from opset 1 (p float in opset 1, int from 2; default 2). */
export const globalLpPool: OpDef<GlobalAttrs> = {
  domain: '', opType: 'GlobalLpPool', since: 1,
  parse: (ctx: PlanContext) => {
    const p = floatAttr(ctx.node, 'p', 2);
    if (!(p > 0)) throw nodeError(ctx.node, `p must be positive, got ${p}`);
    return { kind: 'lp', p };
  },
  run: runGlobal,
};
