// NonZero: the coordinates of non-zero elements as an INT64 [rank, count] tensor, row-major order.

import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { need, nodeError } from './common';
import { unsupported } from '../../errors';

/** NonZero (opset 9+). */
export const nonZero: OpDef<void> = {
  domain: '', opType: 'NonZero', since: 9, lowPrecision: 'native',
  run(inputs, _a, ctx) {
    const x = need(ctx.node, inputs, 0, 'X');
    const d = x.data;
    if (Array.isArray(d)) throw unsupported(nodeError(ctx.node, 'string inputs are not supported'));
    if (x.dtype === DataType.COMPLEX64 || x.dtype === DataType.COMPLEX128) throw unsupported(nodeError(ctx.node, 'complex inputs are not supported'));
    // Float16/bfloat16 bits are zero for +0 only; -0 (0x8000) is also zero.
    const half = x.dtype === DataType.FLOAT16 || x.dtype === DataType.BFLOAT16;
    const n = d.length;
    const hits: number[] = [];
    if (d instanceof BigInt64Array || d instanceof BigUint64Array) {
      for (let i = 0; i < n; i++) if (d[i] !== 0n) hits.push(i);
    } else {
      const v = d as Float64Array;
      for (let i = 0; i < n; i++) if (half ? (v[i] & 0x7fff) !== 0 : v[i] !== 0) hits.push(i);
    }
    const r = x.shape.length;
    const shape = [r, hits.length];
    const out = ctx.alloc(DataType.INT64, shape) as BigInt64Array;
    for (let j = 0; j < hits.length; j++) {
      let rem = hits[j];
      for (let a = r - 1; a >= 0; a--) {
        out[a * hits.length + j] = BigInt(rem % x.shape[a]);
        rem = Math.floor(rem / x.shape[a]);
      }
    }
    return [{ dtype: DataType.INT64, shape, data: out }];
  },
};
