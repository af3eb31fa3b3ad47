// IsNaN and IsInf: float classification into bool. IsInf can detect only one sign of infinity.
import { attrInt } from '../../../onnx/attrs';
import { OpDef } from '../../op';
import { FLOATS, unaryOp } from './common';

/** IsNaN (opsets 9, 13, 20). */
export const isNaNOps: OpDef<undefined>[] = unaryOp({
  opType: 'IsNaN', sinces: [9, 13, 20], types: FLOATS, bool: true,
  loops: { num(x, y, n) { for (let i = 0; i < n; i++) y[i] = x[i] !== x[i] ? 1 : 0; } },
});

interface InfAttrs { pos: number; neg: number }

/** IsInf (opsets 10, 20): detect_positive / detect_negative (both 1 by default). */
export const isInfOps: OpDef<InfAttrs>[] = unaryOp<InfAttrs>({
  opType: 'IsInf', sinces: [10, 20], types: FLOATS, bool: true,
  parse: (ctx) => ({ pos: attrInt(ctx.node, 'detect_positive', 1) ? Infinity : NaN, neg: attrInt(ctx.node, 'detect_negative', 1) ? -Infinity : NaN }),
  loops: {
    num(x, y, n, a) {
      const { pos, neg } = a;
      for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v === pos || v === neg ? 1 : 0; }
    },
  },
});
