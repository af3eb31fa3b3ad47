// Reshape: a new shape over the same elements. Zero-copy: the output shares the input's storage,
// so the executor must not free the input while the output is alive.

import { Node } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { sizeOf, Tensor } from '../../tensor';
import { intAttr, intsAttr, need, nodeError, readInts, shapeStr, view } from './common';

interface ReshapeAttrs { allowzero: boolean; shapeAttr?: number[] }

/** Resolves a requested shape (0 = copy, -1 = infer, allowzero) against the input shape. */
export function resolveReshape(node: Node, inShape: readonly number[], req: readonly number[], allowzero: boolean): number[] {
  const out = req.slice();
  let infer = -1;
  let known = 1;
  for (let i = 0; i < out.length; i++) {
    if (out[i] === -1) {
      if (infer >= 0) throw nodeError(node, `shape ${shapeStr(req)} has more than one -1`);
      infer = i;
      continue;
    }
    if (out[i] === 0 && !allowzero) {
      if (i >= inShape.length) throw nodeError(node, `shape ${shapeStr(req)} copies dimension ${i} (0) but the input ${shapeStr(inShape)} has rank ${inShape.length}`);
      out[i] = inShape[i];
    }
    if (out[i] < 0) throw nodeError(node, `shape ${shapeStr(req)} has an invalid dimension ${out[i]}`);
    known *= out[i];
  }
  const total = sizeOf(inShape);
  if (infer >= 0) {
    if (allowzero && out.includes(0)) throw nodeError(node, `shape ${shapeStr(req)} has both 0 and -1 with allowzero=1`);
    if (known === 0 || total % known !== 0) throw nodeError(node, `cannot reshape input ${shapeStr(inShape)} to ${shapeStr(req)}`);
    out[infer] = total / known;
  } else if (known !== total) {
    throw nodeError(node, `cannot reshape input ${shapeStr(inShape)} (${total} elements) to ${shapeStr(req)} (${known} elements)`);
  }
  return out;
}

function run(x: Tensor, req: number[], node: Node, allowzero: boolean): Tensor[] {
  return [view(x, resolveReshape(node, x.shape, req, allowzero))];
}

/** Reshape opset 1–4: the shape is an attribute. */
export const reshape1: OpDef<ReshapeAttrs> = {
  domain: '', opType: 'Reshape', since: 1, lowPrecision: 'native',
  parse(ctx) {
    const s = intsAttr(ctx.node, 'shape');
    if (!s) throw nodeError(ctx.node, "missing attribute 'shape'");
    return { allowzero: false, shapeAttr: s };
  },
  run(inputs, a, ctx) {
    return run(need(ctx.node, inputs, 0, 'data'), a.shapeAttr as number[], ctx.node, false);
  },
};

/** Reshape opset 5+: the shape is input 1; allowzero from opset 14. */
export const reshape5: OpDef<ReshapeAttrs> = {
  domain: '', opType: 'Reshape', since: 5, lowPrecision: 'native',
  parse(ctx) {
    return { allowzero: ctx.opset >= 14 && intAttr(ctx.node, 'allowzero', 0) !== 0 };
  },
  run(inputs, a, ctx) {
    const req = readInts(ctx.node, need(ctx.node, inputs, 1, 'shape'), 'shape');
    return run(need(ctx.node, inputs, 0, 'data'), req, ctx.node, a.allowzero);
  },
};
