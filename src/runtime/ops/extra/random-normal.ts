// RandomNormal and RandomNormalLike (opset 1+): normal draws with `mean` and `scale` (standard
// deviation) of a given shape (or the input's shape), seeded by `seed` when given.

import { DataType, Node } from '../../../onnx/ir';
import { OpDef, RunContext } from '../../op';
import { Tensor } from '../../tensor';
import { dtypeAttr, floatAttr, intsAttr, need, nodeError, requireFloat, seedAttr, storeFloats } from './common';
import { makeRng } from './prng';

interface NormalAttrs { readonly mean: number; readonly scale: number; readonly seed: number | undefined; readonly dtype: DataType | undefined; readonly shape: number[] | undefined }

function parse(node: Node, like: boolean): NormalAttrs {
  const shape = like ? undefined : intsAttr(node, 'shape');
  if (!like && (!shape || shape.some((d) => d < 0))) throw nodeError(node, 'the shape attribute is required and must be non-negative');
  const scale = floatAttr(node, 'scale', 1);
  if (!(scale >= 0)) throw nodeError(node, `scale must be non-negative, got ${scale}`);
  return { mean: floatAttr(node, 'mean', 0), scale, seed: seedAttr(node), dtype: dtypeAttr(node, like ? undefined : DataType.FLOAT), shape };
}

function draw(ctx: RunContext, a: NormalAttrs, shape: readonly number[], dt: DataType): Tensor[] {
  const rng = makeRng(a.seed);
  const v = ctx.alloc(DataType.DOUBLE, shape) as Float64Array;
  for (let i = 0; i < v.length; i++) v[i] = a.mean + a.scale * rng.normal();
  return [{ dtype: dt, shape: shape.slice(), data: storeFloats(v, dt) }];
}

/** RandomNormal (opset 1). */
export const randomNormal: OpDef<NormalAttrs> = {
  domain: '', opType: 'RandomNormal', since: 1, lowPrecision: 'native',
  parse: (ctx) => parse(ctx.node, false),
  run: (_inputs, a, ctx) => draw(ctx, a, a.shape as number[], a.dtype as DataType),
};

/** RandomNormalLike (opset 1): the input's shape, its dtype unless `dtype` is given. */
export const randomNormalLike: OpDef<NormalAttrs> = {
  domain: '', opType: 'RandomNormalLike', since: 1, lowPrecision: 'native',
  parse: (ctx) => parse(ctx.node, true),
  run: (inputs, a, ctx) => {
    const x = need(ctx.node, inputs, 0, 'input');
    return draw(ctx, a, x.shape, a.dtype ?? requireFloat(ctx.node, x.dtype, 'the input dtype (no dtype attribute)'));
  },
};
