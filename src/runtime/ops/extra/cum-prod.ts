// CumProd (opset 26): running products along an axis, optionally exclusive (shifted by one, the
// first being 1) and/or reversed. Floats round every step to the storage precision, as numpy does;
// integers wrap at their width.

import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { intAttr, need, nodeError, scalarNumber } from '../tensor/common';

interface CumProdAttrs { readonly exclusive: boolean; readonly reverse: boolean }

/** CumProd (opset 26): float, double, (u)int32, (u)int64 (float16 / bfloat16 through float32). */
export const cumProd: OpDef<CumProdAttrs> = {
  domain: '', opType: 'CumProd', since: 26,
  parse(ctx) {
    return { exclusive: intAttr(ctx.node, 'exclusive', 0) !== 0, reverse: intAttr(ctx.node, 'reverse', 0) !== 0 };
  },
  run(inputs, a, ctx) {
    const { node } = ctx;
    const x = need(node, inputs, 0, 'x');
    const kind = x.dtype;
    if (![DataType.FLOAT, DataType.DOUBLE, DataType.INT32, DataType.UINT32, DataType.INT64, DataType.UINT64].includes(kind)) {
      throw nodeError(node, `x of dtype ${DataType[kind]} is not supported (float, double, int32, uint32, int64, uint64)`);
    }
    const r = x.shape.length;
    const ax = scalarNumber(node, need(node, inputs, 1, 'axis'), 'axis');
    const axis = ax < 0 ? ax + r : ax;
    if (axis < 0 || axis >= r) throw nodeError(node, `axis ${ax} is out of range for rank ${r}`);
    const out = ctx.alloc(kind, x.shape);
    const dim = x.shape[axis];
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(x.shape.slice(axis + 1));
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * dim * inner + i;
        if (kind === DataType.INT64 || kind === DataType.UINT64) {
          const xv = x.data as BigInt64Array | BigUint64Array;
          const ov = out as BigInt64Array | BigUint64Array;
          let acc = 1n;
          for (let s = 0; s < dim; s++) {
            const p = base + (a.reverse ? dim - 1 - s : s) * inner;
            if (a.exclusive) { ov[p] = acc; acc = BigInt.asIntN(64, acc * xv[p]); } else { acc = BigInt.asIntN(64, acc * xv[p]); ov[p] = acc; }
          }
        } else {
          const xv = x.data as Float32Array | Float64Array | Int32Array | Uint32Array;
          const ov = out as Float32Array | Float64Array | Int32Array | Uint32Array;
          const f32 = kind === DataType.FLOAT;
          const isInt = kind === DataType.INT32 || kind === DataType.UINT32;
          let acc = 1;
          for (let s = 0; s < dim; s++) {
            const p = base + (a.reverse ? dim - 1 - s : s) * inner;
            const next = isInt ? Math.imul(acc, xv[p]) : f32 ? Math.fround(acc * xv[p]) : acc * xv[p];
            ov[p] = a.exclusive ? acc : next;
            acc = kind === DataType.UINT32 ? next >>> 0 : next;
          }
        }
      }
    }
    return [{ dtype: kind, shape: x.shape.slice(), data: out }];
  },
};
