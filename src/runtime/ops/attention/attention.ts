// Attention (ai.onnx opset 23+): scaled dot-product attention over 3-D ([batch, seq, heads·size])
// or 4-D ([batch, heads, seq, size]) Q/K/V, with grouped-query heads, a boolean or additive mask
// (last axis padded with -inf when shorter), offset-aware causal masking, sliding windows
// (opset 25 attributes), softcap, a KV cache (past → present) or an external cache's
// nonpad_kv_seqlen, and the optional qk_matmul_output in its four modes. Fully masked rows give
// zeros, as the spec's errata and the reference do. Arithmetic is float64, outputs in the inputs' dtypes.

import { DataType, Node } from '../../../onnx/ir';
import { unsupported } from '../../errors';
import { OpDef, RunContext } from '../../op';
import { Tensor } from '../../tensor';
import { finish, floatAttr, hasAttr, intAttr, isAttnFloat, need, nodeError, readFloats, scratch } from './common';

interface AttnAttrs {
  readonly causal: boolean;
  readonly qHeads: number; // 0 when absent
  readonly kvHeads: number;
  readonly scale: number | undefined;
  readonly softcap: number;
  readonly mode: number;
  readonly softmaxPrecision: number | undefined;
  readonly left: number;
  readonly right: number;
}

function parseAttention(node: Node): AttnAttrs {
  const mode = intAttr(node, 'qk_matmul_output_mode', 0);
  if (mode < 0 || mode > 3) throw nodeError(node, `qk_matmul_output_mode must be 0..3, got ${mode}`);
  const softcap = floatAttr(node, 'softcap', 0);
  const wantQk = node.outputs.length > 3 && node.outputs[3] !== '';
  if (wantQk && mode === 0 && softcap > 0) {
    throw unsupported(nodeError(node, 'qk_matmul_output in mode 0 with softcap: the spec (raw QK) and the reference implementation (soft-capped QK) disagree'));
  }
  const sp = hasAttr(node, 'softmax_precision') ? intAttr(node, 'softmax_precision', 1) : undefined;
  if (sp !== undefined && ![1, 10, 11, 16].includes(sp)) throw nodeError(node, `softmax_precision must be 1, 10, 11 or 16, got ${sp}`);
  const scale = hasAttr(node, 'scale') ? floatAttr(node, 'scale', 1) : undefined;
  if (scale !== undefined && !(scale >= 0)) throw unsupported(nodeError(node, `scale ${scale} is negative; Q and K are scaled by its square root`));
  const left = intAttr(node, 'left_window_size', -1);
  const right = intAttr(node, 'right_window_size', -1);
  if (left < -1 || right < -1) throw nodeError(node, 'left_window_size and right_window_size must be -1 or nonnegative');
  return {
    causal: intAttr(node, 'is_causal', 0) === 1, qHeads: intAttr(node, 'q_num_heads', 0), kvHeads: intAttr(node, 'kv_num_heads', 0),
    scale, softcap, mode, softmaxPrecision: sp, left, right,
  };
}

/** Shapes of one call, 3-D inputs seen as heads. */
interface Dims { B: number; Hq: number; Sq: number; D: number; Hkv: number; Skv: number; Dv: number; P: number; T: number; rank: number }

