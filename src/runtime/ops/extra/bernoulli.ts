// Bernoulli (opset 15): one 0/1 draw per input probability (which must lie in [0, 1]), output in
// the input's dtype or the `dtype` attribute (float, integer or bool types); seeded by `seed`.

import { DataType } from '../../../onnx/ir';
import { allocValues, toFloat32Array } from '../../../onnx/dtype';
import { OpDef } from '../../op';
import { hasAttr, intAttr, need, nodeError, seedAttr, storeFloats } from './common';
import { makeRng } from './prng';

interface BernoulliAttrs { readonly dtype: DataType | undefined; readonly seed: number | undefined }

const FLOAT_OUT = [DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.BFLOAT16];
const INT_OUT = [DataType.UINT8, DataType.UINT16, DataType.UINT32, DataType.INT8, DataType.INT16, DataType.INT32, DataType.BOOL];
const BIG_OUT = [DataType.INT64, DataType.UINT64];

/** Bernoulli (opset 15). */
export const bernoulli: OpDef<BernoulliAttrs> = {
  domain: '', opType: 'Bernoulli', since: 15, lowPrecision: 'native',
  parse(ctx) {
    const { node } = ctx;
    const dtype = hasAttr(node, 'dtype') ? intAttr(node, 'dtype', 1) as DataType : undefined;
    if (dtype !== undefined && ![...FLOAT_OUT, ...INT_OUT, ...BIG_OUT].includes(dtype)) throw nodeError(node, `dtype ${dtype} is not a numeric or bool type`);
    return { dtype, seed: seedAttr(node) };
  },
  run(inputs, a, ctx) {
    const { node } = ctx;
    const x = need(node, inputs, 0, 'input');
    if (!FLOAT_OUT.includes(x.dtype)) throw nodeError(node, `input must be a float tensor of probabilities, got ${DataType[x.dtype]}`);
    const p = x.dtype === DataType.DOUBLE ? x.data as Float64Array : toFloat32Array(x.data, x.dtype);
    const dt = a.dtype ?? x.dtype;
    const rng = makeRng(a.seed);
    const draws = ctx.alloc(DataType.DOUBLE, x.shape) as Float64Array;
    for (let i = 0; i < p.length; i++) {
      const pi = p[i];
      if (!(pi >= 0 && pi <= 1)) throw nodeError(node, `probability ${pi} at index ${i} is outside [0, 1]`);
      draws[i] = rng.uniform() < pi ? 1 : 0;
    }
    if (FLOAT_OUT.includes(dt)) return [{ dtype: dt, shape: x.shape.slice(), data: storeFloats(draws, dt) }];
    const out = allocValues(dt, draws.length);
    if (BIG_OUT.includes(dt)) for (let i = 0; i < draws.length; i++) (out as BigInt64Array)[i] = BigInt(draws[i]);
    else (out as Int32Array).set(draws);
    return [{ dtype: dt, shape: x.shape.slice(), data: out }];
  },
};
