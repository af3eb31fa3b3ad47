// DequantizeLinear (opsets 10–25): y = (x − x_zero_point) · x_scale, per tensor, per axis (13) or
// blocked (21), from 8/16/32/4/2-bit integers and float8 (19) / float4 (23). Computed in float32
// (float64 for int32 inputs, as numpy promotes) and rounded once to the output type.

import { DataType } from '../../../onnx/ir';
import { dtypeName } from '../../../onnx/dtype';
import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import {
  checkZeroPointShape, intAttr, isFloat8, isScaleType, need, nodeError, quantLayout, realValues, requireZeroFloatZp, storeFloats,
} from './common';

/** DequantizeLinear attributes. */
export interface DequantizeAttrs { axis: number; blockSize: number; outputDtype: DataType }

const X_TYPES = new Set<DataType>([
  DataType.UINT8, DataType.INT8, DataType.UINT16, DataType.INT16, DataType.INT32, DataType.UINT4, DataType.INT4,
  DataType.UINT2, DataType.INT2, DataType.FLOAT8E4M3FN, DataType.FLOAT8E4M3FNUZ, DataType.FLOAT8E5M2,
  DataType.FLOAT8E5M2FNUZ, DataType.FLOAT4E2M1,
]);

function def(since: number): OpDef<DequantizeAttrs> {
  return {
    domain: '', opType: 'DequantizeLinear', since, lowPrecision: 'native',
    parse(ctx) {
      const n = ctx.node;
      const a: DequantizeAttrs = {
        axis: since >= 13 ? intAttr(n, 'axis', 1) : 1,
        blockSize: since >= 21 ? intAttr(n, 'block_size', 0) : 0,
        outputDtype: since >= 23 ? intAttr(n, 'output_dtype', 0) : 0,
      };
      if (a.blockSize < 0) throw nodeError(n, `block_size must be >= 0, got ${a.blockSize}`);
      if (a.outputDtype && (!isScaleType(a.outputDtype) || a.outputDtype === DataType.DOUBLE)) {
        throw nodeError(n, `output_dtype ${dtypeName(a.outputDtype)} is not supported (FLOAT, FLOAT16, BFLOAT16)`);
      }
      return a;
    },
    run(inputs, a, ctx) {
      const node = ctx.node;
      const x = need(node, inputs, 0, 'x');
      const s = need(node, inputs, 1, 'x_scale');
      const z = inputs[2];
      if (!X_TYPES.has(x.dtype)) throw nodeError(node, `x has dtype ${dtypeName(x.dtype)}, which is not a quantized type`);
      if (!isScaleType(s.dtype) || s.dtype === DataType.DOUBLE) throw nodeError(node, `x_scale has dtype ${dtypeName(s.dtype)}; supported: FLOAT, FLOAT16, BFLOAT16`);
      const floatX = isFloat8(x.dtype) || x.dtype === DataType.FLOAT4E2M1;
      if (z) {
        if (z.dtype !== x.dtype) throw nodeError(node, `the zero point is ${dtypeName(z.dtype)} but x is ${dtypeName(x.dtype)}; they must match`);
        checkZeroPointShape(node, s.shape, z.shape);
      }
      const L = quantLayout(node, x.shape, s.shape, a.axis, a.blockSize, ctx.opset);
      const xv = realValues(node, x, 'x');
      const sv = realValues(node, s, 'x_scale');
      const zv = z ? realValues(node, z, 'x_zero_point') : new Float64Array(sizeOf(s.shape));
      if (floatX) requireZeroFloatZp(node, zv, x.dtype);
      const wide = x.dtype === DataType.INT32; // numpy: float32(x) − int32 zero point promotes to float64
      const n = sizeOf(x.shape);
      const y = new Float64Array(n);
      const step = L.mode === 2 ? 1 : 0;
      for (let o = 0; o < L.outer; o++) {
        for (let d = 0; d < L.dim; d++) {
          const p = L.mode === 0 ? 0 : L.mode === 1 ? d : (o * L.blocks + Math.floor(d / L.blockSize)) * L.inner;
          const base = (o * L.dim + d) * L.inner;
          for (let i = 0; i < L.inner; i++) {
            const pi = p + i * step;
            if (wide) y[base + i] = (Math.fround(xv[base + i]) - zv[pi]) * sv[pi];
            else y[base + i] = Math.fround((xv[base + i] - zv[pi]) * sv[pi]);
          }
        }
      }
      const outDt = a.outputDtype || s.dtype;
      const out = ctx.alloc(outDt, x.shape) as Float32Array | Uint16Array;
      storeFloats(y, outDt, out, wide);
      return [{ dtype: outDt, shape: x.shape.slice(), data: out }];
    },
  };
}

/** DequantizeLinear 10 (per tensor), 13 (axis), 19 (float8), 21 (blocked, int4, int16), 23 (float4, output_dtype), 25 (int2). */
export const dequantizeLinearOps = [def(10), def(13), def(19), def(21), def(23), def(25)];
