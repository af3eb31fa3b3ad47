// Flatten: reshapes to 2-D around `axis`. Zero-copy: the output shares the input's storage.

import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { intAttr, need, nodeError, view } from './common';

/** Flatten (opset 1+; negative axis from opset 11). */
export const flatten: OpDef<number> = {
  domain: '', opType: 'Flatten', since: 1, lowPrecision: 'native',
  parse(ctx) {
    return intAttr(ctx.node, 'axis', 1);
  },
  run(inputs, axisAttr, ctx) {
    const x = need(ctx.node, inputs, 0, 'input');
    const r = x.shape.length;
    const axis = axisAttr < 0 ? axisAttr + r : axisAttr;
    if (axis < 0 || axis > r) throw nodeError(ctx.node, `axis ${axisAttr} is out of range for rank ${r}`);
    return [view(x, [sizeOf(x.shape.slice(0, axis)), sizeOf(x.shape.slice(axis))])];
  },
};
