// ScatterElements (and the deprecated opset-9 Scatter): a copy of data where each updates element is
// written (or reduced) at its own position with the axis coordinate taken from indices.

import { OpDef, PlanContext } from '../../op';
import { sizeOf } from '../../tensor';
import { Elems, copyBlock, stridesOf } from '../../kernels/strides';
import { intAttr, need, noComplex, nodeError, readInts, shapeStr } from './common';
import { applyOne, parseReduction, Reduction } from './scatter-reduce';

interface ScatterAttrs { axis: number; reduction: Reduction }

const def = {
  domain: '', lowPrecision: 'native' as const,
  parse(ctx: PlanContext): ScatterAttrs {
    const reduction = ctx.node.opType === 'Scatter' ? 'none' : parseReduction(ctx.node, ctx.opset);
    return { axis: intAttr(ctx.node, 'axis', 0), reduction };
  },
  run: ((inputs, a, ctx) => {
    const x = need(ctx.node, inputs, 0, 'data');
    const it = need(ctx.node, inputs, 1, 'indices');
    const up = need(ctx.node, inputs, 2, 'updates');
    noComplex(ctx.node, x);
    const r = x.shape.length;
    const axis = a.axis < 0 ? a.axis + r : a.axis;
    if (axis < 0 || axis >= r) throw nodeError(ctx.node, `axis ${a.axis} is out of range for rank ${r}`);
    if (it.shape.length !== r || up.shape.join(',') !== it.shape.join(',')) {
      throw nodeError(ctx.node, `indices ${shapeStr(it.shape)} and updates ${shapeStr(up.shape)} must match in shape and have the data's rank ${r}`);
    }
    const idx = readInts(ctx.node, it, 'indices');
    const out = ctx.alloc(x.dtype, x.shape);
    copyBlock(out, 0, x.data, 0, x.data.length);
    const xs = stridesOf(x.shape);
    const shp = it.shape;
    const dim = x.shape[axis];
    const n = sizeOf(shp);
    const pos = new Array<number>(r).fill(0);
    const d = out as Elems;
    const u = up.data as Elems;
    for (let p = 0; p < n; p++) {
      let t = 0;
      for (let k = 0; k < r; k++) {
        if (k === axis) {
          let v = idx[p];
          if (v < -dim || v >= dim) throw nodeError(ctx.node, `index ${v} is out of range for axis ${axis} of size ${dim}`);
          if (v < 0) v += dim;
          t += v * xs[k];
        } else t += pos[k] * xs[k];
      }
      applyOne(d, t, u, p, a.reduction);
      for (let k = r - 1; k >= 0; k--) {
        if (++pos[k] < shp[k]) break;
        pos[k] = 0;
      }
    }
    return [{ dtype: x.dtype, shape: x.shape.slice(), data: out }];
  }) as OpDef<ScatterAttrs>['run'],
};

/** ScatterElements (opset 11+; reduction add/mul from 16, max/min from 18). */
export const scatterElements: OpDef<ScatterAttrs> = { ...def, opType: 'ScatterElements', since: 11 };

/** Scatter (opset 9–10, deprecated): ScatterElements without reduction. */
export const scatter: OpDef<ScatterAttrs> = { ...def, opType: 'Scatter', since: 9 };
