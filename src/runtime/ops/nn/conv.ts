// Conv (opset 1 and 11): N-D convolution with groups, strides, dilations, pads and auto_pad.

import { convForward } from '../../kernels/conv';
import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatData, need, nodeError, shapeStr } from './attrs';
import { ConvAttrs, parseConvAttrs, resolveConv } from './conv-attrs';

/** Runs a Conv node's math on resolved inputs; shared with FusedConv. */
export function runConv(inputs: ReadonlyArray<Tensor | undefined>, a: ConvAttrs, ctx: RunContext): Tensor {
  const node = ctx.node;
  const X = need(node, inputs, 0, 'X');
  const W = need(node, inputs, 1, 'W');
  const x = floatData(node, X, 'input X');
  const w = floatData(node, W, 'weight W');
  if (W.dtype !== X.dtype) throw nodeError(node, 'X and W must have the same dtype');
  const win = resolveConv(node, a, X.shape, W.shape);
  const M = W.shape[0];
  let b: Float32Array | Float64Array | undefined;
  const B = inputs[2];
  if (B) {
    b = floatData(node, B, 'bias B');
    if (B.dtype !== X.dtype) throw nodeError(node, 'B must have the same dtype as X');
    if (B.shape.length !== 1 || B.shape[0] !== M) throw nodeError(node, `bias B has shape ${shapeStr(B.shape)}, expected [${M}]`);
  }
  const outShape = [X.shape[0], M, ...win.outShape];
  const y = ctx.alloc(X.dtype, outShape) as Float32Array | Float64Array;
  convForward(x, X.shape, w, M, b, a.group, win, y);
  return makeTensor(X.dtype, outShape, y);
}

function parse(ctx: PlanContext): ConvAttrs {
  const a = parseConvAttrs(ctx.node);
  const W = ctx.constantInputs[1];
  if (W && W.shape.length >= 3) {
    const k = W.shape.slice(2);
    if (a.kernelShape && a.kernelShape.join(',') !== k.join(',')) {
      throw nodeError(ctx.node, `kernel_shape ${shapeStr(a.kernelShape)} does not match weight W spatial shape ${shapeStr(k)}`);
    }
    if (W.shape[0] % a.group !== 0) throw nodeError(ctx.node, `output channels ${W.shape[0]} are not divisible by group ${a.group}`);
  }
  return a;
}

function run(inputs: ReadonlyArray<Tensor | undefined>, a: ConvAttrs, ctx: RunContext): Tensor[] {
  return [runConv(inputs, a, ctx)];
}

/** Conv from opset 1 on (opsets 11 and 22 changed only wording and type lists). */
export const conv: OpDef<ConvAttrs> = { domain: '', opType: 'Conv', since: 1, parse, run };
