// Shared plan/run for Softmax, LogSoftmax and Hardmax: before opset 13 the input is coerced to
// 2-D at `axis` (default 1) and the function runs over the flattened tail; from opset 13 it runs
// along the single axis `axis` (default −1).

import { softmaxAxis, SoftmaxMode } from '../../kernels/softmax';
import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatData, intAttr, need, normAxis } from './attrs';

interface SmAttrs { axis: number; coerce2d: boolean }

/** Builds the two OpDefs (opset 1 and 13 semantics) for one mode. */
export function softmaxDefs(opType: string, mode: SoftmaxMode): OpDef<SmAttrs>[] {
  const run = (inputs: ReadonlyArray<Tensor | undefined>, a: SmAttrs, ctx: RunContext): Tensor[] => {
    const X = need(ctx.node, inputs, 0, 'input');
    const x = floatData(ctx.node, X, 'input');
    const r = X.shape.length;
    const axis = r === 0 ? 0 : normAxis(ctx.node, a.axis, r);
    const outer = X.shape.slice(0, axis).reduce((s, v) => s * v, 1);
    let n: number;
    let inner: number;
    if (r === 0) { n = 1; inner = 1; } else if (a.coerce2d) {
      n = X.shape.slice(axis).reduce((s, v) => s * v, 1);
      inner = 1;
    } else {
      n = X.shape[axis];
      inner = X.shape.slice(axis + 1).reduce((s, v) => s * v, 1);
    }
    const y = ctx.alloc(X.dtype, X.shape) as Float32Array | Float64Array;
    softmaxAxis(x, y, outer, n, inner, mode);
    return [makeTensor(X.dtype, X.shape, y)];
  };
  const parse = (coerce2d: boolean) => (ctx: PlanContext): SmAttrs => ({
    axis: intAttr(ctx.node, 'axis', coerce2d ? 1 : -1), coerce2d,
  });
  return [
    { domain: '', opType, since: 1, parse: parse(true), run },
    { domain: '', opType, since: 13, parse: parse(false), run },
  ];
}
