// ConvInteger (opset 10): int32 convolution of zero-point-shifted 8-bit input and weight, exact.

import { DataType } from '../../../onnx/ir';
import { dtypeName } from '../../../onnx/dtype';
import { OpDef } from '../../op';
import { ConvAttrs, parseConvAttrs } from '../nn/conv-attrs';
import { need, nodeError, realValues } from './common';
import { intConv } from './int-conv';

const EIGHT = new Set<DataType>([DataType.UINT8, DataType.INT8]);

/** ConvInteger: x_zero_point per tensor, w_zero_point per tensor or per output channel. */
export const convInteger: OpDef<ConvAttrs> = {
  domain: '', opType: 'ConvInteger', since: 10,
  parse: (ctx) => parseConvAttrs(ctx.node),
  run(inputs, a, ctx) {
    const node = ctx.node;
    const x = need(node, inputs, 0, 'x');
    const w = need(node, inputs, 1, 'w');
    for (const t of [x, w, inputs[2], inputs[3]]) {
      if (t && !EIGHT.has(t.dtype)) throw nodeError(node, `inputs must be INT8 or UINT8, got ${dtypeName(t.dtype)}`);
    }
    const xz = inputs[2] ? realValues(node, inputs[2], 'x_zero_point') : undefined;
    const wz = inputs[3] ? realValues(node, inputs[3], 'w_zero_point') : undefined;
    const r = intConv(node, x, xz, w, wz, a);
    const y = ctx.alloc(DataType.INT32, r.shape) as Int32Array;
    y.set(r.acc);
    return [{ dtype: DataType.INT32, shape: r.shape, data: y }];
  },
};
