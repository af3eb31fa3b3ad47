// Det (opsets 11, 22): determinants of [..., M, M] matrices by LU decomposition with partial
// pivoting in float64.

import { OpDef } from '../../op';
import { floatData, need, nodeError, shapeStr } from '../nn/attrs';

function def(since: number): OpDef<undefined> {
  return {
    domain: '', opType: 'Det', since,
    run(inputs, _a, ctx) {
      const x = need(ctx.node, inputs, 0, 'X');
      const xd = floatData(ctx.node, x, 'X');
      const r = x.shape.length;
      if (r < 2 || x.shape[r - 1] !== x.shape[r - 2]) throw nodeError(ctx.node, `X must be [..., M, M], got ${shapeStr(x.shape)}`);
      const M = x.shape[r - 1];
      const shape = x.shape.slice(0, -2);
      const batch = shape.reduce((p, v) => p * v, 1);
      const y = ctx.alloc(x.dtype, shape) as Float32Array | Float64Array;
      const a = new Float64Array(M * M);
      for (let b = 0; b < batch; b++) {
        for (let i = 0; i < M * M; i++) a[i] = xd[b * M * M + i];
        let det = 1;
        for (let k = 0; k < M && det !== 0; k++) {
          let p = k;
          for (let i = k + 1; i < M; i++) if (Math.abs(a[i * M + k]) > Math.abs(a[p * M + k])) p = i;
          const piv = a[p * M + k];
          if (piv === 0) { det = 0; break; }
          if (p !== k) {
            for (let j = 0; j < M; j++) { const t = a[k * M + j]; a[k * M + j] = a[p * M + j]; a[p * M + j] = t; }
            det = -det;
          }
          det *= piv;
          for (let i = k + 1; i < M; i++) {
            const f = a[i * M + k] / piv;
            if (f !== 0) for (let j = k + 1; j < M; j++) a[i * M + j] -= f * a[k * M + j];
          }
        }
        y[b] = det;
      }
      return [{ dtype: x.dtype, shape, data: y }];
    },
  };
}

/** Det 11 and 22. */
export const detOps = [def(11), def(22)];
