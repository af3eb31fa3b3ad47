// Elu, Selu, Celu: exponential linear units.
import { OpDef } from '../../op';
import { FLOATS, floatAttr, unaryOp } from './common';

/** Elu (opsets 1, 6, 22): x < 0 ? alpha·(e^x − 1) : x (alpha 1). */
export const eluOps: OpDef<number>[] = unaryOp<number>({
  opType: 'Elu', sinces: [1, 6, 22], types: FLOATS,
  parse: (ctx) => floatAttr(ctx.node, 'alpha', 1),
  loops: { num(x, y, n, alpha) { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v < 0 ? alpha * Math.expm1(v) : v; } } },
});

interface Selu { alpha: number; gamma: number }

/** Selu (opsets 1, 6, 22): gamma·(x > 0 ? x : alpha·e^x − alpha). Opset 1 had rounder defaults. */
export const seluOps: OpDef<Selu>[] = unaryOp<Selu>({
  opType: 'Selu', sinces: [1, 6, 22], types: FLOATS,
  parse: (ctx) => ctx.opset < 6
    ? { alpha: floatAttr(ctx.node, 'alpha', Math.fround(1.6732)), gamma: floatAttr(ctx.node, 'gamma', Math.fround(1.0507)) }
    : { alpha: floatAttr(ctx.node, 'alpha', 1.67326319217681884765625), gamma: floatAttr(ctx.node, 'gamma', 1.05070102214813232421875) },
  loops: {
    num(x, y, n, { alpha, gamma }) {
      for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v > 0 ? gamma * v : gamma * (alpha * Math.exp(v) - alpha); }
    },
  },
});

/** Celu (opsets 12, 28): max(0, x) + min(0, alpha·(e^(x/alpha) − 1)) (alpha 1). */
export const celuOps: OpDef<number>[] = unaryOp<number>({
  opType: 'Celu', sinces: [12, 28], types: FLOATS,
  parse: (ctx) => floatAttr(ctx.node, 'alpha', 1),
  loops: {
    num(x, y, n, alpha) {
      for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v > 0 ? v : alpha * Math.expm1(v / alpha); }
    },
  },
});
