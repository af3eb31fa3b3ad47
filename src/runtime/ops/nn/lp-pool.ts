// LpPool: (Σ|x|^p)^(1/p) over windows; p is a float in opset 1 and an int from opset 2; ceil_mode
// and dilations from opset 18. Padding contributes zeros.

import { pool } from '../../kernels/pool';
import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatAttr, floatData, need, nodeError } from './attrs';
import { parsePoolAttrs, PoolAttrs, resolvePool } from './pool-attrs';

interface LpPoolAttrs extends PoolAttrs { p: number }

function parse(ctx: PlanContext): LpPoolAttrs {
  const p = floatAttr(ctx.node, 'p', 2);
  if (!(p > 0)) throw nodeError(ctx.node, `p must be positive, got ${p}`);
  return { ...parsePoolAttrs(ctx.node), p };
}

function run(inputs: ReadonlyArray<Tensor | undefined>, a: LpPoolAttrs, ctx: RunContext): Tensor[] {
  const X = need(ctx.node, inputs, 0, 'X');
  const x = floatData(ctx.node, X, 'input X');
  const win = resolvePool(ctx.node, a, X.shape);
  const outShape = [X.shape[0], X.shape[1], ...win.outShape];
  const y = ctx.alloc(X.dtype, outShape) as Float32Array;
  pool(x, X.shape, win, y, { kind: 'lp', countIncludePad: false, p: a.p, columnMajor: false });
  return [makeTensor(X.dtype, outShape, y)];
}

/** LpPool from opset 1 on. */
export const lpPool: OpDef<LpPoolAttrs> = { domain: '', opType: 'LpPool', since: 1, parse, run };
