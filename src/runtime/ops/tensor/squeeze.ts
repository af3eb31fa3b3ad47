// Squeeze and Unsqueeze: remove or insert size-1 axes. Zero-copy: outputs share the input's storage.

import { Node } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { Tensor } from '../../tensor';
import { intsAttr, need, nodeError, normAxes, readInts, shapeStr, view } from './common';

function axesOf(node: Node, opset: number, attr: number[] | undefined, inputs: ReadonlyArray<Tensor | undefined>): number[] | undefined {
  if (opset < 13) return attr;
  return inputs[1] ? readInts(node, inputs[1], 'axes') : undefined;
}

/** Squeeze (opset 1+; axes attribute before 13, input from 13). */
export const squeeze: OpDef<number[] | undefined> = {
  domain: '', opType: 'Squeeze', since: 1, lowPrecision: 'native',
  parse(ctx) {
    return ctx.opset < 13 ? intsAttr(ctx.node, 'axes') : undefined;
  },
  run(inputs, attr, ctx) {
    const x = need(ctx.node, inputs, 0, 'data');
    const axes = axesOf(ctx.node, ctx.opset, attr, inputs);
    let out: number[];
    if (!axes || axes.length === 0) {
      out = x.shape.filter((d) => d !== 1);
    } else {
      const ax = normAxes(ctx.node, axes, x.shape.length);
      for (const a of ax) {
        if (x.shape[a] !== 1) throw nodeError(ctx.node, `cannot squeeze axis ${a} of size ${x.shape[a]} (input ${shapeStr(x.shape)})`);
      }
      out = x.shape.filter((_, i) => !ax.includes(i));
    }
    return [view(x, out)];
  },
};

/** Unsqueeze (opset 1+; axes attribute before 13, input from 13; negative axes from 11). */
export const unsqueeze: OpDef<number[] | undefined> = {
  domain: '', opType: 'Unsqueeze', since: 1, lowPrecision: 'native',
  parse(ctx) {
    return ctx.opset < 13 ? intsAttr(ctx.node, 'axes') : undefined;
  },
  run(inputs, attr, ctx) {
    const x = need(ctx.node, inputs, 0, 'data');
    const axes = axesOf(ctx.node, ctx.opset, attr, inputs);
    if (!axes) throw nodeError(ctx.node, 'missing axes');
    const r = x.shape.length + axes.length;
    const ax = normAxes(ctx.node, axes, r);
    const out: number[] = [];
    let k = 0;
    for (let i = 0; i < r; i++) out.push(ax.includes(i) ? 1 : x.shape[k++]);
    return [view(x, out)];
  },
};
