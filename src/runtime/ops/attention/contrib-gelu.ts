// The com.microsoft GELU family onnxruntime's transformer optimizer emits: Gelu (erf form),
// BiasGelu (erf GELU of x + bias) and FastGelu (tanh approximation of x [+ bias]). The bias is a
// vector along the last axis. Arithmetic is float64, stored as float32 (or float64).

import { DataType, Node } from '../../../onnx/ir';
import { OpDef, RunContext } from '../../op';
import { Tensor } from '../../tensor';
import { floatData } from '../nn/attrs';
import { erf } from '../elementwise/erf';
import { need, nodeError } from './common';

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** x (and its optional bias along the last axis) as float arrays; the bias length must match the last axis. */
function withBias(node: Node, x: Tensor, bias: Tensor | undefined): { xv: Float32Array | Float64Array; bv: Float32Array | Float64Array | undefined } {
  const xv = floatData(node, x, 'input');
  if (!bias) return { xv, bv: undefined };
  const bv = floatData(node, bias, 'bias');
  const last = x.shape.length ? x.shape[x.shape.length - 1] : 1;
  if (bias.shape.length !== 1 || bv.length !== last) throw nodeError(node, `bias must be 1-D of the input's last axis (${last}), got [${bias.shape.join(',')}]`);
  if (bias.dtype !== x.dtype) throw nodeError(node, 'bias and input dtypes differ');
  return { xv, bv };
}

function gelu(ctx: RunContext, x: Tensor, bias: Tensor | undefined, tanhForm: boolean): Tensor[] {
  const { xv, bv } = withBias(ctx.node, x, bias);
  const y = ctx.alloc(x.dtype, x.shape) as Float32Array | Float64Array;
  const n = xv.length;
  const m = bv ? bv.length : 1;
  for (let i = 0; i < n; i++) {
    const v = bv ? xv[i] + bv[i % m] : xv[i];
    y[i] = tanhForm ? 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v))) : 0.5 * v * (1 + erf(v * SQRT1_2));
  }
  return [{ dtype: x.dtype === DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT, shape: x.shape.slice(), data: y }];
}

/** com.microsoft.Gelu: x·Φ(x) with the exact (erf) CDF. */
export const msGelu: OpDef<undefined> = {
  domain: 'com.microsoft', opType: 'Gelu', since: 1,
  run(inputs, _a, ctx) {
    return gelu(ctx, need(ctx.node, inputs, 0, 'X'), undefined, false);
  },
};

/** com.microsoft.BiasGelu: Gelu(A + B), B a bias along the last axis. */
export const biasGelu: OpDef<undefined> = {
  domain: 'com.microsoft', opType: 'BiasGelu', since: 1,
  run(inputs, _a, ctx) {
    return gelu(ctx, need(ctx.node, inputs, 0, 'A'), need(ctx.node, inputs, 1, 'B'), false);
  },
};

/** com.microsoft.FastGelu: tanh-approximated GELU of X (+ optional bias). */
export const fastGelu: OpDef<undefined> = {
  domain: 'com.microsoft', opType: 'FastGelu', since: 1,
  run(inputs, _a, ctx) {
    return gelu(ctx, need(ctx.node, inputs, 0, 'X'), inputs[1], true);
  },
};
