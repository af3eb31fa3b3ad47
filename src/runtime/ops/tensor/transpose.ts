// Transpose: permutes axes (default: reversed). Uses the coalescing transpose kernel, which block-
// copies rows when the innermost axis stays put (e.g. [0,2,1,3] in attention heads).

import { OpDef } from '../../op';
import { transposeInto, permuteShape } from '../../kernels/transpose';
import { intsAttr, need, noComplex, nodeError } from './common';

/** Transpose (opset 1+). */
export const transpose: OpDef<number[] | undefined> = {
  domain: '', opType: 'Transpose', since: 1, lowPrecision: 'native',
  parse(ctx) {
    return intsAttr(ctx.node, 'perm');
  },
  run(inputs, permAttr, ctx) {
    const x = need(ctx.node, inputs, 0, 'data');
    noComplex(ctx.node, x);
    const r = x.shape.length;
    const perm = permAttr ?? Array.from({ length: r }, (_, i) => r - 1 - i);
    if (perm.length !== r || new Set(perm).size !== r || perm.some((p) => p < 0 || p >= r)) {
      throw nodeError(ctx.node, `perm [${perm.join(',')}] is not a permutation of rank ${r}`);
    }
    const shape = permuteShape(x.shape, perm);
    const out = ctx.alloc(x.dtype, shape);
    transposeInto(x.data, out, x.shape, perm);
    return [{ dtype: x.dtype, shape, data: out }];
  },
};
