// LayerNormalization (opset 17): normalise over axes [axis, rank), scale and bias broadcast over
// those axes; optional Mean and InvStdDev outputs shaped X.shape[:axis] + 1s. Statistics are
// computed in float64.

import { DataType } from '../../../onnx/ir';
import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatAttr, floatData, intAttr, need, nodeError, normAxis } from './attrs';
import { expandToNormShape } from './norm-util';
import { unsupported } from '../../errors';

interface LnAttrs { axis: number; epsilon: number; stash: number }

function parse(ctx: PlanContext): LnAttrs {
  const stash = intAttr(ctx.node, 'stash_type', 1);
  if (stash !== 1 && stash !== DataType.DOUBLE) throw unsupported(nodeError(ctx.node, `stash_type ${stash} is not supported (1 or 11)`));
  return { axis: intAttr(ctx.node, 'axis', -1), epsilon: floatAttr(ctx.node, 'epsilon', 1e-5), stash };
}

function run(inputs: ReadonlyArray<Tensor | undefined>, a: LnAttrs, ctx: RunContext): Tensor[] {
  const node = ctx.node;
  const X = need(node, inputs, 0, 'X');
  const x = floatData(node, X, 'input X');
  const axis = normAxis(node, a.axis, X.shape.length);
  const normShape = X.shape.slice(axis);
  const scale = expandToNormShape(node, need(node, inputs, 1, 'Scale'), normShape, 'Scale');
  const B = inputs[2];
  const bias = B ? expandToNormShape(node, B, normShape, 'B') : undefined;
  const outer = X.shape.slice(0, axis).reduce((s, v) => s * v, 1);
  const inner = normShape.reduce((s, v) => s * v, 1);
  const y = ctx.alloc(X.dtype, X.shape) as Float32Array | Float64Array;
  const statShape = [...X.shape.slice(0, axis), ...normShape.map(() => 1)];
  const uType = a.stash === DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
  const wantMean = (node.outputs[1] ?? '') !== '';
  const wantInv = (node.outputs[2] ?? '') !== '';
  const meanOut = wantMean ? (ctx.alloc(uType, statShape) as Float32Array) : undefined;
  const invOut = wantInv ? (ctx.alloc(uType, statShape) as Float32Array) : undefined;
  for (let o = 0; o < outer; o++) {
    const base = o * inner;
    let s = 0;
    for (let i = 0; i < inner; i++) s += x[base + i];
    const m = s / inner;
    let q = 0;
    for (let i = 0; i < inner; i++) { const d = x[base + i] - m; q += d * d; }
    const inv = 1 / Math.sqrt(q / inner + a.epsilon);
    if (bias) for (let i = 0; i < inner; i++) y[base + i] = (x[base + i] - m) * inv * scale[i] + bias[i];
    else for (let i = 0; i < inner; i++) y[base + i] = (x[base + i] - m) * inv * scale[i];
    if (meanOut) meanOut[o] = m;
    if (invOut) invOut[o] = inv;
  }
  const out = [makeTensor(X.dtype, X.shape, y)];
  if (wantMean || wantInv) out.push(meanOut ? makeTensor(uType, statShape, meanOut) : out[0]);
  if (invOut) out.push(makeTensor(uType, statShape, invOut));
  return out;
}

/** LayerNormalization, opset 17. */
export const layerNormalization: OpDef<LnAttrs> = { domain: '', opType: 'LayerNormalization', since: 17, parse, run };
