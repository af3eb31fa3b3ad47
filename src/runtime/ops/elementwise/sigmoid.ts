// Sigmoid, HardSigmoid, HardSwish, Swish, Tanh: squashing activations.
import { OpDef } from '../../op';
import { FLOATS, floatAttr, unaryOp } from './common';

/** Sigmoid (opsets 1, 6, 13): 1 / (1 + e^−x), evaluated without overflow for large |x|. */
export const sigmoidOps: OpDef<undefined>[] = unaryOp({
  opType: 'Sigmoid', sinces: [1, 6, 13], types: FLOATS,
  loops: {
    num(x, y, n) {
      for (let i = 0; i < n; i++) {
        const v = x[i];
        if (v >= 0) y[i] = 1 / (1 + Math.exp(-v));
        else { const e = Math.exp(v); y[i] = e / (1 + e); }
      }
    },
  },
});

interface Hard { alpha: number; beta: number }

/** HardSigmoid (opsets 1, 6, 22): max(0, min(1, alpha·x + beta)) (alpha 0.2, beta 0.5). */
export const hardSigmoidOps: OpDef<Hard>[] = unaryOp<Hard>({
  opType: 'HardSigmoid', sinces: [1, 6, 22], types: FLOATS,
  parse: (ctx) => ({ alpha: floatAttr(ctx.node, 'alpha', Math.fround(0.2)), beta: floatAttr(ctx.node, 'beta', 0.5) }),
  loops: {
    num(x, y, n, { alpha, beta }) {
      for (let i = 0; i < n; i++) { const v = alpha * x[i] + beta; y[i] = v > 1 ? 1 : v > 0 ? v : v !== v ? v : 0; }
    },
  },
});

/** HardSwish (opsets 14, 22): x · max(0, min(1, x/6 + 1/2)). */
export const hardSwishOps: OpDef<undefined>[] = unaryOp({
  opType: 'HardSwish', sinces: [14, 22], types: FLOATS,
  loops: {
    num(x, y, n) {
      for (let i = 0; i < n; i++) { const v = x[i]; const h = v / 6 + 0.5; y[i] = h >= 1 ? v : h > 0 ? v * h : h !== h ? h : 0; }
    },
  },
});

/** Tanh (opsets 1, 6, 13). */
export const tanhOps: OpDef<undefined>[] = unaryOp({
  opType: 'Tanh', sinces: [1, 6, 13], types: FLOATS,
  loops: { num(x, y, n) { for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]); } },
});

/** Swish (opset 24): x · sigmoid(alpha·x) (alpha 1). */
export const swishOps: OpDef<number>[] = unaryOp<number>({
  opType: 'Swish', sinces: [24], types: FLOATS,
  parse: (ctx) => floatAttr(ctx.node, 'alpha', 1),
  loops: {
    num(x, y, n, alpha) {
      for (let i = 0; i < n; i++) {
        const v = x[i];
        const z = alpha * v;
        if (z >= 0) y[i] = v / (1 + Math.exp(-z));
        else { const e = Math.exp(z); y[i] = (v * e) / (1 + e); }
      }
    },
  },
});
