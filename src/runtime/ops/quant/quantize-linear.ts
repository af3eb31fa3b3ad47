// QuantizeLinear (opsets 10–25): y = saturate(rint(x / y_scale) + y_zero_point), per tensor, per
// axis (13) or blocked (21), to 8/16/4/2-bit integers or float8 (19, with saturate) / float4 (23).
// The division runs in the precision numpy would use (the scale's type, or `precision` from 23).

import { DataType } from '../../../onnx/ir';
import { dtypeName, float32ToFloat4e2m1, float32ToFloat8 } from '../../../onnx/dtype';
import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import {
  checkZeroPointShape, clampInt, INT_RANGE, intAttr, isFloat8, isScaleType, need, nodeError, quantLayout, realValues,
  requireZeroFloatZp, rne, roundTo,
} from './common';

/** QuantizeLinear attributes. */
export interface QuantizeAttrs { axis: number; saturate: boolean; blockSize: number; outputDtype: DataType; precision: DataType }

const OUT_TYPES = new Set<DataType>([
  DataType.UINT8, DataType.INT8, DataType.UINT16, DataType.INT16, DataType.UINT4, DataType.INT4, DataType.UINT2, DataType.INT2,
  DataType.FLOAT8E4M3FN, DataType.FLOAT8E4M3FNUZ, DataType.FLOAT8E5M2, DataType.FLOAT8E5M2FNUZ, DataType.FLOAT4E2M1,
]);
const X_TYPES = new Set<DataType>([DataType.FLOAT, DataType.FLOAT16, DataType.BFLOAT16, DataType.INT32]);

function def(since: number): OpDef<QuantizeAttrs> {
  return {
    domain: '', opType: 'QuantizeLinear', since, lowPrecision: 'native',
    parse(ctx) {
      const n = ctx.node;
      const a: QuantizeAttrs = {
        axis: since >= 13 ? intAttr(n, 'axis', 1) : 1,
        saturate: since >= 19 ? intAttr(n, 'saturate', 1) !== 0 : true,
        blockSize: since >= 21 ? intAttr(n, 'block_size', 0) : 0,
        outputDtype: since >= 21 ? intAttr(n, 'output_dtype', 0) : 0,
        precision: since >= 23 ? intAttr(n, 'precision', 0) : 0,
      };
      if (a.blockSize < 0) throw nodeError(n, `block_size must be >= 0, got ${a.blockSize}`);
      if (a.outputDtype && !OUT_TYPES.has(a.outputDtype)) throw nodeError(n, `output_dtype ${dtypeName(a.outputDtype)} is not a supported quantized type`);
      if (a.precision && !isScaleType(a.precision)) throw nodeError(n, `precision ${dtypeName(a.precision)} is not supported (FLOAT, FLOAT16, BFLOAT16, DOUBLE)`);
      return a;
    },
    run(inputs, a, ctx) {
      const node = ctx.node;
      const x = need(node, inputs, 0, 'x');
      const s = need(node, inputs, 1, 'y_scale');
      const z = inputs[2];
      if (!X_TYPES.has(x.dtype)) throw nodeError(node, `x has dtype ${dtypeName(x.dtype)}; supported: FLOAT, FLOAT16, BFLOAT16, INT32`);
      if (!isScaleType(s.dtype) || s.dtype === DataType.DOUBLE) throw nodeError(node, `y_scale has dtype ${dtypeName(s.dtype)}; supported: FLOAT, FLOAT16, BFLOAT16`);
      let outDt: DataType = a.outputDtype || DataType.UINT8;
      if (z) {
        if (a.outputDtype && a.outputDtype !== z.dtype) throw nodeError(node, `output_dtype ${dtypeName(a.outputDtype)} differs from the zero point's ${dtypeName(z.dtype)}`);
        outDt = z.dtype;
        checkZeroPointShape(node, s.shape, z.shape);
      }
      if (!OUT_TYPES.has(outDt)) throw nodeError(node, `quantizing to ${dtypeName(outDt)} is not supported`);
      const L = quantLayout(node, x.shape, s.shape, a.axis, a.blockSize, ctx.opset);
      const xv = realValues(node, x, 'x');
      const sv = realValues(node, s, 'y_scale');
      const zv = z ? realValues(node, z, 'y_zero_point') : new Float64Array(sizeOf(s.shape));
      const fp8 = isFloat8(outDt);
      const fp4 = outDt === DataType.FLOAT4E2M1;
      if (fp8 || fp4) requireZeroFloatZp(node, zv, outDt);
      // numpy's division precision: `precision`, else float64 for int32 x, else the common float type.
      const prec = a.precision || (x.dtype === DataType.INT32 ? DataType.DOUBLE : x.dtype === s.dtype ? s.dtype : DataType.FLOAT);
      const castX = a.precision !== 0;
      const range = INT_RANGE[outDt] ?? [0, 0];
      const lo = range[0];
      const hi = range[1];
      const out = ctx.alloc(outDt, x.shape) as Uint8Array | Int8Array | Uint16Array | Int16Array;
      const step = L.mode === 2 ? 1 : 0;
      for (let o = 0; o < L.outer; o++) {
        for (let d = 0; d < L.dim; d++) {
          const p = L.mode === 0 ? 0 : L.mode === 1 ? d : (o * L.blocks + Math.floor(d / L.blockSize)) * L.inner;
          const base = (o * L.dim + d) * L.inner;
          for (let i = 0; i < L.inner; i++) {
            const pi = p + i * step;
            const xi = castX ? roundTo(xv[base + i], prec) : xv[base + i];
            const q = roundTo(xi / roundTo(sv[pi], prec), prec);
            if (fp8) out[base + i] = float32ToFloat8(q, outDt, a.saturate);
            else if (fp4) out[base + i] = float32ToFloat4e2m1(q);
            else out[base + i] = clampInt(rne(q) + zv[pi], lo, hi);
          }
        }
      }
      return [{ dtype: outDt, shape: x.shape.slice(), data: out }];
    },
  };
}

/** QuantizeLinear 10 (per tensor), 13 (axis), 19 (float8, saturate), 21 (blocked, int4, int16, output_dtype), 23 (float4, precision), 25 (int2). */
export const quantizeLinearOps = [def(10), def(13), def(19), def(21), def(23), def(25)];
