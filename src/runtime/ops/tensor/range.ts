// Range: start, start+delta, ... up to (excluding) limit; count = max(ceil((limit-start)/delta), 0).

import { OpDef } from '../../op';
import { need, nodeError } from './common';

/** Range (opset 11+). */
export const range: OpDef<void> = {
  domain: '', opType: 'Range', since: 11,
  run(inputs, _a, ctx) {
    const n = ctx.node;
    const s = need(n, inputs, 0, 'start'), l = need(n, inputs, 1, 'limit'), d = need(n, inputs, 2, 'delta');
    if (s.data.length !== 1 || l.data.length !== 1 || d.data.length !== 1 || Array.isArray(s.data)) throw nodeError(n, 'start, limit and delta must be numeric scalars');
    if (s.dtype !== l.dtype || s.dtype !== d.dtype) throw nodeError(n, 'start, limit and delta must share one dtype');
    const sv = s.data[0], lv = l.data[0], dv = d.data[0];
    if (typeof sv === 'bigint') {
      const db = dv as bigint;
      if (db === 0n) throw nodeError(n, 'delta is 0');
      const span = (lv as bigint) - sv;
      // ceil division for either sign of delta
      let cnt = span / db;
      if (cnt * db !== span && (span > 0n) === (db > 0n)) cnt += 1n;
      const count = cnt > 0n ? Number(cnt) : 0;
      if (count > 1e9) throw nodeError(n, `range of ${count} elements is too large`);
      const out = ctx.alloc(s.dtype, [count]) as BigInt64Array;
      for (let i = 0; i < count; i++) out[i] = sv + BigInt(i) * db;
      return [{ dtype: s.dtype, shape: [count], data: out }];
    }
    const st = sv as number, de = dv as number;
    if (de === 0) throw nodeError(n, 'delta is 0');
    const count = Math.max(Math.ceil(((lv as number) - st) / de), 0);
    if (!Number.isFinite(count) || count > 1e9) throw nodeError(n, `range from ${st} to ${lv} by ${de} is too large`);
    const out = ctx.alloc(s.dtype, [count]) as Float64Array;
    for (let i = 0; i < count; i++) out[i] = st + i * de;
    return [{ dtype: s.dtype, shape: [count], data: out }];
  },
};
