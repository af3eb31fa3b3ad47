// SplitToSequence and ConcatFromSequence (opset 11): a tensor cut along an axis into a sequence
// (into pieces of 1 by default, squeezed unless keepdims; or by a chunk size; or by lengths), and
// a sequence joined along an existing axis or stacked along a new one.
import { allocValues } from '../../../onnx/dtype';
import { OpDef } from '../../op';
import { sizeOf, Tensor } from '../../tensor';
import { copyBlock } from '../../kernels/strides';
import { concat } from '../tensor/concat';
import { normAxis } from '../nn/attrs';
import { readInts } from '../tensor/common';
import { intAttr, nodeError, out, sequence, sequenceInput, tensorInput } from './common';

interface SplitAttrs { readonly axis: number; readonly keepdims: boolean }

/** SplitToSequence: pieces along `axis` (split omitted: size 1, squeezed unless keepdims). */
export const splitToSequence: OpDef<SplitAttrs> = {
  domain: '', opType: 'SplitToSequence', since: 11, values: true,
  parse: (ctx) => ({ axis: intAttr(ctx.node, 'axis', 0), keepdims: intAttr(ctx.node, 'keepdims', 1) !== 0 }),
  run(inputs, a, ctx) {
    const x = tensorInput(ctx.node, inputs, 0, 'input');
    const axis = normAxis(ctx.node, a.axis, x.shape.length);
    const dim = x.shape[axis];
    let lengths: number[];
    let squeeze = false;
    if (!inputs[1]) {
      lengths = new Array<number>(dim).fill(1);
      squeeze = !a.keepdims;
    } else {
      const s = tensorInput(ctx.node, inputs, 1, 'split');
      const v = readInts(ctx.node, s, 'split');
      if (s.shape.length === 0) {
        if (!(v[0] > 0)) throw nodeError(ctx.node, `split ${v[0]} must be positive`);
        lengths = [];
        for (let left = dim; left > 0; left -= v[0]) lengths.push(Math.min(v[0], left));
      } else {
        lengths = v;
        if (v.some((k) => k < 0) || v.reduce((p, q) => p + q, 0) !== dim) throw nodeError(ctx.node, `split lengths [${v.join(',')}] do not add up to dimension ${dim}`);
      }
    }
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(x.shape.slice(axis + 1));
    const items: Tensor[] = [];
    let start = 0;
    for (const len of lengths) {
      const shape = x.shape.slice();
      shape[axis] = len;
      const data = allocValues(x.dtype, outer * len * inner);
      for (let o = 0; o < outer; o++) copyBlock(data, o * len * inner, x.data, (o * dim + start) * inner, len * inner);
      if (squeeze) shape.splice(axis, 1);
      items.push({ dtype: x.dtype, shape, data });
      start += len;
    }
    return [out(sequence(x.dtype, items))];
  },
};

interface ConcatAttrs { readonly axis: number; readonly newAxis: boolean }

/** ConcatFromSequence: Concat of the sequence's tensors, or a stack along a new axis. */
export const concatFromSequence: OpDef<ConcatAttrs> = {
  domain: '', opType: 'ConcatFromSequence', since: 11, values: true,
  parse: (ctx) => ({ axis: intAttr(ctx.node, 'axis', 0), newAxis: intAttr(ctx.node, 'new_axis', 0) !== 0 }),
  run(inputs, a, ctx) {
    const s = sequenceInput(ctx.node, inputs, 0, 'input_sequence');
    if (s.items.length === 0) throw nodeError(ctx.node, 'cannot concatenate an empty sequence');
    let items = s.items;
    let axis = a.axis;
    if (a.newAxis) {
      // Stacking: the new axis ranges over the rank of the result.
      axis = normAxis(ctx.node, axis, items[0].shape.length + 1);
      items = items.map((t) => ({ ...t, shape: [...t.shape.slice(0, axis), 1, ...t.shape.slice(axis)] }));
    }
    return concat.run(items, axis, ctx);
  },
};
