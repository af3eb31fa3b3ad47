// Shape and Size: the input's dimensions (optionally a [start, end) slice of them, opset 15) or
// its element count, as INT64.

import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { hasAttr, intAttr, need } from './common';

interface ShapeAttrs { start: number; end: number | undefined }

function clampIndex(i: number, rank: number): number {
  const v = i < 0 ? i + rank : i;
  return Math.min(Math.max(v, 0), rank);
}

/** Shape (opset 1+; start/end attributes from opset 15). */
export const shape: OpDef<ShapeAttrs> = {
  domain: '', opType: 'Shape', since: 1, lowPrecision: 'native',
  parse(ctx) {
    return { start: intAttr(ctx.node, 'start', 0), end: hasAttr(ctx.node, 'end') ? intAttr(ctx.node, 'end', 0) : undefined };
  },
  run(inputs, a, ctx) {
    const x = need(ctx.node, inputs, 0, 'data');
    const rank = x.shape.length;
    const s = clampIndex(a.start, rank);
    const e = a.end === undefined ? rank : clampIndex(a.end, rank);
    const dims = x.shape.slice(s, Math.max(s, e));
    const out = ctx.alloc(DataType.INT64, [dims.length]) as BigInt64Array;
    for (let i = 0; i < dims.length; i++) out[i] = BigInt(dims[i]);
    return [{ dtype: DataType.INT64, shape: [dims.length], data: out }];
  },
};

/** Size (opset 1+): the element count as an INT64 scalar. */
export const size: OpDef<void> = {
  domain: '', opType: 'Size', since: 1, lowPrecision: 'native',
  run(inputs, _a, ctx) {
    const x = need(ctx.node, inputs, 0, 'data');
    const out = ctx.alloc(DataType.INT64, []) as BigInt64Array;
    out[0] = BigInt(sizeOf(x.shape));
    return [{ dtype: DataType.INT64, shape: [], data: out }];
  },
};
