// Slice: per-axis [start, end) with steps (negative steps walk backwards), clamped like numpy.
// Opset 1 takes starts/ends/axes attributes; opset 10+ takes them (and steps) as inputs.

import { Node } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { Tensor } from '../../tensor';
import { copyStrided, stridesOf } from '../../kernels/strides';
import { intsAttr, need, noComplex, nodeError, normAxes, readInts } from './common';

interface SliceAttrs { starts?: number[]; ends?: number[]; axes?: number[] }

/** Slices x; `axes`/`steps` default to all leading axes / 1. */
export function sliceTensor(node: Node, x: Tensor, starts: number[], ends: number[], axesIn: number[] | undefined, stepsIn: number[] | undefined, alloc: (dt: Tensor['dtype'], s: number[]) => Tensor['data']): Tensor {
  noComplex(node, x);
  const r = x.shape.length;
  if (starts.length !== ends.length) throw nodeError(node, `starts (${starts.length}) and ends (${ends.length}) differ in length`);
  const axes = normAxes(node, axesIn ?? starts.map((_, i) => i), r);
  if (axes.length !== starts.length) throw nodeError(node, `axes (${axes.length}) and starts (${starts.length}) differ in length`);
  const steps = stepsIn ?? starts.map(() => 1);
  if (steps.length !== starts.length) throw nodeError(node, `steps (${steps.length}) and starts (${starts.length}) differ in length`);
  const inStr = stridesOf(x.shape);
  const outShape = x.shape.slice();
  const srcStr = inStr.slice();
  let base = 0;
  for (let i = 0; i < axes.length; i++) {
    const a = axes[i];
    const dim = x.shape[a];
    const step = steps[i];
    if (step === 0) throw nodeError(node, `step for axis ${a} is 0`);
    let s = starts[i] < 0 ? starts[i] + dim : starts[i];
    let e = ends[i] < 0 ? ends[i] + dim : ends[i];
    let n: number;
    if (step > 0) {
      s = Math.min(Math.max(s, 0), dim);
      e = Math.min(Math.max(e, 0), dim);
      n = Math.max(0, Math.ceil((e - s) / step));
    } else {
      s = Math.min(Math.max(s, 0), dim - 1);
      e = Math.min(Math.max(e, -1), dim - 1);
      n = Math.max(0, Math.ceil((s - e) / -step));
    }
    outShape[a] = n;
    srcStr[a] = inStr[a] * step;
    if (n > 0) base += s * inStr[a];
  }
  const out = alloc(x.dtype, outShape);
  copyStrided(x.data, base, srcStr, out, outShape);
  return { dtype: x.dtype, shape: outShape, data: out };
}

/** Slice opset 1–9: starts, ends, axes attributes. */
export const slice1: OpDef<SliceAttrs> = {
  domain: '', opType: 'Slice', since: 1, lowPrecision: 'native',
  parse(ctx) {
    const starts = intsAttr(ctx.node, 'starts');
    const ends = intsAttr(ctx.node, 'ends');
    if (!starts || !ends) throw nodeError(ctx.node, "missing attribute 'starts' or 'ends'");
    return { starts, ends, axes: intsAttr(ctx.node, 'axes') };
  },
  run(inputs, a, ctx) {
    const x = need(ctx.node, inputs, 0, 'data');
    return [sliceTensor(ctx.node, x, a.starts as number[], a.ends as number[], a.axes, undefined, ctx.alloc)];
  },
};

/** Slice opset 10+: starts, ends, axes, steps inputs. */
export const slice10: OpDef<void> = {
  domain: '', opType: 'Slice', since: 10, lowPrecision: 'native',
  run(inputs, _a, ctx) {
    const n = ctx.node;
    const x = need(n, inputs, 0, 'data');
    const starts = readInts(n, need(n, inputs, 1, 'starts'), 'starts');
    const ends = readInts(n, need(n, inputs, 2, 'ends'), 'ends');
    const axes = inputs[3] ? readInts(n, inputs[3], 'axes') : undefined;
    const steps = inputs[4] ? readInts(n, inputs[4], 'steps') : undefined;
    return [sliceTensor(n, x, starts, ends, axes, steps, ctx.alloc)];
  },
};