function dims(node: Node, a: AttnAttrs, Q: Tensor, K: Tensor, V: Tensor, pastK: Tensor | undefined, pastV: Tensor | undefined): Dims {
  const rank = Q.shape.length;
  if ((rank !== 3 && rank !== 4) || K.shape.length !== rank || V.shape.length !== rank) {
    throw nodeError(node, `Q, K and V must all be 3-D or all 4-D, got [${Q.shape.join(',')}], [${K.shape.join(',')}], [${V.shape.join(',')}]`);
  }
  let B: number, Hq: number, Sq: number, D: number, Hkv: number, Skv: number, Dv: number;
  if (rank === 4) {
    [B, Hq, Sq, D] = Q.shape;
    [, Hkv, Skv] = K.shape;
    Dv = V.shape[3];
    if (K.shape[0] !== B || V.shape[0] !== B || V.shape[1] !== Hkv || V.shape[2] !== Skv || K.shape[3] !== D) {
      throw nodeError(node, `incompatible Q [${Q.shape.join(',')}], K [${K.shape.join(',')}], V [${V.shape.join(',')}]`);
    }
  } else {
    if (a.qHeads <= 0 || a.kvHeads <= 0) throw nodeError(node, '3-D inputs need the q_num_heads and kv_num_heads attributes');
    Hq = a.qHeads;
    Hkv = a.kvHeads;
    [B, Sq] = Q.shape;
    Skv = K.shape[1];
    if (Q.shape[2] % Hq || K.shape[2] % Hkv || V.shape[2] % Hkv) throw nodeError(node, 'hidden sizes must be multiples of the head counts');
    D = Q.shape[2] / Hq;
    Dv = V.shape[2] / Hkv;
    if (K.shape[0] !== B || V.shape[0] !== B || V.shape[1] !== Skv || K.shape[2] / Hkv !== D) {
      throw nodeError(node, `incompatible Q [${Q.shape.join(',')}], K [${K.shape.join(',')}], V [${V.shape.join(',')}] for ${Hq} query and ${Hkv} key/value heads`);
    }
  }
  if (Hkv === 0 || Hq % Hkv !== 0) throw nodeError(node, `q_num_heads ${Hq} must be a multiple of kv_num_heads ${Hkv}`);
  let P = 0;
  if (pastK && pastV) {
    P = pastK.shape[2];
    const okK = pastK.shape.length === 4 && pastK.shape[0] === B && pastK.shape[1] === Hkv && pastK.shape[3] === D;
    const okV = pastV.shape.length === 4 && pastV.shape[0] === B && pastV.shape[1] === Hkv && pastV.shape[2] === P && pastV.shape[3] === Dv;
    if (!okK || !okV) throw nodeError(node, `past_key [${pastK.shape.join(',')}] / past_value [${pastV.shape.join(',')}] do not fit [${B},${Hkv},past,${D}] / [${B},${Hkv},past,${Dv}]`);
  }
  return { B, Hq, Sq, D, Hkv, Skv, Dv, P, T: P + Skv, rank };
}

/** present = concat(past, new) along the sequence axis, as [B, Hkv, T, size]. */
function present(ctx: RunContext, d: Dims, cur: Tensor, past: Tensor | undefined, size: number, what: string): { t: Tensor; f: Float32Array | Float64Array } {
  const { node } = ctx;
  const out = scratch(ctx, cur.dtype, [d.B, d.Hkv, d.T, size]);
  const src = readFloats(node, cur, what);
  const pst = past ? readFloats(node, past, `past ${what}`) : undefined;
  if (past && past.dtype !== cur.dtype) throw nodeError(node, `past ${what} is ${DataType[past.dtype]} but ${what} is ${DataType[cur.dtype]}`);
  for (let b = 0; b < d.B; b++) {
    for (let h = 0; h < d.Hkv; h++) {
      const base = (b * d.Hkv + h) * d.T * size;
      if (pst) out.set(pst.subarray((b * d.Hkv + h) * d.P * size, (b * d.Hkv + h + 1) * d.P * size), base);
      for (let s = 0; s < d.Skv; s++) {
        const from = d.rank === 4 ? ((b * d.Hkv + h) * d.Skv + s) * size : (b * d.Skv + s) * d.Hkv * size + h * size;
        out.set(src.subarray(from, from + size), base + (d.P + s) * size);
      }
    }
  }
  return { t: finish(cur.dtype, [d.B, d.Hkv, d.T, size], out), f: out };
}

/** The mask's storage and strides over [B, Hq, Sq, maskLast] (0 for broadcast axes). */
interface MaskView { bool: Uint8Array | undefined; f: Float32Array | Float64Array | undefined; sb: number; sh: number; si: number; last: number }

