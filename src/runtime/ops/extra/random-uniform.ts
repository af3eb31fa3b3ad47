// RandomUniform and RandomUniformLike (opset 1+): uniform draws in [low, high) of a given shape
// (or the input's shape), seeded by `seed` when given (the same values on every run).

import { DataType, Node } from '../../../onnx/ir';
import { OpDef, RunContext } from '../../op';
import { Tensor } from '../../tensor';
import { dtypeAttr, floatAttr, intsAttr, need, nodeError, requireFloat, seedAttr, storeFloats } from './common';
import { makeRng } from './prng';

interface UniformAttrs { readonly low: number; readonly high: number; readonly seed: number | undefined; readonly dtype: DataType | undefined; readonly shape: number[] | undefined }

function parse(node: Node, like: boolean): UniformAttrs {
  const low = floatAttr(node, 'low', 0);
  const high = floatAttr(node, 'high', 1);
  if (!(high >= low)) throw nodeError(node, `high (${high}) must not be below low (${low})`);
  const shape = like ? undefined : intsAttr(node, 'shape');
  if (!like && (!shape || shape.some((d) => d < 0))) throw nodeError(node, 'the shape attribute is required and must be non-negative');
  return { low, high, seed: seedAttr(node), dtype: dtypeAttr(node, like ? undefined : DataType.FLOAT), shape };
}

function draw(ctx: RunContext, a: UniformAttrs, shape: readonly number[], dt: DataType): Tensor[] {
  const rng = makeRng(a.seed);
  const v = ctx.alloc(DataType.DOUBLE, shape) as Float64Array;
  for (let i = 0; i < v.length; i++) v[i] = a.low + (a.high - a.low) * rng.uniform();
  return [{ dtype: dt, shape: shape.slice(), data: storeFloats(v, dt) }];
}

/** RandomUniform (opset 1). */
export const randomUniform: OpDef<UniformAttrs> = {
  domain: '', opType: 'RandomUniform', since: 1, lowPrecision: 'native',
  parse: (ctx) => parse(ctx.node, false),
  run: (_inputs, a, ctx) => draw(ctx, a, a.shape as number[], a.dtype as DataType),
};

/** RandomUniformLike (opset 1): the input's shape, its dtype unless `dtype` is given. */
export const randomUniformLike: OpDef<UniformAttrs> = {
  domain: '', opType: 'RandomUniformLike', since: 1, lowPrecision: 'native',
  parse: (ctx) => parse(ctx.node, true),
  run: (inputs, a, ctx) => {
    const x = need(ctx.node, inputs, 0, 'input');
    return draw(ctx, a, x.shape, a.dtype ?? requireFloat(ctx.node, x.dtype, 'the input dtype (no dtype attribute)'));
  },
};
