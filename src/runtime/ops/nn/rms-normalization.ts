// RMSNormalization (opset 23): y = x / √(mean(x²) over [axis, rank) + ε) · scale, scale broadcast
// over the normalised axes; statistics in float64.

import { DataType } from '../../../onnx/ir';
import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatAttr, floatData, intAttr, need, nodeError, normAxis } from './attrs';
import { expandToNormShape } from './norm-util';
import { unsupported } from '../../errors';

interface RmsAttrs { axis: number; epsilon: number }

function parse(ctx: PlanContext): RmsAttrs {
  const stash = intAttr(ctx.node, 'stash_type', 1);
  if (stash !== 1 && stash !== DataType.DOUBLE) throw unsupported(nodeError(ctx.node, `stash_type ${stash} is not supported (1 or 11)`));
  return { axis: intAttr(ctx.node, 'axis', -1), epsilon: floatAttr(ctx.node, 'epsilon', 1e-5) };
}

function run(inputs: ReadonlyArray<Tensor | undefined>, a: RmsAttrs, ctx: RunContext): Tensor[] {
  const node = ctx.node;
  const X = need(node, inputs, 0, 'X');
  const x = floatData(node, X, 'input X');
  const axis = normAxis(node, a.axis, X.shape.length);
  const normShape = X.shape.slice(axis);
  const scale = expandToNormShape(node, need(node, inputs, 1, 'scale'), normShape, 'scale');
  const outer = X.shape.slice(0, axis).reduce((s, v) => s * v, 1);
  const inner = normShape.reduce((s, v) => s * v, 1);
  const y = ctx.alloc(X.dtype, X.shape) as Float32Array | Float64Array;
  for (let o = 0; o < outer; o++) {
    const base = o * inner;
    let q = 0;
    for (let i = 0; i < inner; i++) q += x[base + i] * x[base + i];
    const inv = 1 / Math.sqrt(q / inner + a.epsilon);
    for (let i = 0; i < inner; i++) y[base + i] = x[base + i] * inv * scale[i];
  }
  return [makeTensor(X.dtype, X.shape, y)];
}

/** RMSNormalization, opset 23. */
export const rmsNormalization: OpDef<RmsAttrs> = { domain: '', opType: 'RMSNormalization', since: 23, parse, run };
