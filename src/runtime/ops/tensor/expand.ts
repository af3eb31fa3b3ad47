// Expand: broadcasts the input to a shape (numpy rules, both ways), reading broadcast axes with
// stride 0.

import { OpDef } from '../../op';
import { copyStrided, stridesOf } from '../../kernels/strides';
import { need, noComplex, nodeError, readInts, shapeStr } from './common';

/** Expand (opset 8+). */
export const expand: OpDef<void> = {
  domain: '', opType: 'Expand', since: 8, lowPrecision: 'native',
  run(inputs, _a, ctx) {
    const x = need(ctx.node, inputs, 0, 'input');
    noComplex(ctx.node, x);
    const req = readInts(ctx.node, need(ctx.node, inputs, 1, 'shape'), 'shape');
    const r = Math.max(req.length, x.shape.length);
    const xs = stridesOf(x.shape);
    const shape: number[] = [];
    const srcStr: number[] = [];
    for (let i = 0; i < r; i++) {
      const xi = i - (r - x.shape.length), si = i - (r - req.length);
      const a = xi >= 0 ? x.shape[xi] : 1;
      const b = si >= 0 ? req[si] : 1;
      if (a !== b && a !== 1 && b !== 1) throw nodeError(ctx.node, `cannot broadcast input ${shapeStr(x.shape)} to shape ${shapeStr(req)}`);
      const d = a === 1 ? b : a;
      shape.push(d);
      srcStr.push(xi >= 0 && a !== 1 ? xs[xi] : 0);
    }
    const out = ctx.alloc(x.dtype, shape);
    copyStrided(x.data, 0, srcStr, out, shape);
    return [{ dtype: x.dtype, shape, data: out }];
  },
};
