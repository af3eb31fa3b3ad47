// EyeLike: a 2-D tensor shaped like the input with ones on the k-th diagonal, of `dtype` (default:
// the input's dtype).

import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { Elems } from '../../kernels/strides';
import { hasAttr, intAttr, need, nodeError } from './common';

interface EyeAttrs { dtype?: DataType; k: number }

/** The "one" of a dtype's storage kind. */
function one(dt: DataType): unknown {
  if (dt === DataType.INT64 || dt === DataType.UINT64) return 1n;
  if (dt === DataType.FLOAT16) return 0x3c00;
  if (dt === DataType.BFLOAT16) return 0x3f80;
  if (dt === DataType.STRING || dt === DataType.COMPLEX64 || dt === DataType.COMPLEX128 || dt >= 17) return undefined;
  return 1;
}

/** EyeLike (opset 9+). */
export const eyeLike: OpDef<EyeAttrs> = {
  domain: '', opType: 'EyeLike', since: 9, lowPrecision: 'native',
  parse(ctx) {
    const dtype = hasAttr(ctx.node, 'dtype') ? (intAttr(ctx.node, 'dtype', 0) as DataType) : undefined;
    if (dtype !== undefined && one(dtype) === undefined) throw nodeError(ctx.node, `dtype ${DataType[dtype] ?? dtype} is not supported`);
    return { dtype, k: intAttr(ctx.node, 'k', 0) };
  },
  run(inputs, a, ctx) {
    const x = need(ctx.node, inputs, 0, 'input');
    if (x.shape.length !== 2) throw nodeError(ctx.node, `input must be 2-D, got rank ${x.shape.length}`);
    const dt = a.dtype ?? x.dtype;
    const v = one(dt);
    if (v === undefined) throw nodeError(ctx.node, `dtype ${DataType[dt] ?? dt} is not supported`);
    const [N, M] = x.shape;
    const out = ctx.alloc(dt, [N, M]);
    const d = out as Elems;
    for (let i = 0; i < N; i++) {
      const j = i + a.k;
      if (j >= 0 && j < M) d[i * M + j] = v;
    }
    return [{ dtype: dt, shape: [N, M], data: out }];
  },
};
