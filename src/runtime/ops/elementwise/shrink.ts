// Shrink (opset 9): x < −lambd ? x + bias : x > lambd ? x − bias : 0, for every numeric type.
// Integer results are computed in doubles and truncated, as the ONNX reference does.
import { OpDef } from '../../op';
import { floatAttr, NUMERIC, unaryOp } from './common';

interface Shrink { lambd: number; bias: number; bigBias: bigint | undefined }

/** Shrink (opset 9). */
export const shrinkOps: OpDef<Shrink>[] = unaryOp<Shrink>({
  opType: 'Shrink', sinces: [9], types: NUMERIC,
  parse(ctx) {
    const lambd = floatAttr(ctx.node, 'lambd', 0.5);
    const bias = floatAttr(ctx.node, 'bias', 0);
    return { lambd, bias, bigBias: Number.isInteger(bias) ? BigInt(bias) : undefined };
  },
  loops: {
    num(x, y, n, { lambd, bias }) {
      const lo = -lambd;
      for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v < lo ? v + bias : v > lambd ? v - bias : 0; }
    },
    big(x, y, n, { lambd, bias, bigBias }) {
      const lo = -lambd;
      for (let i = 0; i < n; i++) {
        const v = x[i];
        const f = Number(v);
        if (f < lo) y[i] = bigBias !== undefined ? v + bigBias : BigInt(Math.trunc(f + bias));
        else if (f > lambd) y[i] = bigBias !== undefined ? v - bigBias : BigInt(Math.trunc(f - bias));
        else y[i] = 0n;
      }
    },
  },
});
