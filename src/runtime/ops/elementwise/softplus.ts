// Softplus, Softsign, Mish: smooth activations.
import { OpDef } from '../../op';
import { FLOATS, unaryOp } from './common';

/** Softplus (opsets 1, 22): ln(1 + e^x), without overflow for large x. */
export const softplusOps: OpDef<undefined>[] = unaryOp({
  opType: 'Softplus', sinces: [1, 22], types: FLOATS,
  loops: {
    num(x, y, n) { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)); } },
  },
});

/** Softsign (opsets 1, 22): x / (1 + |x|). */
export const softsignOps: OpDef<undefined>[] = unaryOp({
  opType: 'Softsign', sinces: [1, 22], types: FLOATS,
  loops: { num(x, y, n) { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v / (1 + Math.abs(v)); } } },
});

/** Mish (opsets 18, 22): x · tanh(softplus(x)). */
export const mishOps: OpDef<undefined>[] = unaryOp({
  opType: 'Mish', sinces: [18, 22], types: FLOATS,
  loops: {
    num(x, y, n) {
      for (let i = 0; i < n; i++) {
        const v = x[i];
        const sp = v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
        y[i] = v * Math.tanh(sp);
      }
    },
  },
});