function maskView(node: Node, m: Tensor, d: Dims): MaskView {
  const r = m.shape.length;
  if (r < 1 || r > 4) throw nodeError(node, `attn_mask must have rank 1 to 4, got [${m.shape.join(',')}]`);
  const shape = [...new Array<number>(4 - r).fill(1), ...m.shape];
  const last = shape[3];
  if (last > d.T) throw nodeError(node, `attn_mask's last axis (${last}) is longer than the total sequence length ${d.T}`);
  const target = [d.B, d.Hq, d.Sq];
  const strides = [shape[1] * shape[2] * last, shape[2] * last, last];
  for (let k = 0; k < 3; k++) {
    if (shape[k] === 1) strides[k] = 0;
    else if (shape[k] !== target[k]) throw nodeError(node, `attn_mask [${m.shape.join(',')}] does not broadcast to [${d.B},${d.Hq},${d.Sq},${d.T}]`);
  }
  let bool: Uint8Array | undefined;
  let f: Float32Array | Float64Array | undefined;
  if (m.dtype === DataType.BOOL) bool = m.data as Uint8Array;
  else if (isAttnFloat(m.dtype)) f = readFloats(node, m, 'attn_mask');
  else throw unsupported(nodeError(node, `attn_mask of dtype ${DataType[m.dtype]} is not supported (bool or float masks only)`));
  return { bool, f, sb: strides[0], sh: strides[1], si: strides[2], last };
}

