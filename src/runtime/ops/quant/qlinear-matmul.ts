// QLinearMatMul (opsets 10, 21): quantized matmul. The exact integer product of the zero-point-
// shifted inputs is scaled by a_scale·b_scale/y_scale (computed in the scales' precision), rounded
// half to even, shifted by y_zero_point and saturated to the output's 8-bit type.

import { DataType } from '../../../onnx/ir';
import { dtypeName } from '../../../onnx/dtype';
import { OpDef } from '../../op';
import { clampInt, INT_RANGE, isScaleType, need, nodeError, realValues, rne, roundTo } from './common';
import { intMatMul } from './int-matmul';
import { unsupported } from '../../errors';

const EIGHT = new Set<DataType>([DataType.UINT8, DataType.INT8]);

function def(since: number): OpDef<undefined> {
  return {
    domain: '', opType: 'QLinearMatMul', since, lowPrecision: 'native',
    run(inputs, _a, ctx) {
      const node = ctx.node;
      const names = ['a', 'a_scale', 'a_zero_point', 'b', 'b_scale', 'b_zero_point', 'y_scale', 'y_zero_point'];
      const t = names.map((nm, i) => need(node, inputs, i, nm));
      const [a, as, az, b, bs, bz, ys, yz] = t;
      for (const q of [a, az, b, bz, yz]) {
        if (!EIGHT.has(q.dtype)) throw (since >= 21 ? unsupported : (e: Error) => e)(nodeError(node, `quantized inputs must be INT8 or UINT8, got ${dtypeName(q.dtype)}${since >= 21 ? ' (float8 QLinearMatMul is not supported)' : ''}`));
      }
      if (az.dtype !== a.dtype || bz.dtype !== b.dtype) throw nodeError(node, 'each zero point must have its input\'s type');
      for (const s of [as, bs, ys]) {
        if (!isScaleType(s.dtype) || s.dtype === DataType.DOUBLE || (since < 21 && s.dtype !== DataType.FLOAT)) {
          throw nodeError(node, `scales must be FLOAT${since >= 21 ? ', FLOAT16 or BFLOAT16' : ''}, got ${dtypeName(s.dtype)}`);
        }
      }
      const prec = as.dtype === bs.dtype && bs.dtype === ys.dtype ? as.dtype : DataType.FLOAT;
      const asv = realValues(node, as, 'a_scale');
      const bsv = realValues(node, bs, 'b_scale');
      const ysv = realValues(node, ys, 'y_scale');
      const yzv = realValues(node, yz, 'y_zero_point');
      if (ysv.length !== 1 || yzv.length !== 1) throw nodeError(node, 'y_scale and y_zero_point must be per-tensor (one element)');
      const p = intMatMul(node, a, b, realValues(node, az, 'a_zero_point'), realValues(node, bz, 'b_zero_point'));
      if (asv.length !== 1 && asv.length !== p.M) throw nodeError(node, `a_scale must have 1 or ${p.M} (rows) entries, got ${asv.length}`);
      if (bsv.length !== 1 && bsv.length !== p.N) throw nodeError(node, `b_scale must have 1 or ${p.N} (columns) entries, got ${bsv.length}`);
      const mult = new Float64Array(p.M * p.N);
      for (let i = 0; i < p.M; i++) {
        for (let j = 0; j < p.N; j++) {
          const ab = roundTo(asv[asv.length === 1 ? 0 : i] * bsv[bsv.length === 1 ? 0 : j], prec);
          mult[i * p.N + j] = roundTo(ab / ysv[0], prec);
        }
      }
      const [lo, hi] = INT_RANGE[yz.dtype] ?? [0, 0];
      const zp = yzv[0];
      const y = ctx.alloc(yz.dtype, p.shape) as Int8Array | Uint8Array;
      const plane = p.M * p.N;
      for (let k = 0; k < p.acc.length; k++) y[k] = clampInt(rne(p.acc[k] * mult[k % plane] + zp), lo, hi);
      return [{ dtype: yz.dtype, shape: p.shape, data: y }];
    },
  };
}

/** QLinearMatMul 10 (float32 scales) and 21 (float16/bfloat16 scales). */
export const qlinearMatMulOps = [def(10), def(21)];
