// Relu, LeakyRelu, ThresholdedRelu: the rectifier family. Relu takes signed integers from opset 14.
import { DataType } from '../../../onnx/ir';
import { reluF32 } from '../../kernels/relu-f32';
import { OpDef } from '../../op';
import { FLOATS, floatAttr, unaryOp } from './common';

/** Relu (opsets 1, 6, 13, 14): max(x, 0); NaN stays NaN. */
export const reluOps: OpDef<undefined>[] = unaryOp({
  opType: 'Relu', sinces: [1, 6, 13, 14], types: [...FLOATS, DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64],
  loops: {
    num(x, y, n) {
      // float32: branch-free on the bits (random signs mispredict a branch), same results.
      if (x instanceof Float32Array && y instanceof Float32Array) return reluF32(x, 0, y, 0, n);
      for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v < 0 ? 0 : v; }
    },
    big(x, y, n) { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v < 0n ? 0n : v; } },
  },
});

/** LeakyRelu (opsets 1, 6, 16): x < 0 ? alpha·x : x (alpha 0.01). */
export const leakyReluOps: OpDef<number>[] = unaryOp<number>({
  opType: 'LeakyRelu', sinces: [1, 6, 16], types: FLOATS,
  parse: (ctx) => floatAttr(ctx.node, 'alpha', Math.fround(0.01)),
  loops: { num(x, y, n, alpha) { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v < 0 ? alpha * v : v; } } },
});

/** ThresholdedRelu (opsets 10, 22): x > alpha ? x : 0 (alpha 1). */
export const thresholdedReluOps: OpDef<number>[] = unaryOp<number>({
  opType: 'ThresholdedRelu', sinces: [10, 22], types: FLOATS,
  parse: (ctx) => floatAttr(ctx.node, 'alpha', 1),
  loops: { num(x, y, n, alpha) { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v > alpha ? v : 0; } } },
});
