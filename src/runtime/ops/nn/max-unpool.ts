// MaxUnpool (opsets 9, 11): scatters X into a zero tensor at the flat positions given by I
// (as produced by MaxPool's Indices); output shape from output_shape or the pooling geometry.

import { DataType } from '../../../onnx/ir';
import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatData, intsAttr, need, nodeError, shapeStr } from './attrs';
import { checkPads, perAxis } from './conv-attrs';

interface UnpoolAttrs { kernelShape: number[]; strides: number[]; pads: number[] }

function parse(ctx: PlanContext): UnpoolAttrs {
  const node = ctx.node;
  const kernelShape = intsAttr(node, 'kernel_shape');
  if (!kernelShape || kernelShape.length === 0) throw nodeError(node, 'attribute kernel_shape is required');
  const r = kernelShape.length;
  const strides = perAxis(node, 'strides', intsAttr(node, 'strides'), r, 1);
  const pads = checkPads(node, intsAttr(node, 'pads'), r) ?? new Array<number>(2 * r).fill(0);
  return { kernelShape, strides, pads };
}

function run(inputs: ReadonlyArray<Tensor | undefined>, a: UnpoolAttrs, ctx: RunContext): Tensor[] {
  const node = ctx.node;
  const X = need(node, inputs, 0, 'X');
  const I = need(node, inputs, 1, 'I');
  const x = floatData(node, X, 'input X');
  if (I.dtype !== DataType.INT64) throw nodeError(node, 'indices I must be INT64');
  if (I.shape.join(',') !== X.shape.join(',')) throw nodeError(node, `indices I ${shapeStr(I.shape)} must have X's shape ${shapeStr(X.shape)}`);
  const r = a.kernelShape.length;
  if (X.shape.length !== r + 2) throw nodeError(node, `input X ${shapeStr(X.shape)} needs rank ${r + 2} for kernel_shape ${shapeStr(a.kernelShape)}`);
  // Indices address the default unpooled shape; output_shape may only extend it at the end of
  // each axis (the ONNX reference places the default result at the origin of a larger output).
  const defShape = [X.shape[0], X.shape[1]];
  for (let i = 0; i < r; i++) {
    defShape.push((X.shape[i + 2] - 1) * a.strides[i] + a.kernelShape[i] - a.pads[i] - a.pads[i + r]);
  }
  if (defShape.some((v) => v < 1)) throw nodeError(node, `computed output shape ${shapeStr(defShape)} is invalid`);
  let outShape = defShape;
  const S = inputs[2];
  if (S) {
    const d = S.data;
    if (!(d instanceof BigInt64Array) || d.length !== r + 2) throw nodeError(node, `output_shape must be INT64 with ${r + 2} entries`);
    outShape = Array.from(d, (v) => Number(v)); // per-element-ok: output_shape is a rank-sized shape tensor
    if (outShape.some((v, i) => (i < 2 ? v !== defShape[i] : v < defShape[i]))) {
      throw nodeError(node, `output_shape ${shapeStr(outShape)} must keep N, C and be at least ${shapeStr(defShape)}`);
    }
  }
  const y = ctx.alloc(X.dtype, outShape) as Float32Array | Float64Array;
  y.fill(0);
  const idx = I.data as BigInt64Array;
  const total = defShape.reduce((p, v) => p * v, 1);
  for (let j = 0; j < x.length; j++) {
    let k = Number(idx[j]);
    if (k < 0 || k >= total) throw nodeError(node, `index ${k} is outside the unpooled tensor of ${total} elements`);
    // Re-address k from defShape into outShape.
    let dst = 0;
    let mul = 1;
    for (let ax = defShape.length - 1; ax >= 0; ax--) {
      const c = k % defShape[ax];
      k = (k - c) / defShape[ax];
      dst += c * mul;
      mul *= outShape[ax];
    }
    y[dst] = x[j];
  }
  return [makeTensor(X.dtype, outShape, y)];
}

/** MaxUnpool from opset 9 on. */
export const maxUnpool: OpDef<UnpoolAttrs> = { domain: '', opType: 'MaxUnpool', since: 9, parse, run };
