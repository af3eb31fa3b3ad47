// ArgMax and ArgMin: INT64 index of the extreme value along an axis (first occurrence, or last
// with select_last_index from opset 12), with keepdims.

import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { intAttr, need, nodeError } from './common';

interface ArgAttrs { axis: number; keepdims: boolean; last: boolean }

function make(opType: 'ArgMax' | 'ArgMin'): OpDef<ArgAttrs> {
  const isMax = opType === 'ArgMax';
  return {
    domain: '', opType, since: 1,
    parse(ctx) {
      return { axis: intAttr(ctx.node, 'axis', 0), keepdims: intAttr(ctx.node, 'keepdims', 1) !== 0, last: ctx.opset >= 12 && intAttr(ctx.node, 'select_last_index', 0) !== 0 };
    },
    run(inputs, a, ctx) {
      const x = need(ctx.node, inputs, 0, 'data');
      if (Array.isArray(x.data)) throw nodeError(ctx.node, 'string inputs are not supported');
      const r = x.shape.length;
      const axis = a.axis < 0 ? a.axis + r : a.axis;
      if (axis < 0 || axis >= r) throw nodeError(ctx.node, `axis ${a.axis} is out of range for rank ${r}`);
      const dim = x.shape[axis];
      if (dim === 0) throw nodeError(ctx.node, `cannot take ${opType} over the empty axis ${axis}`);
      const shape = a.keepdims ? x.shape.map((d, i) => (i === axis ? 1 : d)) : x.shape.filter((_, i) => i !== axis);
      const out = ctx.alloc(DataType.INT64, shape) as BigInt64Array;
      const outer = sizeOf(x.shape.slice(0, axis)), inner = sizeOf(x.shape.slice(axis + 1));
      const v = x.data as unknown as number[];
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * dim * inner + i;
          let best = v[base], at = 0;
          for (let j = 1; j < dim; j++) {
            const c = v[base + j * inner];
            const better = isMax ? (a.last ? c >= best : c > best) : (a.last ? c <= best : c < best);
            if (better) { best = c; at = j; }
          }
          out[o * inner + i] = BigInt(at);
        }
      }
      return [{ dtype: DataType.INT64, shape, data: out }];
    },
  };
}

/** ArgMax (opset 1+). */
export const argMax = make('ArgMax');
/** ArgMin (opset 1+). */
export const argMin = make('ArgMin');
