// ReverseSequence: per batch entry b, reverses the first sequence_lens[b] steps along the time axis.

import { OpDef } from '../../op';
import { copyBlock, stridesOf } from '../../kernels/strides';
import { intAttr, need, noComplex, nodeError, readInts } from './common';

interface RevAttrs { batchAxis: number; timeAxis: number }

/** ReverseSequence (opset 10+). */
export const reverseSequence: OpDef<RevAttrs> = {
  domain: '', opType: 'ReverseSequence', since: 10, lowPrecision: 'native',
  parse(ctx) {
    const batchAxis = intAttr(ctx.node, 'batch_axis', 1), timeAxis = intAttr(ctx.node, 'time_axis', 0);
    if (!((batchAxis === 0 && timeAxis === 1) || (batchAxis === 1 && timeAxis === 0))) throw nodeError(ctx.node, 'batch_axis and time_axis must be 0 and 1 in some order');
    return { batchAxis, timeAxis };
  },
  run(inputs, a, ctx) {
    const x = need(ctx.node, inputs, 0, 'input');
    noComplex(ctx.node, x);
    if (x.shape.length < 2) throw nodeError(ctx.node, 'input must have rank ≥ 2');
    const lens = readInts(ctx.node, need(ctx.node, inputs, 1, 'sequence_lens'), 'sequence_lens');
    const B = x.shape[a.batchAxis], T = x.shape[a.timeAxis];
    if (lens.length !== B) throw nodeError(ctx.node, `sequence_lens has ${lens.length} entries for batch size ${B}`);
    const st = stridesOf(x.shape);
    const inner = st[1];
    const out = ctx.alloc(x.dtype, x.shape);
    for (let b = 0; b < B; b++) {
      const len = lens[b];
      if (len < 0 || len > T) throw nodeError(ctx.node, `sequence length ${len} is out of range for time size ${T}`);
      for (let t = 0; t < T; t++) {
        const src = t < len ? len - 1 - t : t;
        copyBlock(out, b * st[a.batchAxis] + t * st[a.timeAxis], x.data, b * st[a.batchAxis] + src * st[a.timeAxis], inner);
      }
    }
    return [{ dtype: x.dtype, shape: x.shape.slice(), data: out }];
  },
};
