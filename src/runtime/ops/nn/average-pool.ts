// AveragePool (opsets 1–22): mean over windows, count_include_pad, ceil_mode, dilations (19+).

import { pool } from '../../kernels/pool';
import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatData, intAttr, need } from './attrs';
import { parsePoolAttrs, PoolAttrs, resolvePool } from './pool-attrs';

interface AvgPoolAttrs extends PoolAttrs { countIncludePad: boolean }

function parse(ctx: PlanContext): AvgPoolAttrs {
  return { ...parsePoolAttrs(ctx.node), countIncludePad: intAttr(ctx.node, 'count_include_pad', 0) !== 0 };
}

function run(inputs: ReadonlyArray<Tensor | undefined>, a: AvgPoolAttrs, ctx: RunContext): Tensor[] {
  const X = need(ctx.node, inputs, 0, 'X');
  const x = floatData(ctx.node, X, 'input X');
  const win = resolvePool(ctx.node, a, X.shape);
  const outShape = [X.shape[0], X.shape[1], ...win.outShape];
  const y = ctx.alloc(X.dtype, outShape) as Float32Array;
  pool(x, X.shape, win, y, { kind: 'avg', countIncludePad: a.countIncludePad, p: 0, columnMajor: false });
  return [makeTensor(X.dtype, outShape, y)];
}

/** AveragePool from opset 1 on. */
export const averagePool: OpDef<AvgPoolAttrs> = { domain: '', opType: 'AveragePool', since: 1, parse, run };
