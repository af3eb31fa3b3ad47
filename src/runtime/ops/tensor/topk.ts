// TopK: the k largest (or smallest) values along an axis and their INT64 indices, sorted, ties
// broken by the lower index. k is an attribute before opset 10 and an input from 10.

import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { argsort } from '../../kernels/argsort';
import { intAttr, need, nodeError, readInts, shapeStr } from './common';

interface TopKAttrs { axis: number; k: number; largest: boolean }

/** TopK (opset 1+; k input from 10; largest/sorted from 11). */
export const topK: OpDef<TopKAttrs> = {
  domain: '', opType: 'TopK', since: 1,
  parse(ctx) {
    return { axis: intAttr(ctx.node, 'axis', -1), k: ctx.opset < 10 ? intAttr(ctx.node, 'k', -1) : -1, largest: ctx.opset < 11 || intAttr(ctx.node, 'largest', 1) !== 0 };
  },
  run(inputs, a, ctx) {
    const x = need(ctx.node, inputs, 0, 'X');
    const d = x.data;
    if (Array.isArray(d)) throw nodeError(ctx.node, 'string inputs are not supported');
    const k = ctx.opset < 10 ? a.k : readInts(ctx.node, need(ctx.node, inputs, 1, 'K'), 'K')[0];
    const r = x.shape.length;
    const axis = a.axis < 0 ? a.axis + r : a.axis;
    if (axis < 0 || axis >= r) throw nodeError(ctx.node, `axis ${a.axis} is out of range for rank ${r}`);
    const dim = x.shape[axis];
    if (!(k >= 0 && k <= dim)) throw nodeError(ctx.node, `k=${k} is out of range for axis ${axis} of input ${shapeStr(x.shape)}`);
    const shape = x.shape.slice();
    shape[axis] = k;
    const vals = ctx.alloc(x.dtype, shape) as typeof d;
    const inds = ctx.alloc(DataType.INT64, shape) as BigInt64Array;
    const outer = sizeOf(x.shape.slice(0, axis)), inner = sizeOf(x.shape.slice(axis + 1));
    const lane = d instanceof BigInt64Array || d instanceof BigUint64Array ? new Array<bigint>(dim) : new Float64Array(dim);
    const idx = new Int32Array(dim), tmp = new Int32Array(dim);
    const dv = d as unknown as number[], ov = vals as unknown as number[];
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * dim * inner + i;
        for (let j = 0; j < dim; j++) { lane[j] = dv[base + j * inner]; idx[j] = j; }
        argsort(lane, idx, tmp, dim, a.largest);
        const ob = o * k * inner + i;
        for (let j = 0; j < k; j++) {
          ov[ob + j * inner] = dv[base + idx[j] * inner];
          inds[ob + j * inner] = BigInt(idx[j]);
        }
      }
    }
    return [{ dtype: x.dtype, shape, data: vals }, { dtype: DataType.INT64, shape: shape.slice(), data: inds }];
  },
};
