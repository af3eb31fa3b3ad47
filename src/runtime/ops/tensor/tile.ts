// Tile: repeats the input along each axis; innermost rows are block-copied `repeats` times.

import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { copyBlock, stridesOf } from '../../kernels/strides';
import { need, noComplex, nodeError, readInts, shapeStr } from './common';
import { unsupported } from '../../errors';

/** Tile (opset 6+: repeats input; the opset-1 tiles/axis form is refused). */
export const tile: OpDef<void> = {
  domain: '', opType: 'Tile', since: 1, lowPrecision: 'native',
  parse(ctx) {
    if (ctx.opset < 6) throw unsupported(nodeError(ctx.node, 'the opset-1 Tile form (tiles, axis inputs) is not supported; use opset 6 or later'));
  },
  run(inputs, _a, ctx) {
    const x = need(ctx.node, inputs, 0, 'input');
    noComplex(ctx.node, x);
    const reps = readInts(ctx.node, need(ctx.node, inputs, 1, 'repeats'), 'repeats');
    const r = x.shape.length;
    if (reps.length !== r || reps.some((v) => v < 0)) throw nodeError(ctx.node, `repeats [${reps.join(',')}] must be ${r} non-negative values for input ${shapeStr(x.shape)}`);
    const shape = x.shape.map((d, i) => d * reps[i]);
    const out = ctx.alloc(x.dtype, shape);
    if (out.length === 0) return [{ dtype: x.dtype, shape, data: out }];
    if (r === 0) { copyBlock(out, 0, x.data, 0, 1); return [{ dtype: x.dtype, shape, data: out }]; }
    const xs = stridesOf(x.shape);
    const last = r - 1, dim = x.shape[last], inner = shape[last];
    const rows = sizeOf(shape.slice(0, last));
    const idx = new Array<number>(r).fill(0);
    for (let row = 0; row < rows; row++) {
      let base = 0;
      for (let a = 0; a < last; a++) base += (idx[a] % x.shape[a]) * xs[a];
      for (let k = 0; k < reps[last]; k++) copyBlock(out, row * inner + k * dim, x.data, base, dim);
      for (let a = last - 1; a >= 0; a--) {
        if (++idx[a] < shape[a]) break;
        idx[a] = 0;
      }
    }
    return [{ dtype: x.dtype, shape, data: out }];
  },
};
