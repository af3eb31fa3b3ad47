// ai.onnx.ml ArrayFeatureExtractor (opset 1): picks elements of the last axis of X by the int64
// indices Y: the output is X's shape with the last dimension replaced by len(Y); a 1-D X gives [1, len(Y)].
import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { readInts } from '../tensor/common';
import { need, nodeError } from '../nn/attrs';

/** ArrayFeatureExtractor (ai.onnx.ml 1): any dtype (plain copies). */
export const arrayFeatureExtractor: OpDef<void> = {
  domain: 'ai.onnx.ml', opType: 'ArrayFeatureExtractor', since: 1, lowPrecision: 'native',
  run(inputs, _a, ctx) {
    const x = need(ctx.node, inputs, 0, 'X');
    const idx = readInts(ctx.node, need(ctx.node, inputs, 1, 'Y'), 'Y');
    if (x.shape.length === 0) throw nodeError(ctx.node, 'X must have at least one dimension');
    const last = x.shape[x.shape.length - 1];
    for (const k of idx) if (!(k >= 0 && k < last)) throw nodeError(ctx.node, `index ${k} is outside the last dimension of X (size ${last})`);
    const rows = sizeOf(x.shape.slice(0, -1));
    const shape = x.shape.length === 1 ? [1, idx.length] : [...x.shape.slice(0, -1), idx.length];
    const y = ctx.alloc(x.dtype, shape) as unknown as { [i: number]: unknown };
    const xv = x.data as unknown as { [i: number]: unknown };
    for (let r = 0; r < rows; r++) for (let j = 0; j < idx.length; j++) y[r * idx.length + j] = xv[r * last + idx[j]];
    return [{ dtype: x.dtype, shape, data: y as never }];
  },
};
