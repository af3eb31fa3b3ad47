// Clip: limits values to [min, max]. Opsets 1 and 6 take min/max attributes (default ∓FLT_MAX);
// from opset 11 they are optional scalar inputs defaulting to the type's lowest / largest value.
// When min > max every value becomes max (Min(max, Max(x, min))). NaN stays NaN.
import { DataType } from '../../../onnx/ir';
import { dtypeName } from '../../../onnx/dtype';
import { clipF32 } from '../../kernels/relu-f32';
import { OpDef } from '../../op';
import { Tensor } from '../../tensor';
import { BigArr, checkType, FLOATS, floatAttr, input, INTS, isBig, NumArr, NUMERIC, versions, where } from './common';

const FLT_MAX = 3.4028234663852886e38;

function clipNum(x: NumArr, y: NumArr, n: number, lo: number, hi: number): void {
  // float32: without a data-dependent branch (kernels/relu-f32.ts), same results.
  if (x instanceof Float32Array && y instanceof Float32Array && lo <= hi) return clipF32(x, 0, y, 0, n, lo, hi);
  for (let i = 0; i < n; i++) {
    let v = x[i];
    if (v < lo) v = lo;
    if (v > hi) v = hi;
    y[i] = v;
  }
}

function clipBig(x: BigArr, y: BigArr, n: number, lo: bigint | undefined, hi: bigint | undefined): void {
  const l = lo ?? (x instanceof BigUint64Array ? 0n : -(2n ** 63n));
  const h = hi ?? (x instanceof BigUint64Array ? 2n ** 64n - 1n : 2n ** 63n - 1n);
  for (let i = 0; i < n; i++) {
    let v = x[i];
    if (v < l) v = l;
    if (v > h) v = h;
    y[i] = v;
  }
}

/** The single value of an optional bound input, or undefined when omitted. */
function bound(ctx: Parameters<OpDef['run']>[2], t: Tensor | undefined, dt: DataType, name: string): number | bigint | undefined {
  if (!t) return undefined;
  if (t.dtype !== dt) throw new Error(`${where(ctx.node)}${name} is ${dtypeName(t.dtype)} but the input is ${dtypeName(dt)}; fix the model`);
  if (t.data.length !== 1) throw new Error(`${where(ctx.node)}${name} must be a scalar, but has shape [${t.shape.join(',')}]; fix the model`);
  return t.data[0] as number | bigint;
}

interface ClipAttrs { min: number; max: number }

/** Clip (opsets 1, 6, 11, 12, 13). */
export const clipOps: OpDef<ClipAttrs>[] = versions<ClipAttrs>(
  {
    domain: '',
    opType: 'Clip',
    parse: (ctx) => ({ min: floatAttr(ctx.node, 'min', -FLT_MAX), max: floatAttr(ctx.node, 'max', FLT_MAX) }),
    run(inputs, attrs, ctx) {
      const x = input(ctx, inputs, 0);
      const legacy = ctx.opset < 11;
      checkType(ctx, x.dtype, legacy || ctx.opset < 12 ? FLOATS : NUMERIC);
      const y = ctx.alloc(x.dtype, x.shape);
      const out: Tensor = { dtype: x.dtype, shape: x.shape.slice(), data: y };
      if (legacy) {
        clipNum(x.data as NumArr, y as NumArr, y.length, attrs.min, attrs.max);
        return [out];
      }
      const lo = bound(ctx, inputs[1], x.dtype, 'min');
      const hi = bound(ctx, inputs[2], x.dtype, 'max');
      if (isBig(x.dtype)) {
        clipBig(x.data as BigArr, y as BigArr, y.length, lo as bigint | undefined, hi as bigint | undefined);
      } else {
        // Integer types: their own range is the default, so ∓inf clips nothing.
        const limit = x.dtype === DataType.FLOAT ? FLT_MAX : INTS.includes(x.dtype) ? Infinity : Number.MAX_VALUE;
        clipNum(x.data as NumArr, y as NumArr, y.length, (lo as number | undefined) ?? -limit, (hi as number | undefined) ?? limit);
      }
      return [out];
    },
  },
  [1, 6, 11, 12, 13],
);
