// RotaryEmbedding (ai.onnx opset 23): rotates the first rotary_embedding_dim features of each
// head by position-dependent angles given as cos/sin caches (indexed by position_ids, or given per
// batch and position), pairing halves or interleaved neighbours; other features pass through.

import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { floatData } from '../nn/attrs';
import { readInts } from '../tensor/common';
import { intAttr, need, nodeError } from './common';

interface RopeAttrs { readonly interleaved: boolean; readonly numHeads: number; readonly rotaryDim: number }

/** RotaryEmbedding (opset 23): 3-D input with num_heads, or 4-D [batch, heads, seq, head_size]. */
export const rotaryEmbedding: OpDef<RopeAttrs> = {
  domain: '', opType: 'RotaryEmbedding', since: 23,
  parse(ctx) {
    const { node } = ctx;
    return { interleaved: intAttr(node, 'interleaved', 0) === 1, numHeads: intAttr(node, 'num_heads', 0), rotaryDim: intAttr(node, 'rotary_embedding_dim', 0) };
  },
  run(inputs, a, ctx) {
    const { node } = ctx;
    const X = need(node, inputs, 0, 'X');
    const cosT = need(node, inputs, 1, 'cos_cache');
    const sinT = need(node, inputs, 2, 'sin_cache');
    const pos = inputs[3];
    const x = floatData(node, X, 'X');
    const cos = floatData(node, cosT, 'cos_cache');
    const sin = floatData(node, sinT, 'sin_cache');
    const r = X.shape.length;
    let B: number, N: number, S: number, H: number;
    if (r === 4) [B, N, S, H] = X.shape;
    else if (r === 3) {
      if (a.numHeads <= 0) throw nodeError(node, '3-D input needs the num_heads attribute');
      [B, S] = X.shape;
      N = a.numHeads;
      if (X.shape[2] % N) throw nodeError(node, `hidden size ${X.shape[2]} is not a multiple of num_heads ${N}`);
      H = X.shape[2] / N;
    } else throw nodeError(node, `X must be 3-D or 4-D, got [${X.shape.join(',')}]`);
    const rd = a.rotaryDim || H;
    if (rd % 2 || rd > H) throw nodeError(node, `rotary_embedding_dim ${rd} must be even and at most the head size ${H}`);
    const half = rd / 2;
    if (cosT.shape[cosT.shape.length - 1] !== half || sinT.shape[sinT.shape.length - 1] !== half) {
      throw nodeError(node, `cos_cache / sin_cache last axis must be ${half} (rotary_embedding_dim / 2)`);
    }
    if (cos.length !== sin.length || cosT.shape.join() !== sinT.shape.join()) throw nodeError(node, 'cos_cache and sin_cache shapes differ');
    let rows: number[];
    if (pos) {
      if (cosT.shape.length !== 2) throw nodeError(node, 'with position_ids, the caches must be 2-D [max_position + 1, rotary_dim / 2]');
      if (pos.data.length !== B * S) throw nodeError(node, `position_ids must have shape [${B},${S}], got [${pos.shape.join(',')}]`);
      const maxPos = cosT.shape[0];
      rows = readInts(node, pos, 'position_ids');
      for (const p of rows) if (p < 0 || p >= maxPos) throw nodeError(node, `position id ${p} is outside the caches' ${maxPos} rows`);
    } else {
      if (cosT.shape.length !== 3 || cosT.shape[0] !== B || cosT.shape[1] !== S) throw nodeError(node, `without position_ids, the caches must be [${B},${S},${half}]`);
      rows = [];
      for (let k = 0; k < B * S; k++) rows.push(k);
    }
    const y = ctx.alloc(X.dtype, X.shape) as Float32Array | Float64Array;
    y.set(x);
    for (let b = 0; b < B; b++) {
      for (let s = 0; s < S; s++) {
        const c0 = rows[b * S + s] * half;
        for (let n = 0; n < N; n++) {
          const o = r === 4 ? ((b * N + n) * S + s) * H : (b * S + s) * N * H + n * H;
          for (let k = 0; k < half; k++) {
            const c = cos[c0 + k];
            const sn = sin[c0 + k];
            const i1 = a.interleaved ? o + 2 * k : o + k;
            const i2 = a.interleaved ? i1 + 1 : o + k + half;
            const x1 = x[i1];
            const x2 = x[i2];
            y[i1] = c * x1 - sn * x2;
            y[i2] = sn * x1 + c * x2;
          }
        }
      }
    }
    return [{ dtype: X.dtype === DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT, shape: X.shape.slice(), data: y }];
  },
};