/** Attention (opset 23, 24; window attributes of 25 honoured when present). */
export const attention: OpDef<AttnAttrs> = {
  domain: '', opType: 'Attention', since: 23, lowPrecision: 'native',
  parse(ctx) {
    return parseAttention(ctx.node);
  },
  run(inputs, a, ctx) {
    const { node } = ctx;
    const Q = need(node, inputs, 0, 'Q');
    const K = need(node, inputs, 1, 'K');
    const V = need(node, inputs, 2, 'V');
    const [mask, pastK, pastV, nonpad] = [inputs[3], inputs[4], inputs[5], inputs[6]];
    if ((pastK === undefined) !== (pastV === undefined)) throw nodeError(node, 'past_key and past_value must be given together');
    if (nonpad && pastK) throw nodeError(node, 'nonpad_kv_seqlen cannot be combined with past_key / past_value');
    if (K.dtype !== Q.dtype) throw nodeError(node, `K is ${DataType[K.dtype]} but Q is ${DataType[Q.dtype]}`);
    const sp = a.softmaxPrecision;
    if ((sp === DataType.FLOAT16 || sp === DataType.BFLOAT16) && sp !== Q.dtype) {
      throw unsupported(nodeError(node, `softmax_precision ${DataType[sp]} below the inputs' ${DataType[Q.dtype]} precision is not supported`));
    }
    const roundSoftmax = sp === DataType.FLOAT && Q.dtype === DataType.DOUBLE;
    const d = dims(node, a, Q, K, V, pastK, pastV);
    const q = readFloats(node, Q, 'Q');
    const pk = present(ctx, d, K, pastK, d.D, 'key');
    const pv = present(ctx, d, V, pastV, d.Dv, 'value');
    const mv = mask ? maskView(node, mask, d) : undefined;
    let lens: number[] | undefined;
    if (nonpad) {
      if (nonpad.dtype !== DataType.INT64 || nonpad.data.length !== d.B) throw nodeError(node, `nonpad_kv_seqlen must be int64 of shape [${d.B}]`);
      const nv = nonpad.data as BigInt64Array;
      lens = [];
      for (let b = 0; b < d.B; b++) lens.push(Number(nv[b]));
    }
    const { B, Hq, Sq, D, Hkv, Dv, T, rank } = d;
    const yShape = rank === 4 ? [B, Hq, Sq, Dv] : [B, Sq, Hq * Dv];
    const y = scratch(ctx, Q.dtype, yShape);
    const wantQk = node.outputs.length > 3 && node.outputs[3] !== '';
    const qkOut = wantQk ? scratch(ctx, Q.dtype, [B, Hq, Sq, T]) : undefined;
    const scale = a.scale ?? 1 / Math.sqrt(D);
    const cap = a.softcap;
    const window = a.left >= 0 || a.right >= 0;
    const reps = Hq / Hkv;
    const kf = pk.f;
    const vf = pv.f;
    const bias = new Float64Array(T);
    const p = new Float64Array(T);
    const acc = new Float64Array(Dv);
    for (let b = 0; b < B; b++) {
      const offset = pastK ? d.P : lens ? lens[b] - Sq : 0;
      const valid = lens ? lens[b] : T;
      for (let h = 0; h < Hq; h++) {
        const kvh = Math.floor(h / reps);
        const kBase = (b * Hkv + kvh) * T * D;
        const vBase = (b * Hkv + kvh) * T * Dv;
        for (let i = 0; i < Sq; i++) {
          // Additive bias: mask (bool → 0 / -inf, float added, padded with -inf), causal, window, padding.
          let allMasked = true;
          const mBase = mv ? b * mv.sb + h * mv.sh + i * mv.si : 0;
          for (let j = 0; j < T; j++) {
            let v = 0;
            if (mv) {
              if (j >= mv.last) v = -Infinity;
              else if (mv.bool) v = mv.bool[mBase + j] ? 0 : -Infinity;
              else v = (mv.f as Float32Array)[mBase + j];
            }
            if (a.causal && j > i + offset) v += -Infinity;
            if (window) {
              const diff = offset + i - j;
              if (a.left >= 0 && diff > a.left) v += -Infinity;
              if (a.right >= 0 && -diff > a.right) v += -Infinity;
            }
            if (j >= valid) v += -Infinity;
            bias[j] = v;
            if (v !== -Infinity) allMasked = false;
          }
          // Scores: scaled QK, softcap, bias; qk_matmul_output modes 0-2 captured on the way.
          const qOff = rank === 4 ? ((b * Hq + h) * Sq + i) * D : (b * Sq + i) * Hq * D + h * D;
          const rowOut = ((b * Hq + h) * Sq + i) * T;
          let max = -Infinity;
          let nan = false;
          for (let j = 0; j < T; j++) {
            const kOff = kBase + j * D;
            let s = 0;
            for (let e = 0; e < D; e++) s += q[qOff + e] * kf[kOff + e];
            s *= scale;
            if (cap > 0) s = cap * Math.tanh(s / cap);
            let x = s + bias[j];
            if (qkOut && a.mode < 2) qkOut[rowOut + j] = s;
            if (qkOut && a.mode === 2) qkOut[rowOut + j] = x;
            if (roundSoftmax) x = Math.fround(x);
            p[j] = x;
            if (x !== x) nan = true;
            else if (x > max) max = x;
          }
          // Softmax (an all -inf row gives zeros); a row whose bias masks every key is zero.
          const safe = nan ? NaN : max === -Infinity ? 0 : max;
          let sum = 0;
          for (let j = 0; j < T; j++) {
            const e = Math.exp(p[j] - safe);
            p[j] = e;
            sum += e;
          }
          if (sum === 0) sum = 1;
          for (let j = 0; j < T; j++) {
            let pj = allMasked ? 0 : p[j] / sum;
            if (roundSoftmax) pj = Math.fround(pj);
            p[j] = pj;
            if (qkOut && a.mode === 3) qkOut[rowOut + j] = pj;
          }
          acc.fill(0);
          for (let j = 0; j < T; j++) {
            const pj = p[j];
            const vOff = vBase + j * Dv;
            for (let e = 0; e < Dv; e++) acc[e] += pj * vf[vOff + e];
          }
          const yOff = rank === 4 ? ((b * Hq + h) * Sq + i) * Dv : (b * Sq + i) * Hq * Dv + h * Dv;
          y.set(acc, yOff);
        }
      }
    }
    const outs = [finish(Q.dtype, yShape, y), pk.t, pv.t];
    if (qkOut) outs.push(finish(Q.dtype, [B, Hq, Sq, T], qkOut));
    return outs;
  },
};
