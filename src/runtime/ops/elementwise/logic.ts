// And, Or, Xor (bool, with broadcasting) and Not. Any non-zero bool byte counts as true.
import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { BinaryLoops } from '../../kernels/broadcast';
import { binaryOp, LegacyBroadcast, unaryOp } from './common';

type L = BinaryLoops<Uint8Array, Uint8Array, Uint8Array>;
const BOOL = [DataType.BOOL];

const andL: L = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] !== 0 && b[bi + i] !== 0 ? 1 : 0; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi] !== 0; for (let i = 0; i < n; i++) y[o + i] = s && a[ai + i] !== 0 ? 1 : 0; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai] !== 0; for (let i = 0; i < n; i++) y[o + i] = s && b[bi + i] !== 0 ? 1 : 0; },
};
const orL: L = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] !== 0 || b[bi + i] !== 0 ? 1 : 0; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi] !== 0; for (let i = 0; i < n; i++) y[o + i] = s || a[ai + i] !== 0 ? 1 : 0; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai] !== 0; for (let i = 0; i < n; i++) y[o + i] = s || b[bi + i] !== 0 ? 1 : 0; },
};
const xorL: L = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = (a[ai + i] !== 0) !== (b[bi + i] !== 0) ? 1 : 0; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi] !== 0; for (let i = 0; i < n; i++) y[o + i] = (a[ai + i] !== 0) !== s ? 1 : 0; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai] !== 0; for (let i = 0; i < n; i++) y[o + i] = s !== (b[bi + i] !== 0) ? 1 : 0; },
};

/** And (opsets 1, 7). */
export const andOps: OpDef<LegacyBroadcast>[] = binaryOp({ opType: 'And', sinces: [1, 7], types: BOOL, num: andL, bool: true, legacyBelow: 7 });
/** Or (opsets 1, 7). */
export const orOps: OpDef<LegacyBroadcast>[] = binaryOp({ opType: 'Or', sinces: [1, 7], types: BOOL, num: orL, bool: true, legacyBelow: 7 });
/** Xor (opsets 1, 7). */
export const xorOps: OpDef<LegacyBroadcast>[] = binaryOp({ opType: 'Xor', sinces: [1, 7], types: BOOL, num: xorL, bool: true, legacyBelow: 7 });
/** Not (opset 1). */
export const notOps: OpDef<undefined>[] = unaryOp({
  opType: 'Not', sinces: [1], types: BOOL, bool: true,
  loops: { num(x, y, n) { for (let i = 0; i < n; i++) y[i] = x[i] === 0 ? 1 : 0; } },
});
