// Add, Sub, Mul, Div: binary arithmetic with numpy broadcasting (legacy broadcast/axis attributes
// below opset 7). Integer results wrap like C; integer Div truncates toward zero (x/0 gives 0).
import { OpDef } from '../../op';
import { BinaryLoops } from '../../kernels/broadcast';
import { BigArr, binaryOp, LegacyBroadcast, NumArr, NUMERIC } from './common';

type N = BinaryLoops<NumArr, NumArr, NumArr>;
type B = BinaryLoops<BigArr, BigArr, BigArr>;

// Number storage: typed-array stores truncate and wrap, so int8..uint32 Add/Sub and all Div are exact.
const addN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] + b[bi + i]; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] + s; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s + b[bi + i]; },
};
const addB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] + b[bi + i]; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] + s; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s + b[bi + i]; },
};
const subN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] - b[bi + i]; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] - s; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s - b[bi + i]; },
};
const subB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] - b[bi + i]; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] - s; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s - b[bi + i]; },
};
// int8/int16 products fit a double exactly; int32/uint32 need Math.imul for the low 32 bits.
const mulN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] * b[bi + i]; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] * s; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s * b[bi + i]; },
};
const mulI: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = Math.imul(a[ai + i], b[bi + i]); },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = Math.imul(a[ai + i], s); },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = Math.imul(s, b[bi + i]); },
};
const mulB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] * b[bi + i]; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] * s; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s * b[bi + i]; },
};
// Integer outputs: the quotient is truncated by the store; x/0 stores ±inf or NaN, which become 0.
const divN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] / b[bi + i]; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] / s; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s / b[bi + i]; },
};
// BigInt division truncates toward zero; division by zero would throw, so it gives 0.
const divB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) { const d = b[bi + i]; y[o + i] = d === 0n ? 0n : a[ai + i] / d; } },
  vs(a, ai, b, bi, y, o, n) {
    const s = b[bi];
    if (s === 0n) y.fill(0n, o, o + n);
    else for (let i = 0; i < n; i++) y[o + i] = a[ai + i] / s;
  },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) { const d = b[bi + i]; y[o + i] = d === 0n ? 0n : s / d; } },
};

const SINCES = [1, 6, 7, 13, 14];

/** Add (opsets 1, 6, 7, 13, 14). */
export const addOps: OpDef<LegacyBroadcast>[] = binaryOp({ opType: 'Add', sinces: SINCES, types: NUMERIC, num: addN, big: addB, legacyBelow: 7 });
/** Sub (opsets 1, 6, 7, 13, 14). */
export const subOps: OpDef<LegacyBroadcast>[] = binaryOp({ opType: 'Sub', sinces: SINCES, types: NUMERIC, num: subN, big: subB, legacyBelow: 7 });
/** Mul (opsets 1, 6, 7, 13, 14). */
export const mulOps: OpDef<LegacyBroadcast>[] = binaryOp({ opType: 'Mul', sinces: SINCES, types: NUMERIC, num: mulN, int32: mulI, big: mulB, legacyBelow: 7 });
/** Div (opsets 1, 6, 7, 13, 14). */
export const divOps: OpDef<LegacyBroadcast>[] = binaryOp({ opType: 'Div', sinces: SINCES, types: NUMERIC, num: divN, big: divB, legacyBelow: 7 });

/** The Add loops, reused by the variadic Sum and Mean. */
export const addLoops = { num: addN, big: addB };
