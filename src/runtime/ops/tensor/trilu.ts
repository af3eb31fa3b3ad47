// Trilu: keeps the upper (j − i ≥ k) or lower (j − i ≤ k) triangle of the last two axes, zeroes the rest.

import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { copyBlock, Elems } from '../../kernels/strides';
import { intAttr, need, noComplex, nodeError, scalarNumber } from './common';

/** Trilu (opset 14+). */
export const trilu: OpDef<boolean> = {
  domain: '', opType: 'Trilu', since: 14, lowPrecision: 'native',
  parse(ctx) {
    return intAttr(ctx.node, 'upper', 1) !== 0;
  },
  run(inputs, upper, ctx) {
    const x = need(ctx.node, inputs, 0, 'input');
    noComplex(ctx.node, x);
    if (x.shape.length < 2) throw nodeError(ctx.node, 'input must have rank ≥ 2');
    const k = inputs[1] ? scalarNumber(ctx.node, inputs[1], 'k') : 0;
    const r = x.shape.length, N = x.shape[r - 2], M = x.shape[r - 1];
    const out = ctx.alloc(x.dtype, x.shape);
    const zero = out instanceof BigInt64Array || out instanceof BigUint64Array ? 0n : Array.isArray(out) ? '' : 0;
    const d = out as Elems;
    const batches = sizeOf(x.shape.slice(0, r - 2));
    for (let b = 0; b < batches; b++) {
      for (let i = 0; i < N; i++) {
        const row = (b * N + i) * M;
        // Kept columns: upper → j ≥ i + k; lower → j ≤ i + k.
        const lo = upper ? Math.min(Math.max(i + k, 0), M) : 0;
        const hi = upper ? M : Math.min(Math.max(i + k + 1, 0), M);
        for (let j = 0; j < lo; j++) d[row + j] = zero;
        copyBlock(out, row + lo, x.data, row + lo, hi - lo);
        for (let j = Math.max(hi, lo); j < M; j++) d[row + j] = zero;
      }
    }
    return [{ dtype: x.dtype, shape: x.shape.slice(), data: out }];
  },
};
