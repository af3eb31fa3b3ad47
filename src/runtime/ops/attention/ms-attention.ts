// com.microsoft.Attention (BERT/GPT-2 style, as onnxruntime exports it): projects the input with
// merged Q/K/V weights (+ bias), runs multi-head scaled dot-product attention with an optional
// mask_index (right-padding lengths [B], or raw 0/1 masks [B, T] / [B, S, T]: masked scores get
// mask_filter_value added), attention_bias, unidirectional (causal) masking and a past/present
// KV cache [2, B, N, T, H]. Refused: rotary, shared past/present buffers, left-padding and 4-D masks.

import { DataType } from '../../../onnx/ir';
import { unsupported } from '../../errors';
import { OpDef } from '../../op';
import { gemm } from '../../kernels/gemm';
import { floatData, intsAttr } from '../nn/attrs';
import { floatAttr, hasAttr, intAttr, need, nodeError } from './common';

interface MsAttnAttrs { readonly heads: number; readonly causal: boolean; readonly scale: number | undefined; readonly filter: number; readonly sizes: number[] | undefined }

const LOWEST = -3.4028234663852886e38;

/** com.microsoft.Attention (opset 1 of com.microsoft). */
export const msAttention: OpDef<MsAttnAttrs> = {
  domain: 'com.microsoft', opType: 'Attention', since: 1,
  parse(ctx) {
    const { node } = ctx;
    const heads = intAttr(node, 'num_heads', 0);
    if (heads <= 0) throw nodeError(node, 'num_heads is required and must be positive');
    if (intAttr(node, 'do_rotary', 0) !== 0) throw unsupported(nodeError(node, 'do_rotary=1 is not supported'));
    if (intAttr(node, 'past_present_share_buffer', 0) !== 0) throw unsupported(nodeError(node, 'past_present_share_buffer=1 is not supported'));
    if ((node.inputs[6] ?? '') !== '') throw unsupported(nodeError(node, 'the past_sequence_length input is not supported'));
    const sizes = intsAttr(node, 'qkv_hidden_sizes');
    if (sizes && sizes.length !== 3) throw nodeError(node, 'qkv_hidden_sizes must have 3 entries');
    return {
      heads, causal: intAttr(node, 'unidirectional', 0) === 1, scale: hasAttr(node, 'scale') ? floatAttr(node, 'scale', 1) : undefined,
      filter: floatAttr(node, 'mask_filter_value', -10000), sizes,
    };
  },
  run(inputs, a, ctx) {
    const { node } = ctx;
    const X = need(node, inputs, 0, 'input');
    const W = need(node, inputs, 1, 'weights');
    const x = floatData(node, X, 'input');
    const w = floatData(node, W, 'weights');
    if (X.shape.length !== 3 || W.shape.length !== 2 || W.shape[0] !== X.shape[2]) {
      throw nodeError(node, `input [${X.shape.join(',')}] and weights [${W.shape.join(',')}] must be [B, S, in] and [in, q+k+v]`);
    }
    const [B, S, In] = X.shape;
    const total = W.shape[1];
    const [Hq, Hk, Hv] = a.sizes ?? [total / 3, total / 3, total / 3];
    const N = a.heads;
    if (Hq + Hk + Hv !== total || Hq !== Hk || Hq % N || Hv % N) throw nodeError(node, `weights' ${total} columns do not split into Q/K/V hidden sizes divisible by ${N} heads`);
    const D = Hq / N;
    const Dv = Hv / N;
    // Projection: qkv[B·S, total] = x · W + bias.
    const f32 = !(x instanceof Float64Array);
    const qkv = f32 ? new Float32Array(B * S * total) : new Float64Array(B * S * total);
    if (inputs[2]) {
      const bias = floatData(node, inputs[2], 'bias');
      if (bias.length !== total) throw nodeError(node, `bias must have ${total} values`);
      for (let r = 0; r < B * S; r++) qkv.set(bias, r * total);
    }
    gemm(false, false, B * S, total, In, 1, x, 0, In, w, 0, total, inputs[2] ? 1 : 0, qkv, 0, total);
    // Past / present: [2, B, N, T, D].
    const pastT = inputs[4];
    if (pastT && inputs[5]) throw unsupported(nodeError(node, 'past together with attention_bias is not supported (onnxruntime refuses it too)'));
    let P = 0;
    let past: Float32Array | Float64Array | undefined;
    if (pastT) {
      if (Hv !== Hq || pastT.shape.length !== 5 || pastT.shape[0] !== 2 || pastT.shape[1] !== B || pastT.shape[2] !== N || pastT.shape[4] !== D) {
        throw nodeError(node, `past must be [2,${B},${N},past,${D}] (and Q/K/V hidden sizes equal), got [${pastT.shape.join(',')}]`);
      }
      P = pastT.shape[3];
      past = floatData(node, pastT, 'past');
    }
    const T = P + S;
    const kAll = f32 ? new Float32Array(B * N * T * D) : new Float64Array(B * N * T * D);
    const vAll = f32 ? new Float32Array(B * N * T * Dv) : new Float64Array(B * N * T * Dv);
    for (let b = 0; b < B; b++) {
      for (let n = 0; n < N; n++) {
        const kb = (b * N + n) * T * D;
        const vb = (b * N + n) * T * Dv;
        if (past) {
          kAll.set(past.subarray((b * N + n) * P * D, (b * N + n + 1) * P * D), kb);
          vAll.set(past.subarray(((B + b) * N + n) * P * D, ((B + b) * N + n + 1) * P * D), vb);
        }
        for (let s = 0; s < S; s++) {
          const r = (b * S + s) * total;
          kAll.set(qkv.subarray(r + Hq + n * D, r + Hq + (n + 1) * D), kb + (P + s) * D);
          vAll.set(qkv.subarray(r + Hq + Hk + n * Dv, r + Hq + Hk + (n + 1) * Dv), vb + (P + s) * Dv);
        }
      }
    }
    // Additive mask [B, S, T] from mask_index and unidirectional.
    const mask = new Float64Array(B * S * T);
    const mi = inputs[3];
    if (mi) {
      if (mi.dtype !== DataType.INT32) throw nodeError(node, 'mask_index must be int32');
      const m = mi.data as Int32Array;
      const ms = mi.shape;
      if (ms.length === 1 && ms[0] === B) {
        for (let b = 0; b < B; b++) for (let s = 0; s < S; s++) for (let j = Math.max(0, m[b]); j < T; j++) mask[(b * S + s) * T + j] = a.filter;
      } else if (ms.length === 2 && ms[0] === B && ms[1] === T) {
        for (let b = 0; b < B; b++) for (let s = 0; s < S; s++) for (let j = 0; j < T; j++) if (m[b * T + j] <= 0) mask[(b * S + s) * T + j] = a.filter;
      } else if (ms.length === 3 && ms[0] === B && ms[1] === S && ms[2] === T) {
        for (let k = 0; k < B * S * T; k++) if (m[k] <= 0) mask[k] = a.filter;
      } else {
        throw unsupported(nodeError(node, `mask_index of shape [${ms.join(',')}] is not supported (use [B], [B, T] or [B, S, T])`));
      }
    }
    if (a.causal) {
      for (let b = 0; b < B; b++) for (let s = 0; s < S; s++) for (let j = P + s + 1; j < T; j++) mask[(b * S + s) * T + j] = LOWEST;
    }
    let ab: Float32Array | Float64Array | undefined;
    let abB = 0;
    let abN = 0;
    if (inputs[5]) {
      const t = inputs[5];
      ab = floatData(node, t, 'attention_bias');
      const sh = t.shape;
      if (sh.length !== 4 || (sh[0] !== 1 && sh[0] !== B) || (sh[1] !== 1 && sh[1] !== N) || sh[2] !== S || sh[3] !== T) {
        throw nodeError(node, `attention_bias must be [${B} or 1, ${N} or 1, ${S}, ${T}], got [${sh.join(',')}]`);
      }
      abB = sh[0] === 1 ? 0 : sh[1] * S * T;
      abN = sh[1] === 1 ? 0 : S * T;
    }
    const scale = a.scale ?? 1 / Math.sqrt(D);
    const y = ctx.alloc(X.dtype, [B, S, Hv]) as Float32Array | Float64Array;
    const p = new Float64Array(T);
    const acc = new Float64Array(Dv);
    for (let b = 0; b < B; b++) {
      for (let n = 0; n < N; n++) {
        const kb = (b * N + n) * T * D;
        const vb = (b * N + n) * T * Dv;
        for (let s = 0; s < S; s++) {
          const qo = (b * S + s) * total + n * D;
          const mo = (b * S + s) * T;
          const ao = b * abB + n * abN + s * T;
          let max = -Infinity;
          for (let j = 0; j < T; j++) {
            let dot = 0;
            for (let e = 0; e < D; e++) dot += qkv[qo + e] * kAll[kb + j * D + e];
            let v = dot * scale + mask[mo + j] + (ab ? ab[ao + j] : 0);
            if (f32) v = Math.fround(v);
            p[j] = v;
            if (v > max) max = v;
          }
          let sum = 0;
          for (let j = 0; j < T; j++) {
            p[j] = Math.exp(p[j] - max);
            sum += p[j];
          }
          acc.fill(0);
          for (let j = 0; j < T; j++) {
            const pj = p[j] / sum;
            for (let e = 0; e < Dv; e++) acc[e] += pj * vAll[vb + j * Dv + e];
          }
          y.set(acc, (b * S + s) * Hv + n * Dv);
        }
      }
    }
    const dt = f32 ? DataType.FLOAT : DataType.DOUBLE;
    const outs = [{ dtype: dt, shape: [B, S, Hv], data: y }];
    if ((node.outputs[1] ?? '') !== '') {
      if (Hv !== Hq) throw nodeError(node, 'the present output needs equal Q/K/V hidden sizes');
      const present = ctx.alloc(dt, [2, B, N, T, D]) as Float32Array | Float64Array;
      present.set(kAll, 0);
      present.set(vAll, B * N * T * D);
      outs.push({ dtype: dt, shape: [2, B, N, T, D], data: present });
    }
    return outs;
  },
};
