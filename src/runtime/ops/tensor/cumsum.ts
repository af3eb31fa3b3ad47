// CumSum: running sums along an axis, optionally exclusive (shifted by one) and/or reversed.

import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { intAttr, need, nodeError, scalarNumber } from './common';

interface CumSumAttrs { exclusive: boolean; reverse: boolean }

/** CumSum (opset 11+). */
export const cumSum: OpDef<CumSumAttrs> = {
  domain: '', opType: 'CumSum', since: 11,
  parse(ctx) {
    return { exclusive: intAttr(ctx.node, 'exclusive', 0) !== 0, reverse: intAttr(ctx.node, 'reverse', 0) !== 0 };
  },
  run(inputs, a, ctx) {
    const x = need(ctx.node, inputs, 0, 'x');
    if (Array.isArray(x.data)) throw nodeError(ctx.node, 'string inputs are not supported');
    const r = x.shape.length;
    const ax = scalarNumber(ctx.node, need(ctx.node, inputs, 1, 'axis'), 'axis');
    const axis = ax < 0 ? ax + r : ax;
    if (axis < 0 || axis >= r) throw nodeError(ctx.node, `axis ${ax} is out of range for rank ${r}`);
    const out = ctx.alloc(x.dtype, x.shape);
    const dim = x.shape[axis];
    const outer = sizeOf(x.shape.slice(0, axis)), inner = sizeOf(x.shape.slice(axis + 1));
    const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
    const xv = x.data as unknown as number[], ov = out as unknown as number[];
    const zero = (big ? 0n : 0) as unknown as number;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * dim * inner + i;
        let acc = zero;
        for (let s = 0; s < dim; s++) {
          const j = a.reverse ? dim - 1 - s : s;
          const p = base + j * inner;
          if (a.exclusive) { ov[p] = acc; acc += xv[p]; }
          else { acc += xv[p]; ov[p] = acc; }
        }
      }
    }
    return [{ dtype: x.dtype, shape: x.shape.slice(), data: out }];
  },
};
