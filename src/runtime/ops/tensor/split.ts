// Split: cuts a tensor into pieces along an axis (split sizes from an attribute, an input, or equal
// parts; opset 18 num_outputs with a smaller last chunk).

import { Node } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { Tensor, sizeOf } from '../../tensor';
import { copyBlock } from '../../kernels/strides';
import { intAttr, intsAttr, hasAttr, need, noComplex, nodeError, readInts } from './common';

interface SplitAttrs { axis: number; split?: number[]; numOutputs?: number }

function sizes(node: Node, dim: number, a: SplitAttrs, splitInput: Tensor | undefined, nOut: number, opset: number): number[] {
  const split = splitInput ? readInts(node, splitInput, 'split') : a.split;
  if (split && split.length > 0) {
    if (split.length !== nOut) throw nodeError(node, `split has ${split.length} entries but the node has ${nOut} outputs`);
    if (split.some((s) => s < 0) || split.reduce((x, y) => x + y, 0) !== dim) {
      throw nodeError(node, `split [${split.join(',')}] does not sum to the axis size ${dim}`);
    }
    return split;
  }
  const n = a.numOutputs ?? nOut;
  if (opset >= 18) {
    const chunk = Math.ceil(dim / n);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(Math.max(0, Math.min(chunk, dim - i * chunk)));
    return out;
  }
  if (dim % n !== 0) throw nodeError(node, `axis size ${dim} does not split evenly into ${n} outputs`);
  return new Array<number>(n).fill(dim / n);
}

/** Split (opset 1+: split input or attribute before 13, input from 13, num_outputs from 18). */
export const split: OpDef<SplitAttrs> = {
  domain: '', opType: 'Split', since: 1, lowPrecision: 'native',
  parse(ctx) {
    const a: SplitAttrs = { axis: intAttr(ctx.node, 'axis', 0) };
    if (ctx.opset < 13) a.split = intsAttr(ctx.node, 'split');
    if (ctx.opset >= 18 && hasAttr(ctx.node, 'num_outputs')) {
      a.numOutputs = intAttr(ctx.node, 'num_outputs', 0);
      if (a.numOutputs !== ctx.node.outputs.length) throw nodeError(ctx.node, `num_outputs ${a.numOutputs} differs from the ${ctx.node.outputs.length} outputs`);
    }
    return a;
  },
  run(inputs, a, ctx) {
    const x = need(ctx.node, inputs, 0, 'input');
    noComplex(ctx.node, x);
    const r = x.shape.length;
    const axis = a.axis < 0 ? a.axis + r : a.axis;
    if (axis < 0 || axis >= r) throw nodeError(ctx.node, `axis ${a.axis} is out of range for rank ${r}`);
    const useInput = ctx.opset >= 13 || ctx.opset === 1 ? inputs[1] : undefined;
    const parts = sizes(ctx.node, x.shape[axis], a, useInput, ctx.node.outputs.length, ctx.opset);
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(x.shape.slice(axis + 1));
    const rowIn = x.shape[axis] * inner;
    const res: Tensor[] = [];
    let start = 0;
    for (const p of parts) {
      const shape = x.shape.slice();
      shape[axis] = p;
      const out = ctx.alloc(x.dtype, shape);
      const row = p * inner;
      for (let o = 0; o < outer; o++) copyBlock(out, o * row, x.data, o * rowIn + start * inner, row);
      res.push({ dtype: x.dtype, shape, data: out });
      start += p;
    }
    return res;
  },
};
