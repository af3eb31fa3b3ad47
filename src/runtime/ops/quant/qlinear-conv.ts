// QLinearConv (opset 10): quantized convolution. The exact integer convolution plus the int32
// bias is scaled by x_scale·w_scale/y_scale (float32, per output channel when w_scale is 1-D),
// rounded half to even, shifted by y_zero_point and saturated to the output's 8-bit type.

import { DataType } from '../../../onnx/ir';
import { dtypeName } from '../../../onnx/dtype';
import { OpDef } from '../../op';
import { ConvAttrs, parseConvAttrs } from '../nn/conv-attrs';
import { clampInt, INT_RANGE, need, nodeError, realValues, rne } from './common';
import { intConv } from './int-conv';

const EIGHT = new Set<DataType>([DataType.UINT8, DataType.INT8]);

/** QLinearConv with an optional int32 bias B. */
export const qlinearConv: OpDef<ConvAttrs> = {
  domain: '', opType: 'QLinearConv', since: 10,
  parse: (ctx) => parseConvAttrs(ctx.node),
  run(inputs, a, ctx) {
    const node = ctx.node;
    const names = ['x', 'x_scale', 'x_zero_point', 'w', 'w_scale', 'w_zero_point', 'y_scale', 'y_zero_point'];
    const [x, xs, xz, w, ws, wz, ys, yz] = names.map((nm, i) => need(node, inputs, i, nm));
    for (const q of [x, xz, w, wz, yz]) {
      if (!EIGHT.has(q.dtype)) throw nodeError(node, `quantized inputs must be INT8 or UINT8, got ${dtypeName(q.dtype)}`);
    }
    for (const s of [xs, ws, ys]) if (s.dtype !== DataType.FLOAT) throw nodeError(node, `scales must be FLOAT, got ${dtypeName(s.dtype)}`);
    const xsv = xs.data as Float32Array;
    const wsv = ws.data as Float32Array;
    const ysv = ys.data as Float32Array;
    const yzv = realValues(node, yz, 'y_zero_point');
    if (xsv.length !== 1 || ysv.length !== 1 || yzv.length !== 1) throw nodeError(node, 'x_scale, y_scale and y_zero_point must be per-tensor (one element)');
    const r = intConv(node, x, realValues(node, xz, 'x_zero_point'), w, realValues(node, wz, 'w_zero_point'), a);
    if (wsv.length !== 1 && wsv.length !== r.M) throw nodeError(node, `w_scale must have 1 or ${r.M} (output channels) entries, got ${wsv.length}`);
    const B = inputs[8];
    let bias: Int32Array | undefined;
    if (B) {
      if (B.dtype !== DataType.INT32 || B.data.length !== r.M) throw nodeError(node, `bias B must be INT32 with ${r.M} entries`);
      bias = B.data as Int32Array;
    }
    const [lo, hi] = INT_RANGE[yz.dtype] ?? [0, 0];
    const zp = yzv[0];
    const y = ctx.alloc(yz.dtype, r.shape) as Int8Array | Uint8Array;
    const N = r.shape[0];
    for (let n = 0; n < N; n++) {
      for (let m = 0; m < r.M; m++) {
        const mult = Math.fround(Math.fround(xsv[0] * wsv[wsv.length === 1 ? 0 : m]) / ysv[0]);
        const b = bias ? bias[m] : 0;
        const base = (n * r.M + m) * r.spatial;
        for (let k = 0; k < r.spatial; k++) y[base + k] = clampInt(rne((r.acc[base + k] + b) * mult + zp), lo, hi);
      }
    }
    return [{ dtype: yz.dtype, shape: r.shape, data: y }];
  },
};
