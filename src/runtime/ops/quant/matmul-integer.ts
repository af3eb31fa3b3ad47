// MatMulInteger (opset 10): int32 (A − a_zero_point)·(B − b_zero_point) for 8-bit inputs, exact.

import { DataType } from '../../../onnx/ir';
import { dtypeName } from '../../../onnx/dtype';
import { OpDef } from '../../op';
import { need, nodeError, realValues } from './common';
import { intMatMul } from './int-matmul';

const EIGHT = new Set<DataType>([DataType.UINT8, DataType.INT8]);

/** MatMulInteger: zero points per tensor, per row of A or per column of B. */
export const matMulInteger: OpDef<undefined> = {
  domain: '', opType: 'MatMulInteger', since: 10,
  run(inputs, _a, ctx) {
    const node = ctx.node;
    const A = need(node, inputs, 0, 'A');
    const B = need(node, inputs, 1, 'B');
    for (const t of [A, B, inputs[2], inputs[3]]) {
      if (t && !EIGHT.has(t.dtype)) throw nodeError(node, `inputs must be INT8 or UINT8, got ${dtypeName(t.dtype)}`);
    }
    const az = inputs[2] ? realValues(node, inputs[2], 'a_zero_point') : undefined;
    const bz = inputs[3] ? realValues(node, inputs[3], 'b_zero_point') : undefined;
    const p = intMatMul(node, A, B, az, bz);
    const y = ctx.alloc(DataType.INT32, p.shape) as Int32Array;
    y.set(p.acc);
    return [{ dtype: DataType.INT32, shape: p.shape, data: y }];
  },
};
