// Pow: base^exponent with broadcasting. From opset 12 the exponent may have another numeric type
// than the base; the output has the base's type. Float results follow C pow (pow(1, NaN) = 1,
// pow(-1, ±inf) = 1); integer powers are exact and wrap; a negative integer exponent truncates
// 1/base^|e| toward zero (0 for |base| > 1, and 0 for a zero base).
import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { BinaryLoops, fmt, sameShape } from '../../kernels/broadcast';
import { BigArr, broadcastBinary, checkType, input, isBig, LegacyBroadcast, legacyShape, NumArr, NUMERIC, parseLegacy, versions, where } from './common';

type Loops = BinaryLoops<NumArr | BigArr, NumArr | BigArr, NumArr | BigArr>;

const FLOAT_OUT = 0;
const INT_OUT = 1;

/** C pow on doubles (Math.pow differs for a base of 1 with a NaN exponent and ±1 with ±inf). */
function cpow(x: number, e: number): number {
  if (x === 1) return 1;
  if (x === -1 && (e === Infinity || e === -Infinity)) return 1;
  return Math.pow(x, e);
}

/** Exact 32-bit integer power (wrapping); e is an integer. */
function ipow32(x: number, e: number): number {
  if (e < 0) return x === 1 ? 1 : x === -1 ? (e % 2 === 0 ? 1 : -1) : 0;
  let r = 1;
  let b = x | 0;
  while (e > 0) {
    if (e % 2 === 1) r = Math.imul(r, b);
    b = Math.imul(b, b);
    e = Math.floor(e / 2);
  }
  return r;
}

/** Exact 64-bit integer power, wrapping to 64 bits (signed or not). */
function ipow64(x: bigint, e: bigint, signed: boolean): bigint {
  if (e < 0n) return x === 1n ? 1n : x === -1n ? (e % 2n === 0n ? 1n : -1n) : 0n;
  let r = 1n;
  let b = x;
  while (e > 0n) {
    if (e & 1n) r = signed ? BigInt.asIntN(64, r * b) : BigInt.asUintN(64, r * b);
    b = signed ? BigInt.asIntN(64, b * b) : BigInt.asUintN(64, b * b);
    e >>= 1n;
  }
  return r;
}

/** A finite double truncated to a BigInt; NaN and ±inf give 0 (like a typed-array store). */
function toBig(v: number): bigint {
  return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
}

/**
 * The mixed-type loop (rare: integer bases or exponents): per element through plain helper
 * functions that never allocate. `xbig`/`ebig` say which operand holds BigInts, `intExp` whether
 * the exponent is an integer type, `out` whether the base (and output) is float or integer.
 */
function makeLoops(xbig: boolean, ebig: boolean, intExp: boolean, out: number, signed: boolean): Loops {
  const one = (a: NumArr | BigArr, ai: number, b: NumArr | BigArr, bi: number, y: NumArr | BigArr, o: number, n: number, as: number, bs: number): void => {
    for (let i = 0; i < n; i++, ai += as, bi += bs) {
      const xv = a[ai];
      const ev = b[bi];
      if (xbig) {
        if (intExp) (y as BigArr)[o + i] = ipow64(xv as bigint, ebig ? (ev as bigint) : BigInt(ev as number), signed);
        else (y as BigArr)[o + i] = toBig(cpow(Number(xv), ev as number));
      } else if (out === INT_OUT) {
        (y as NumArr)[o + i] = intExp ? ipow32(xv as number, Number(ev)) : cpow(xv as number, ev as number);
      } else {
        (y as NumArr)[o + i] = cpow(xv as number, Number(ev));
      }
    }
  };
  return {
    vv: (a, ai, b, bi, y, o, n) => one(a, ai, b, bi, y, o, n, 1, 1),
    vs: (a, ai, b, bi, y, o, n) => one(a, ai, b, bi, y, o, n, 1, 0),
    sv: (a, ai, b, bi, y, o, n) => one(a, ai, b, bi, y, o, n, 0, 1),
  };
}

// The common float cases get their own tight loops: any exponent, and a fixed exponent of 2.
const floatLoops: BinaryLoops<NumArr, NumArr, NumArr> = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) { const x = a[ai + i]; const e = b[bi + i]; y[o + i] = x === 1 || (x === -1 && (e === Infinity || e === -Infinity)) ? 1 : Math.pow(x, e); } },
  vs(a, ai, b, bi, y, o, n) {
    const e = b[bi];
    if (e === 2) for (let i = 0; i < n; i++) { const x = a[ai + i]; y[o + i] = x * x; }
    else if (e === Infinity || e === -Infinity) for (let i = 0; i < n; i++) { const x = a[ai + i]; y[o + i] = x === 1 || x === -1 ? 1 : Math.pow(x, e); }
    else for (let i = 0; i < n; i++) { const x = a[ai + i]; y[o + i] = x === 1 ? 1 : Math.pow(x, e); }
  },
  sv(a, ai, b, bi, y, o, n) { const x = a[ai]; for (let i = 0; i < n; i++) { const e = b[bi + i]; y[o + i] = x === 1 || (x === -1 && (e === Infinity || e === -Infinity)) ? 1 : Math.pow(x, e); } },
};

const isFloat = (dt: DataType): boolean => dt === DataType.FLOAT || dt === DataType.DOUBLE;
const cache = new Map<string, Loops>();

function loopsFor(xt: DataType, et: DataType): Loops {
  if (isFloat(xt) && isFloat(et)) return floatLoops as Loops;
  const key = `${xt}:${et}`;
  let l = cache.get(key);
  if (!l) {
    const signed = xt !== DataType.UINT64;
    l = makeLoops(isBig(xt), isBig(et), !isFloat(et), isFloat(xt) ? FLOAT_OUT : INT_OUT, signed);
    cache.set(key, l);
  }
  return l;
}

/** Pow (opsets 1, 7, 12, 13, 15). */
export const powOps: OpDef<LegacyBroadcast>[] = versions<LegacyBroadcast>(
  {
    domain: '',
    opType: 'Pow',
    parse: (ctx) => parseLegacy(ctx, 7),
    run(inputs, lb, ctx) {
      const x = input(ctx, inputs, 0);
      const e = input(ctx, inputs, 1);
      checkType(ctx, x.dtype, NUMERIC, 'base');
      checkType(ctx, e.dtype, NUMERIC, 'exponent');
      if (ctx.opset < 12 && x.dtype !== e.dtype) throw new Error(`${where(ctx.node)}base and exponent types differ, which needs opset 12+; fix the model`);
      const eShape = lb.legacy ? legacyShape(ctx.node, lb, x.shape, e.shape) : e.shape;
      const out = broadcastBinary(ctx, loopsFor(x.dtype, e.dtype), x, e, x.dtype, eShape);
      if (lb.legacy && !sameShape(out.shape, x.shape)) throw new Error(`${where(ctx.node)}legacy broadcast must keep X's shape ${fmt(x.shape)}; fix the model`);
      return [out];
    },
  },
  [1, 7, 12, 13, 15],
);
