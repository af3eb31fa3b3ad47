// Max, Min, Sum, Mean: variadic elementwise ops with numpy broadcasting (opset 8+); before opset 8
// every input must have the same shape. Max/Min propagate NaN like numpy's maximum/minimum.
import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { Tensor } from '../../tensor';
import { BinaryLoops, broadcastShapes, fmt, planRows, runBinary, sameShape } from '../../kernels/broadcast';
import { addLoops } from './arith';
import { AnyLoops, BigArr, checkSameType, checkType, FLOATS, isBig, NumArr, NUMERIC, versions, where } from './common';

type N = BinaryLoops<NumArr, NumArr, NumArr>;
type B = BinaryLoops<BigArr, BigArr, BigArr>;

const maxN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) { const p = a[ai + i]; const q = b[bi + i]; y[o + i] = p >= q || p !== p ? p : q; } },
  vs(a, ai, b, bi, y, o, n) { const q = b[bi]; for (let i = 0; i < n; i++) { const p = a[ai + i]; y[o + i] = p >= q || p !== p ? p : q; } },
  sv(a, ai, b, bi, y, o, n) { const p = a[ai]; for (let i = 0; i < n; i++) { const q = b[bi + i]; y[o + i] = p >= q || p !== p ? p : q; } },
};
const maxB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) { const p = a[ai + i]; const q = b[bi + i]; y[o + i] = p >= q ? p : q; } },
  vs(a, ai, b, bi, y, o, n) { const q = b[bi]; for (let i = 0; i < n; i++) { const p = a[ai + i]; y[o + i] = p >= q ? p : q; } },
  sv(a, ai, b, bi, y, o, n) { const p = a[ai]; for (let i = 0; i < n; i++) { const q = b[bi + i]; y[o + i] = p >= q ? p : q; } },
};
const minN: N = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) { const p = a[ai + i]; const q = b[bi + i]; y[o + i] = p <= q || p !== p ? p : q; } },
  vs(a, ai, b, bi, y, o, n) { const q = b[bi]; for (let i = 0; i < n; i++) { const p = a[ai + i]; y[o + i] = p <= q || p !== p ? p : q; } },
  sv(a, ai, b, bi, y, o, n) { const p = a[ai]; for (let i = 0; i < n; i++) { const q = b[bi + i]; y[o + i] = p <= q || p !== p ? p : q; } },
};
const minB: B = {
  vv(a, ai, b, bi, y, o, n) { for (let i = 0; i < n; i++) { const p = a[ai + i]; const q = b[bi + i]; y[o + i] = p <= q ? p : q; } },
  vs(a, ai, b, bi, y, o, n) { const q = b[bi]; for (let i = 0; i < n; i++) { const p = a[ai + i]; y[o + i] = p <= q ? p : q; } },
  sv(a, ai, b, bi, y, o, n) { const p = a[ai]; for (let i = 0; i < n; i++) { const q = b[bi + i]; y[o + i] = p <= q ? p : q; } },
};

/** Copies a into y (shape `outShape`), broadcasting. */
const copyN: N = {
  vv(a, ai, _b, _bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i]; },
  vs(a, ai, _b, _bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i]; },
  sv(a, ai, _b, _bi, y, o, n) { y.fill(a[ai], o, o + n); },
};
const copyB: B = {
  vv(a, ai, _b, _bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i]; },
  vs(a, ai, _b, _bi, y, o, n) { for (let i = 0; i < n; i++) y[o + i] = a[ai + i]; },
  sv(a, ai, _b, _bi, y, o, n) { y.fill(a[ai], o, o + n); },
};

interface VariadicSpec {
  opType: string;
  sinces: readonly number[];
  types: readonly DataType[];
  num: AnyLoops;
  big?: AnyLoops;
  mean?: boolean;
}

/** Folds the inputs left to right into one output of the broadcast shape. */
function variadicOp(spec: VariadicSpec): OpDef<undefined>[] {
  return versions<undefined>(
    {
      domain: '',
      opType: spec.opType,
      run(inputs, _a, ctx) {
        const ts = inputs.filter((t): t is Tensor => t !== undefined);
        if (ts.length === 0) throw new Error(`${where(ctx.node)}needs at least one input; fix the model`);
        checkSameType(ctx, ts);
        const dt = ts[0].dtype;
        checkType(ctx, dt, spec.types);
        const shapes = ts.map((t) => t.shape);
        if (ctx.opset < 8 && !shapes.every((s) => sameShape(s, shapes[0]))) {
          throw new Error(`${where(ctx.node)}inputs of shapes ${shapes.map(fmt).join(', ')} differ, which needs opset 8+ broadcasting; fix the model`);
        }
        let outShape: number[];
        try {
          outShape = broadcastShapes(shapes);
        } catch (e) {
          throw new Error(`${where(ctx.node)}${(e as Error).message}; fix the model`);
        }
        const big = isBig(dt);
        const loops = big ? spec.big : spec.num;
        if (!loops) throw new Error(`${where(ctx.node)}int64 inputs are not supported; fix the model`);
        const y = ctx.alloc(dt, outShape);
        if (ts.length === 1) runBinary(big ? copyB : copyN, ts[0].data, ts[0].data, y, planRows(outShape, [shapes[0], shapes[0]]));
        else runBinary(loops, ts[0].data, ts[1].data, y, planRows(outShape, [shapes[0], shapes[1]]));
        // Later inputs fold into y in place: y is read at an index before that index is written.
        for (let k = 2; k < ts.length; k++) runBinary(loops, y, ts[k].data, y, planRows(outShape, [outShape, shapes[k]]));
        if (spec.mean) {
          const v = y as Float32Array | Float64Array;
          const c = ts.length;
          for (let i = 0; i < v.length; i++) v[i] = v[i] / c;
        }
        return [{ dtype: dt, shape: outShape, data: y }];
      },
    },
    spec.sinces,
  );
}

/** Max (opsets 1, 6, 8, 12, 13). */
export const maxOps = variadicOp({ opType: 'Max', sinces: [1, 6, 8, 12, 13], types: NUMERIC, num: maxN, big: maxB });
/** Min (opsets 1, 6, 8, 12, 13). */
export const minOps = variadicOp({ opType: 'Min', sinces: [1, 6, 8, 12, 13], types: NUMERIC, num: minN, big: minB });
/** Sum (opsets 1, 6, 8, 13): float types. */
export const sumOps = variadicOp({ opType: 'Sum', sinces: [1, 6, 8, 13], types: FLOATS, num: addLoops.num });
/** Mean (opsets 1, 6, 8, 13): float types. */
export const meanOps = variadicOp({ opType: 'Mean', sinces: [1, 6, 8, 13], types: FLOATS, num: addLoops.num, mean: true });
