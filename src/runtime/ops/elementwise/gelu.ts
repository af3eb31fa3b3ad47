// Gelu (opset 20): x·Φ(x) exactly via erf, or the tanh approximation (approximate="tanh").
import { attrString } from '../../../onnx/attrs';
import { OpDef } from '../../op';
import { FLOATS, unaryOp, where } from './common';
import { erf } from './erf';

const SQRT_HALF = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Gelu (opset 20). The attribute is true for approximate="tanh". */
export const geluOps: OpDef<boolean>[] = unaryOp<boolean>({
  opType: 'Gelu', sinces: [20], types: FLOATS,
  parse(ctx) {
    const a = attrString(ctx.node, 'approximate', 'none');
    if (a !== 'none' && a !== 'tanh') throw new Error(`${where(ctx.node)}attribute approximate must be "none" or "tanh", got "${a}"; fix the model`);
    return a === 'tanh';
  },
  loops: {
    num(x, y, n, tanh) {
      if (tanh) {
        for (let i = 0; i < n; i++) { const v = x[i]; y[i] = 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v))); }
      } else {
        for (let i = 0; i < n; i++) { const v = x[i]; y[i] = 0.5 * v * (1 + erf(v * SQRT_HALF)); }
      }
    },
  },
});
