// StringConcat (opset 20): element-wise concatenation of two string tensors with numpy broadcasting.

import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { broadcastShapes } from '../../kernels/broadcast';
import { broadcastIndex, need, nodeError, strings } from './common';

/** StringConcat: Y = X + Y as strings, broadcast. */
export const stringConcat: OpDef<undefined> = {
  domain: '', opType: 'StringConcat', since: 20, lowPrecision: 'native',
  run(inputs, _a, ctx) {
    const { node } = ctx;
    const X = need(node, inputs, 0, 'X');
    const Y = need(node, inputs, 1, 'Y');
    const x = strings(node, X, 'X');
    const y = strings(node, Y, 'Y');
    let shape: number[];
    try {
      shape = broadcastShapes([X.shape, Y.shape]);
    } catch (err) {
      throw nodeError(node, (err as Error).message);
    }
    const xi = broadcastIndex(X.shape, shape);
    const yi = broadcastIndex(Y.shape, shape);
    const out = ctx.alloc(DataType.STRING, shape) as string[];
    for (let i = 0; i < out.length; i++) out[i] = x[xi[i]] + y[yi[i]];
    return [{ dtype: DataType.STRING, shape, data: out }];
  },
};
