// DynamicQuantizeLinear (opset 11): quantizes float32 x to uint8 with a scale and zero point
// computed from the data's range widened to include 0; all arithmetic in float32.

import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { clampInt, need, nodeError, rne } from './common';

/** DynamicQuantizeLinear: outputs y (uint8), y_scale (float32 scalar), y_zero_point (uint8 scalar). */
export const dynamicQuantizeLinear: OpDef<undefined> = {
  domain: '', opType: 'DynamicQuantizeLinear', since: 11,
  run(inputs, _a, ctx) {
    const x = need(ctx.node, inputs, 0, 'x');
    if (x.dtype !== DataType.FLOAT) throw nodeError(ctx.node, 'x must be FLOAT');
    const xv = x.data as Float32Array;
    const n = xv.length;
    let mn = 0;
    let mx = 0;
    for (let i = 0; i < n; i++) {
      const v = xv[i];
      if (Number.isNaN(v)) throw nodeError(ctx.node, 'x contains NaN; its quantization range is undefined');
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    const f = Math.fround;
    const scale = f((mx === mn ? 1 : f(mx - mn)) / 255);
    const zp = rne(clampInt(f(0 - f(mn / scale)), 0, 255));
    const y = ctx.alloc(DataType.UINT8, x.shape) as Uint8Array;
    for (let i = 0; i < n; i++) y[i] = clampInt(rne(f(xv[i] / scale)) + zp, 0, 255);
    const s = ctx.alloc(DataType.FLOAT, []) as Float32Array;
    s[0] = scale;
    const z = ctx.alloc(DataType.UINT8, []) as Uint8Array;
    z[0] = zp;
    return [
      { dtype: DataType.UINT8, shape: x.shape.slice(), data: y },
      { dtype: DataType.FLOAT, shape: [], data: s },
      { dtype: DataType.UINT8, shape: [], data: z },
    ];
  },
};
