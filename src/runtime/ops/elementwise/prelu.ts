// PRelu: y = x < 0 ? slope·x : x, with the slope broadcast to X's shape (unidirectional, opset 7+).
// Before opset 7 the slope is either one value or X's full shape; other legacy shapes are refused.
import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { BinaryLoops, broadcastsTo, fmt, planRows, runBinary, sameShape } from '../../kernels/broadcast';
import { BigArr, checkSameType, checkType, FLOATS, input, isBig, NumArr, versions, where } from './common';
import { unsupported } from '../../errors';

type N = BinaryLoops<NumArr, NumArr, NumArr>;
type B = BinaryLoops<BigArr, BigArr, BigArr>;

const preluN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) { const x = a[ai + i]; y[o + i] = x < 0 ? x * b[bi + i] : x; } },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) { const x = a[ai + i]; y[o + i] = x < 0 ? x * s : x; } },
  sv(a, ai, b, bi, y, o, n) { const x = a[ai]; if (x < 0) for (let i = 0; i < n; i++) y[o + i] = x * b[bi + i]; else y.fill(x, o, o + n); },
};
const preluI: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) { const x = a[ai + i]; y[o + i] = x < 0 ? Math.imul(x, b[bi + i]) : x; } },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) { const x = a[ai + i]; y[o + i] = x < 0 ? Math.imul(x, s) : x; } },
  sv(a, ai, b, bi, y, o, n) { const x = a[ai]; if (x < 0) for (let i = 0; i < n; i++) y[o + i] = Math.imul(x, b[bi + i]); else y.fill(x, o, o + n); },
};
const preluB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) { const x = a[ai + i]; y[o + i] = x < 0n ? x * b[bi + i] : x; } },
  vs(a, ai, b, bi, y, o, n) { const s = b[bi]; for (let i = 0; i < n; i++) { const x = a[ai + i]; y[o + i] = x < 0n ? x * s : x; } },
  sv(a, ai, b, bi, y, o, n) { const x = a[ai]; if (x < 0n) for (let i = 0; i < n; i++) y[o + i] = x * b[bi + i]; else y.fill(x, o, o + n); },
};

const TYPES: readonly DataType[] = [...FLOATS, DataType.INT32, DataType.INT64, DataType.UINT32, DataType.UINT64];

/** PRelu (opsets 1, 6, 7, 9, 16). */
export const preluOps: OpDef<undefined>[] = versions<undefined>(
  {
    domain: '',
    opType: 'PRelu',
    run(inputs, _a, ctx) {
      const x = input(ctx, inputs, 0);
      const s = input(ctx, inputs, 1);
      checkSameType(ctx, [x, s]);
      checkType(ctx, x.dtype, TYPES);
      const one = s.data.length === 1;
      if (ctx.opset < 7 && !one && !sameShape(s.shape, x.shape)) {
        throw unsupported(new Error(`${where(ctx.node)}legacy PRelu (opset ${ctx.opset}) with slope ${fmt(s.shape)} for input ${fmt(x.shape)} is not supported (only a single slope or X's shape); upgrade the model to opset 7+`));
      }
      const sShape = ctx.opset < 7 && one ? [] : s.shape;
      if (!broadcastsTo(sShape, x.shape)) throw new Error(`${where(ctx.node)}slope ${fmt(s.shape)} does not broadcast to input ${fmt(x.shape)}; fix the model`);
      const y = ctx.alloc(x.dtype, x.shape);
      const loops = isBig(x.dtype) ? preluB : x.dtype === DataType.INT32 || x.dtype === DataType.UINT32 ? preluI : preluN;
      runBinary(loops as BinaryLoops<unknown, unknown, unknown>, x.data, s.data, y, planRows(x.shape, [x.shape, sShape]));
      return [{ dtype: x.dtype, shape: x.shape.slice(), data: y }];
    },
  },
  [1, 6, 7, 9, 16],
);
