// HannWindow, HammingWindow, BlackmanWindow (opset 17): generalized cosine windows of a given
// size, periodic (denominator N) or symmetric (N − 1), in output_datatype (FLOAT or DOUBLE).

import { DataType } from '../../../onnx/ir';
import { dtypeName } from '../../../onnx/dtype';
import { OpDef } from '../../op';
import { intAttr, need, nodeError } from '../nn/attrs';
import { scalarNumber } from '../tensor/common';
import { unsupported } from '../../errors';

/** Window attributes. */
interface WindowAttrs { periodic: boolean; dtype: DataType }

/** a0 − a1·cos(2πn/D) + a2·cos(4πn/D) coefficients per op. */
function def(opType: string, a0: number, a1: number, a2: number): OpDef<WindowAttrs> {
  return {
    domain: '', opType, since: 17,
    parse(ctx) {
      const dtype = intAttr(ctx.node, 'output_datatype', DataType.FLOAT);
      if (dtype !== DataType.FLOAT && dtype !== DataType.DOUBLE) throw unsupported(nodeError(ctx.node, `output_datatype ${dtypeName(dtype)} is not supported (FLOAT, DOUBLE)`));
      return { periodic: intAttr(ctx.node, 'periodic', 1) !== 0, dtype };
    },
    run(inputs, a, ctx) {
      const N = scalarNumber(ctx.node, need(ctx.node, inputs, 0, 'size'), 'size');
      if (!Number.isInteger(N) || N < 0) throw nodeError(ctx.node, `size must be a non-negative integer, got ${N}`);
      const D = a.periodic ? N : N - 1;
      if (N > 0 && D === 0) throw nodeError(ctx.node, 'a symmetric window of size 1 is undefined (division by zero)');
      const y = ctx.alloc(a.dtype, [N]) as Float32Array | Float64Array;
      for (let n = 0; n < N; n++) {
        const t = (2 * Math.PI * n) / D;
        y[n] = a0 - a1 * Math.cos(t) + a2 * Math.cos(2 * t);
      }
      return [{ dtype: a.dtype, shape: [N], data: y }];
    },
  };
}

/** HannWindow: 0.5 − 0.5·cos. */
export const hannWindow = def('HannWindow', 0.5, 0.5, 0);
/** HammingWindow: 25/46 − 21/46·cos. */
export const hammingWindow = def('HammingWindow', 25 / 46, 21 / 46, 0);
/** BlackmanWindow: 0.42 − 0.5·cos + 0.08·cos(2·). */
export const blackmanWindow = def('BlackmanWindow', 0.42, 0.5, 0.08);
