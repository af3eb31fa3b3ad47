// SwiGLU (opset 28): Swish(a, alpha) · b with numpy broadcasting, the gated unit of LLM feed-forward
// layers. The Swish runs first over `a`, then the product through Mul's broadcasting kernel, so the
// result equals the op's function body (Swish then Mul).
import { OpDef } from '../../op';
import { floatAttr } from '../nn/attrs';
import { mulOps } from './arith';
import { checkSameType, checkType, FLOATS, input, LegacyBroadcast } from './common';
import { swishOps } from './sigmoid';

/** The newest version of an op. */
const newest = <A>(defs: ReadonlyArray<OpDef<A>>): OpDef<A> => defs.reduce((a, b) => (b.since > a.since ? b : a));
const swish = newest(swishOps);
const mul = newest(mulOps);
const NUMPY: LegacyBroadcast = { legacy: false, broadcast: 0, axis: undefined };

/** SwiGLU (opset 28): float, double (float16 / bfloat16 through float32). */
export const swiGlu: OpDef<number> = {
  domain: '', opType: 'SwiGLU', since: 28,
  parse: (ctx) => floatAttr(ctx.node, 'alpha', 1),
  run(inputs, alpha, ctx) {
    const a = input(ctx, inputs, 0);
    const b = input(ctx, inputs, 1);
    checkSameType(ctx, [a, b]);
    checkType(ctx, a.dtype, FLOATS);
    const [gate] = swish.run([a], alpha, ctx);
    return mul.run([gate, b], NUMPY, ctx);
  },
};
