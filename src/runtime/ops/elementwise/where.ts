// Where: picks X where the condition is true, else Y, with numpy broadcasting of all three.
// Works on every element type (strings and BigInts included), since it only moves elements.
import { DataType } from '../../../onnx/ir';
import { dtypeName } from '../../../onnx/dtype';
import { OpDef } from '../../op';
import { broadcastShapes, planRows, runTernary, TernaryRow } from '../../kernels/broadcast';
import { checkSameType, input, versions, where } from './common';
import { unsupported } from '../../errors';

type Elems = { [i: number]: unknown };

/** y[o..o+n) = c ? x : z, each operand advancing by its own step. */
const whereRow: TernaryRow<Uint8Array, Elems, Elems, Elems> = (c, ci, cs, x, xi, xs, z, zi, zs, y, o, n) => {
  if (cs === 1 && xs === 1 && zs === 1) {
    for (let i = 0; i < n; i++) y[o + i] = c[ci + i] !== 0 ? x[xi + i] : z[zi + i];
    return;
  }
  for (let i = 0; i < n; i++, ci += cs, xi += xs, zi += zs) y[o + i] = c[ci] !== 0 ? x[xi] : z[zi];
};

/** Where (opsets 9, 16). */
export const whereOps: OpDef<undefined>[] = versions<undefined>(
  {
    domain: '',
    opType: 'Where',
    lowPrecision: 'native',
    run(inputs, _a, ctx) {
      const c = input(ctx, inputs, 0);
      const x = input(ctx, inputs, 1);
      const z = input(ctx, inputs, 2);
      if (c.dtype !== DataType.BOOL) throw new Error(`${where(ctx.node)}condition must be bool, got ${dtypeName(c.dtype)}; fix the model`);
      checkSameType(ctx, [x, z]);
      if (x.dtype === DataType.COMPLEX64 || x.dtype === DataType.COMPLEX128) throw unsupported(new Error(`${where(ctx.node)}complex inputs are not supported`));
      let outShape: number[];
      try {
        outShape = broadcastShapes([c.shape, x.shape, z.shape]);
      } catch (e) {
        throw new Error(`${where(ctx.node)}${(e as Error).message}; fix the model`);
      }
      const y = ctx.alloc(x.dtype, outShape);
      runTernary(whereRow, c.data as Uint8Array, x.data as Elems, z.data as Elems, y as Elems, planRows(outShape, [c.shape, x.shape, z.shape]));
      return [{ dtype: x.dtype, shape: outShape, data: y }];
    },
  },
  [9, 16],
);
