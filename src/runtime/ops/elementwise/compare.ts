// Equal, Greater, GreaterOrEqual, Less, LessOrEqual: comparisons with broadcasting into bool.
// NaN compares false (so Equal(NaN, NaN) is false); Equal also takes bool and string inputs.
import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { BinaryLoops } from '../../kernels/broadcast';
import { BigArr, binaryOp, LegacyBroadcast, NumArr, NUMERIC } from './common';

type N = BinaryLoops<NumArr, NumArr, Uint8Array>;
type B = BinaryLoops<BigArr, BigArr, Uint8Array>;
type S = BinaryLoops<string[], string[], Uint8Array>;

const eqN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] === b[bi + i] ? 1 : 0; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] === s ? 1 : 0; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s === b[bi + i] ? 1 : 0; },
};
const eqB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] === b[bi + i] ? 1 : 0; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] === s ? 1 : 0; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s === b[bi + i] ? 1 : 0; },
};
const eqS: S = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] === b[bi + i] ? 1 : 0; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] === s ? 1 : 0; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s === b[bi + i] ? 1 : 0; },
};
// Bool storage may hold any non-zero byte for true.
const eqBool: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = (a[ai + i] !== 0) === (b[bi + i] !== 0) ? 1 : 0; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi] !== 0; for (let i = 0; i < n; i++) y[o + i] = (a[ai + i] !== 0) === s ? 1 : 0; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai] !== 0; for (let i = 0; i < n; i++) y[o + i] = s === (b[bi + i] !== 0) ? 1 : 0; },
};
const gtN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] > b[bi + i] ? 1 : 0; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] > s ? 1 : 0; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s > b[bi + i] ? 1 : 0; },
};
const gtB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] > b[bi + i] ? 1 : 0; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] > s ? 1 : 0; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s > b[bi + i] ? 1 : 0; },
};
const geN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] >= b[bi + i] ? 1 : 0; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] >= s ? 1 : 0; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s >= b[bi + i] ? 1 : 0; },
};
const geB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] >= b[bi + i] ? 1 : 0; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] >= s ? 1 : 0; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s >= b[bi + i] ? 1 : 0; },
};
const ltN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] < b[bi + i] ? 1 : 0; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] < s ? 1 : 0; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s < b[bi + i] ? 1 : 0; },
};
const ltB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] < b[bi + i] ? 1 : 0; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] < s ? 1 : 0; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s < b[bi + i] ? 1 : 0; },
};
const leN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] <= b[bi + i] ? 1 : 0; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] <= s ? 1 : 0; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s <= b[bi + i] ? 1 : 0; },
};
const leB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] <= b[bi + i] ? 1 : 0; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] <= s ? 1 : 0; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s <= b[bi + i] ? 1 : 0; },
};

/** Equal (opsets 1, 7, 11, 13, 19): numbers, bool and (19+) strings. */
export const equalOps: OpDef<LegacyBroadcast>[] = binaryOp({
  opType: 'Equal', sinces: [1, 7, 11, 13, 19], types: [...NUMERIC, DataType.BOOL, DataType.STRING],
  num: eqN, big: eqB, str: eqS, boolIn: eqBool, bool: true, legacyBelow: 7,
});
/** Greater (opsets 1, 7, 9, 13). */
export const greaterOps: OpDef<LegacyBroadcast>[] = binaryOp({ opType: 'Greater', sinces: [1, 7, 9, 13], types: NUMERIC, num: gtN, big: gtB, bool: true, legacyBelow: 7 });
/** GreaterOrEqual (opsets 12, 16). */
export const greaterOrEqualOps: OpDef<LegacyBroadcast>[] = binaryOp({ opType: 'GreaterOrEqual', sinces: [12, 16], types: NUMERIC, num: geN, big: geB, bool: true });
/** Less (opsets 1, 7, 9, 13). */
export const lessOps: OpDef<LegacyBroadcast>[] = binaryOp({ opType: 'Less', sinces: [1, 7, 9, 13], types: NUMERIC, num: ltN, big: ltB, bool: true, legacyBelow: 7 });
/** LessOrEqual (opsets 12, 16). */
export const lessOrEqualOps: OpDef<LegacyBroadcast>[] = binaryOp({ opType: 'LessOrEqual', sinces: [12, 16], types: NUMERIC, num: leN, big: leB, bool: true });
