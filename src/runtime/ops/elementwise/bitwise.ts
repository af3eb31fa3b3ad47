// BitwiseAnd/Or/Xor/Not on integers and BitShift on unsigned integers, with broadcasting.
// Shifts by at least the type's width give 0 (as numpy does), never a wrapped shift count.
import { attrString } from '../../../onnx/attrs';
import { OpDef } from '../../op';
import { BinaryLoops } from '../../kernels/broadcast';
import { BigArr, binaryOp, broadcastBinary, checkSameType, checkType, input, INTS, isBig, NumArr, UNSIGNED, unaryOp, versions, where } from './common';

type N = BinaryLoops<NumArr, NumArr, NumArr>;
type B = BinaryLoops<BigArr, BigArr, BigArr>;

// Results are stored into the operands' own array kind, which wraps them to the type's width.
const andN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] & b[bi + i]; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] & s; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s & b[bi + i]; },
};
const andB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] & b[bi + i]; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] & s; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s & b[bi + i]; },
};
const orN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] | b[bi + i]; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] | s; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s | b[bi + i]; },
};
const orB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] | b[bi + i]; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] | s; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s | b[bi + i]; },
};
const xorN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] ^ b[bi + i]; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] ^ s; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s ^ b[bi + i]; },
};
const xorB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] ^ b[bi + i]; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] ^ s; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s ^ b[bi + i]; },
};

// Unsigned operands below 2^32; a shift count above 31 leaves no bits of a 32-bit (or narrower) value.
const shlN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) { const s = b[bi + i]; y[o + i] = s > 31 ? 0 : a[ai + i] << s; } },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; if (s > 31) y.fill(0, o, o + n); else for (let i = 0; i < n; i++) y[o + i] = a[ai + i] << s; },
  sv(a, ai, b, bi, y, o, n) { const v = a[ai]; for (let i = 0; i < n; i++) { const s = b[bi + i]; y[o + i] = s > 31 ? 0 : v << s; } },
};
const shrN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) { const s = b[bi + i]; y[o + i] = s > 31 ? 0 : a[ai + i] >>> s; } },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; if (s > 31) y.fill(0, o, o + n); else for (let i = 0; i < n; i++) y[o + i] = a[ai + i] >>> s; },
  sv(a, ai, b, bi, y, o, n) { const v = a[ai]; for (let i = 0; i < n; i++) { const s = b[bi + i]; y[o + i] = s > 31 ? 0 : v >>> s; } },
};
// uint64: the store wraps a left shift to 64 bits; counts of 64 or more give 0 (and never a huge BigInt).
const shlB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) { const s = b[bi + i]; y[o + i] = s > 63n ? 0n : a[ai + i] << s; } },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; if (s > 63n) y.fill(0n, o, o + n); else for (let i = 0; i < n; i++) y[o + i] = a[ai + i] << s; },
  sv(a, ai, b, bi, y, o, n) { const v = a[ai]; for (let i = 0; i < n; i++) { const s = b[bi + i]; y[o + i] = s > 63n ? 0n : v << s; } },
};
const shrB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) { const s = b[bi + i]; y[o + i] = s > 63n ? 0n : a[ai + i] >> s; } },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; if (s > 63n) y.fill(0n, o, o + n); else for (let i = 0; i < n; i++) y[o + i] = a[ai + i] >> s; },
  sv(a, ai, b, bi, y, o, n) { const v = a[ai]; for (let i = 0; i < n; i++) { const s = b[bi + i]; y[o + i] = s > 63n ? 0n : v >> s; } },
};

/** BitwiseAnd (opset 18). */
export const bitwiseAndOps: OpDef<unknown>[] = binaryOp({ opType: 'BitwiseAnd', sinces: [18], types: INTS, num: andN, big: andB });
/** BitwiseOr (opset 18). */
export const bitwiseOrOps: OpDef<unknown>[] = binaryOp({ opType: 'BitwiseOr', sinces: [18], types: INTS, num: orN, big: orB });
/** BitwiseXor (opset 18). */
export const bitwiseXorOps: OpDef<unknown>[] = binaryOp({ opType: 'BitwiseXor', sinces: [18], types: INTS, num: xorN, big: xorB });
/** BitwiseNot (opset 18). */
export const bitwiseNotOps: OpDef<undefined>[] = unaryOp({
  opType: 'BitwiseNot', sinces: [18], types: INTS,
  loops: {
    num(x, y, n) { for (let i = 0; i < n; i++) y[i] = ~x[i]; },
    big(x, y, n) { for (let i = 0; i < n; i++) y[i] = ~x[i]; },
  },
});

/** BitShift (opset 11): direction LEFT or RIGHT, unsigned integers. */
export const bitShiftOps: OpDef<boolean>[] = versions<boolean>(
  {
    domain: '',
    opType: 'BitShift',
    parse(ctx) {
      const d = attrString(ctx.node, 'direction', '');
      if (d !== 'LEFT' && d !== 'RIGHT') throw new Error(`${where(ctx.node)}attribute direction must be "LEFT" or "RIGHT", got "${d}"; fix the model`);
      return d === 'LEFT';
    },
    run(inputs, left, ctx) {
      const a = input(ctx, inputs, 0);
      const b = input(ctx, inputs, 1);
      checkSameType(ctx, [a, b]);
      checkType(ctx, a.dtype, UNSIGNED);
      const big = isBig(a.dtype);
      const loops = left ? (big ? shlB : shlN) : big ? shrB : shrN;
      return [broadcastBinary(ctx, loops, a, b, a.dtype)];
    },
  },
  [11],
);

