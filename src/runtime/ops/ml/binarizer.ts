// ai.onnx.ml Binarizer (opset 1): 1 where x > threshold, else 0, in x's dtype. NaN gives 0, as in
// ONNX's reference implementation (onnxruntime refuses NaN inputs instead).
import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { floatAttr, need, nodeError } from '../nn/attrs';

/** Binarizer (ai.onnx.ml 1): float, double, int32, int64. */
export const binarizer: OpDef<number> = {
  domain: 'ai.onnx.ml', opType: 'Binarizer', since: 1,
  parse: (ctx) => Math.fround(floatAttr(ctx.node, 'threshold', 0)),
  run(inputs, threshold, ctx) {
    const x = need(ctx.node, inputs, 0, 'X');
    const y = ctx.alloc(x.dtype, x.shape);
    if (x.dtype === DataType.INT64) {
      const xv = x.data as BigInt64Array;
      const yv = y as BigInt64Array;
      for (let i = 0; i < xv.length; i++) yv[i] = Number(xv[i]) > threshold ? 1n : 0n;
    } else if (x.dtype === DataType.FLOAT || x.dtype === DataType.DOUBLE || x.dtype === DataType.INT32) {
      const xv = x.data as Float32Array | Float64Array | Int32Array;
      const yv = y as Float32Array | Float64Array | Int32Array;
      for (let i = 0; i < xv.length; i++) yv[i] = xv[i] > threshold ? 1 : 0;
    } else {
      throw nodeError(ctx.node, `X of dtype ${DataType[x.dtype]} is not supported (float, double, int32, int64)`);
    }
    return [{ dtype: x.dtype, shape: x.shape.slice(), data: y }];
  },
};
