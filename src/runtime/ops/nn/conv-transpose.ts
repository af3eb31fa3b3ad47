// ConvTranspose (opsets 1, 11): GEMM (Wᵀ·X per group) then col2im scatter-add, with groups,
// strides, dilations, pads, output_padding, output_shape and auto_pad.

import { gemm } from '../../kernels/gemm';
import { colScratch } from '../../kernels/conv';
import { col2imNd } from '../../kernels/im2col';
import { Window } from '../../kernels/window';
import { Node } from '../../../onnx/ir';
import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatData, intsAttr, need, nodeError, shapeStr } from './attrs';
import { checkPads, ConvAttrs, parseConvAttrs, perAxis } from './conv-attrs';
import { unsupported } from '../../errors';

interface ConvTAttrs extends ConvAttrs { outputPadding?: number[]; outputShape?: number[] }

function parse(ctx: PlanContext): ConvTAttrs {
  const a = parseConvAttrs(ctx.node);
  const outputPadding = intsAttr(ctx.node, 'output_padding');
  const outputShape = intsAttr(ctx.node, 'output_shape');
  if (outputPadding?.some((v) => v < 0)) throw nodeError(ctx.node, `output_padding ${shapeStr(outputPadding)} must be non-negative`);
  return { ...a, outputPadding, outputShape };
}

/** Resolves pads and output size per spatial axis (ONNX ConvTranspose shape rules). */
function resolve(node: Node, a: ConvTAttrs, xShape: readonly number[], wShape: readonly number[]): { win: Window; out: number[] } {
  const r = xShape.length - 2;
  if (r < 1 || wShape.length !== xShape.length) {
    throw nodeError(node, `input X ${shapeStr(xShape)} and weight W ${shapeStr(wShape)} must both be [.., .., spatial...] of equal rank`);
  }
  if (xShape[1] !== wShape[0]) throw nodeError(node, `weight W ${shapeStr(wShape)} expects ${wShape[0]} input channels, X has ${xShape[1]}`);
  if (xShape[1] % a.group !== 0) throw nodeError(node, `input channels ${xShape[1]} are not divisible by group ${a.group}`);
  const kernel = wShape.slice(2);
  if (a.kernelShape && a.kernelShape.join(',') !== kernel.join(',')) {
    throw nodeError(node, `kernel_shape ${shapeStr(a.kernelShape)} does not match weight W spatial shape ${shapeStr(kernel)}`);
  }
  const strides = perAxis(node, 'strides', a.strides, r, 1);
  const dilations = perAxis(node, 'dilations', a.dilations, r, 1);
  const outPad = perAxis(node, 'output_padding', a.outputPadding, r, 0);
  const pads = checkPads(node, a.pads, r);
  let wanted = a.outputShape;
  if (wanted && wanted.length === r + 2) wanted = wanted.slice(2);
  if (wanted && wanted.length !== r) throw nodeError(node, `output_shape ${shapeStr(wanted)} must have ${r} entries`);
  const same = a.autoPad === 'SAME_UPPER' || a.autoPad === 'SAME_LOWER';
  const padsBegin: number[] = [];
  const padsEnd: number[] = [];
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const full = strides[i] * (xShape[i + 2] - 1) + outPad[i] + (kernel[i] - 1) * dilations[i] + 1;
    const target = wanted ? wanted[i] : same ? xShape[i + 2] * strides[i] : undefined;
    if (target === undefined) {
      const pb = a.autoPad === 'VALID' || !pads ? 0 : pads[i];
      const pe = a.autoPad === 'VALID' || !pads ? 0 : pads[i + r];
      padsBegin.push(pb); padsEnd.push(pe); out.push(full - pb - pe);
      continue;
    }
    const total = full - target;
    if (wanted && pads?.some((v) => v !== 0)) {
      throw unsupported(nodeError(node, 'output_shape together with non-zero pads is not supported (the ONNX spec ignores pads, its reference applies them)'));
    }
    if (total === 0 || (total === -1 && !same)) {
      padsBegin.push(0); padsEnd.push(total); out.push(target);
    } else if (total < 0) {
      throw unsupported(nodeError(node, `an output ${-total} larger than the full transposed output on axis ${i} is not supported (ONNX spec and runtimes disagree); use output_padding`));
    } else {
      // Spec and onnxruntime: SAME_UPPER puts the odd pad at the end, NOTSET/SAME_LOWER at the start.
      const small = Math.floor(total / 2);
      padsBegin.push(a.autoPad === 'SAME_UPPER' ? small : total - small);
      padsEnd.push(a.autoPad === 'SAME_UPPER' ? total - small : small);
      out.push(target);
    }
  }
  if (out.some((v) => v < 1)) throw nodeError(node, `computed output spatial shape ${shapeStr(out)} is empty`);
  return { win: { kernel, strides, dilations, padsBegin, padsEnd, outShape: xShape.slice(2) }, out };
}

function run(inputs: ReadonlyArray<Tensor | undefined>, a: ConvTAttrs, ctx: RunContext): Tensor[] {
  const node = ctx.node;
  const X = need(node, inputs, 0, 'X');
  const W = need(node, inputs, 1, 'W');
  const x = floatData(node, X, 'input X');
  const w = floatData(node, W, 'weight W');
  if (X.dtype !== W.dtype) throw nodeError(node, 'X and W must have the same dtype');
  const { win, out } = resolve(node, a, X.shape, W.shape);
  const g = a.group;
  const N = X.shape[0];
  const C = X.shape[1];
  const cg = C / g;
  const mg = W.shape[1];
  const M = mg * g;
  const B = inputs[2];
  let b: Float32Array | Float64Array | undefined;
  if (B) {
    b = floatData(node, B, 'bias B');
    if (B.shape.length !== 1 || B.shape[0] !== M) throw nodeError(node, `bias B has shape ${shapeStr(B.shape)}, expected [${M}]`);
  }
  const inSize = X.shape.slice(2).reduce((s, v) => s * v, 1);
  const outSize = out.reduce((s, v) => s * v, 1);
  const kSize = win.kernel.reduce((s, v) => s * v, 1);
  const rows = mg * kSize;
  const outShape = [N, M, ...out];
  const y = ctx.alloc(X.dtype, outShape) as Float32Array | Float64Array;
  for (let m = 0; m < N * M; m++) y.fill(b ? b[m % M] : 0, m * outSize, (m + 1) * outSize);
  const col = colScratch(x, rows * inSize);
  for (let n = 0; n < N; n++) {
    for (let gi = 0; gi < g; gi++) {
      gemm(true, false, rows, inSize, cg, 1, w, gi * cg * rows, rows, x, (n * C + gi * cg) * inSize, inSize, 0, col, 0, inSize);
      col2imNd(col, mg, out, win, y, (n * M + gi * mg) * outSize);
    }
  }
  return [makeTensor(X.dtype, outShape, y)];
}

/** ConvTranspose from opset 1 on (11 and 22 changed wording and type lists only). */
export const convTranspose: OpDef<ConvTAttrs> = { domain: '', opType: 'ConvTranspose', since: 1, parse, run };
