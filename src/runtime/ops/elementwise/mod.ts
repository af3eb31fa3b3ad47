// Mod: remainder with broadcasting. fmod=0 (integers only) follows Python's % (sign of the
// divisor); fmod=1 follows C fmod (sign of the dividend). A zero integer divisor gives 0.
import { DataType } from '../../../onnx/ir';
import { attrInt } from '../../../onnx/attrs';
import { dtypeName } from '../../../onnx/dtype';
import { OpDef } from '../../op';
import { BinaryLoops } from '../../kernels/broadcast';
import { BigArr, broadcastBinary, checkSameType, checkType, input, isBig, NumArr, NUMERIC, versions, where } from './common';

type N = BinaryLoops<NumArr, NumArr, NumArr>;
type B = BinaryLoops<BigArr, BigArr, BigArr>;

// JS % on numbers is C fmod; a zero divisor gives NaN, which an integer store turns into 0.
const fmodN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i] % b[bi + i]; },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) y[o + i] = a[ai + i] % s; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) y[o + i] = s % b[bi + i]; },
};
const fmodB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) { const d = b[bi + i]; y[o + i] = d === 0n ? 0n : a[ai + i] % d; } },
  vs(a, ai, b, bi, y, o, n) { const d = b[bi]; for (let i = 0; i < n; i++) y[o + i] = d === 0n ? 0n : a[ai + i] % d; },
  sv(a, ai, b, bi, y, o, n) { const s = a[ai]; for (let i = 0; i < n; i++) { const d = b[bi + i]; y[o + i] = d === 0n ? 0n : s % d; } },
};
// Python %: shift a non-zero remainder whose sign differs from the divisor's by one divisor.
const pymodN: N = {
  vv(a, ai, b, bi, y, o, n) {
    for (let i = 0; i < n; i++) {
      const d = b[bi + i];
      const r = a[ai + i] % d;
      y[o + i] = r !== 0 && r < 0 !== d < 0 ? r + d : r;
    }
  },
  vs(a, ai, b, bi, y, o, n) {
    const d = b[bi];
    for (let i = 0; i < n; i++) {
      const r = a[ai + i] % d;
      y[o + i] = r !== 0 && r < 0 !== d < 0 ? r + d : r;
    }
  },
  sv(a, ai, b, bi, y, o, n) {
    const s = a[ai];
    for (let i = 0; i < n; i++) {
      const d = b[bi + i];
      const r = s % d;
      y[o + i] = r !== 0 && r < 0 !== d < 0 ? r + d : r;
    }
  },
};
const pymodB: B = {
  vv(a, ai, b, bi, y, o, n) {
    for (let i = 0; i < n; i++) {
      const d = b[bi + i];
      if (d === 0n) { y[o + i] = 0n; continue; }
      const r = a[ai + i] % d;
      y[o + i] = r !== 0n && r < 0n !== d < 0n ? r + d : r;
    }
  },
  vs(a, ai, b, bi, y, o, n) {
    const d = b[bi];
    if (d === 0n) { y.fill(0n, o, o + n); return; }
    for (let i = 0; i < n; i++) {
      const r = a[ai + i] % d;
      y[o + i] = r !== 0n && r < 0n !== d < 0n ? r + d : r;
    }
  },
  sv(a, ai, b, bi, y, o, n) {
    const s = a[ai];
    for (let i = 0; i < n; i++) {
      const d = b[bi + i];
      if (d === 0n) { y[o + i] = 0n; continue; }
      const r = s % d;
      y[o + i] = r !== 0n && r < 0n !== d < 0n ? r + d : r;
    }
  },
};

/** Mod (opsets 10, 13). */
export const modOps: OpDef<number>[] = versions<number>(
  {
    domain: '',
    opType: 'Mod',
    parse(ctx) {
      const f = attrInt(ctx.node, 'fmod', 0);
      if (f !== 0 && f !== 1) throw new Error(`${where(ctx.node)}attribute fmod must be 0 or 1, got ${f}; fix the model`);
      return f;
    },
    run(inputs, fmod, ctx) {
      const a = input(ctx, inputs, 0);
      const b = input(ctx, inputs, 1);
      checkSameType(ctx, [a, b]);
      checkType(ctx, a.dtype, NUMERIC);
      const float = a.dtype === DataType.FLOAT || a.dtype === DataType.DOUBLE;
      if (float && fmod === 0) {
        throw new Error(`${where(ctx.node)}fmod=0 (integer modulo) is not defined for ${dtypeName(a.dtype)} inputs; set fmod=1 for floating-point inputs`);
      }
      const big = isBig(a.dtype);
      const loops = fmod ? (big ? fmodB : fmodN) : big ? pymodB : pymodN;
      return [broadcastBinary(ctx, loops, a, b, a.dtype)];
    },
  },
  [10, 13],
);
