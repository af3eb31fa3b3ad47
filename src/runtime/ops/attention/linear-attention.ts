// LinearAttention (opset 27): recurrent linear attention over a [B, H_kv, d_k, d_v] state, one time
// step at a time. Update rules: "linear" (S += k vᵀ), "gated" (S ← S·exp(g) first), "delta"
// (v ← β (v − Sᵀk_e) before writing, k_e = erase_gate ⊙ k when given) and "gated_delta" (both).
// Output o_t = scale · Sᵀ q_t, with query heads sharing KV heads in groups (GQA/MQA). The state
// is kept in float32, as the reference does; present_state returns it.
import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { floatAttr, intAttr, need, nodeError, readFloats } from './common';
import { stringAttr } from '../nn/attrs';

interface LinAttrs { readonly qHeads: number; readonly kvHeads: number; readonly scale: number; readonly gating: boolean; readonly delta: boolean }

/** LinearAttention (opset 27): float, double (float16 / bfloat16 through float32). */
export const linearAttention: OpDef<LinAttrs> = {
  domain: '', opType: 'LinearAttention', since: 27,
  parse(ctx) {
    const { node } = ctx;
    const rule = stringAttr(node, 'update_rule', 'gated_delta');
    if (!['linear', 'gated', 'delta', 'gated_delta'].includes(rule)) throw nodeError(node, `update_rule "${rule}" is not linear, gated, delta or gated_delta`);
    const qHeads = intAttr(node, 'q_num_heads', 0);
    const kvHeads = intAttr(node, 'kv_num_heads', 0);
    if (!(qHeads > 0 && kvHeads > 0 && qHeads % kvHeads === 0)) throw nodeError(node, `q_num_heads (${qHeads}) must be a positive multiple of kv_num_heads (${kvHeads})`);
    return { qHeads, kvHeads, scale: floatAttr(node, 'scale', 0), gating: rule === 'gated' || rule === 'gated_delta', delta: rule === 'delta' || rule === 'gated_delta' };
  },
  run(inputs, a, ctx) {
    const { node } = ctx;
    const q = need(node, inputs, 0, 'query');
    const k = need(node, inputs, 1, 'key');
    const v = need(node, inputs, 2, 'value');
    const [past, decay, beta, erase] = [inputs[3], inputs[4], inputs[5], inputs[6]];
    for (const [name, t] of [['query', q], ['key', k], ['value', v]] as const) {
      if (t.shape.length !== 3) throw nodeError(node, `${name} must be [batch, time, heads·dim], got [${t.shape.join(',')}]`);
    }
    if (a.gating !== !!decay) throw nodeError(node, `the update rule ${a.gating ? 'needs' : 'forbids'} the decay input`);
    if (a.delta !== !!beta) throw nodeError(node, `the update rule ${a.delta ? 'needs' : 'forbids'} the beta input`);
    if (erase && !a.delta) throw nodeError(node, 'erase_gate needs a delta update rule');
    const [B, T] = q.shape;
    const Hq = a.qHeads;
    const Hk = a.kvHeads;
    const dk = q.shape[2] / Hq;
    const dv = v.shape[2] / Hk;
    if (!Number.isInteger(dk) || !Number.isInteger(dv) || k.shape[2] !== Hk * dk || k.shape[0] !== B || v.shape[0] !== B || k.shape[1] !== T || v.shape[1] !== T) {
      throw nodeError(node, `query [${q.shape.join(',')}], key [${k.shape.join(',')}] and value [${v.shape.join(',')}] do not fit ${Hq} query and ${Hk} key/value heads`);
    }
    const dLast = decay?.shape[2];
    if (decay && (decay.shape.length !== 3 || (dLast !== Hk && dLast !== Hk * dk))) throw nodeError(node, `decay must be [${B}, ${T}, ${Hk} or ${Hk * dk}]`);
    const bLast = beta?.shape[2];
    if (beta && (beta.shape.length !== 3 || (bLast !== Hk && bLast !== 1))) throw nodeError(node, `beta must be [${B}, ${T}, ${Hk} or 1]`);
    if (erase && (erase.shape.length !== 3 || erase.shape[2] !== Hk * dk)) throw nodeError(node, `erase_gate must be [${B}, ${T}, ${Hk * dk}]`);
    if (past && (past.shape.length !== 4 || past.shape[0] !== B || past.shape[1] !== Hk || past.shape[2] !== dk || past.shape[3] !== dv)) {
      throw nodeError(node, `past_state must be [${B}, ${Hk}, ${dk}, ${dv}], got [${past.shape.join(',')}]`);
    }
    const scale = a.scale === 0 ? Math.fround(1 / Math.sqrt(dk)) : a.scale;
    const S = new Float32Array(B * Hk * dk * dv);
    if (past) S.set(readFloats(node, past, 'past_state'));
    const [qv, kv, vv] = [readFloats(node, q, 'query'), readFloats(node, k, 'key'), readFloats(node, v, 'value')];
    const gv = decay ? readFloats(node, decay, 'decay') : undefined;
    const bv = beta ? readFloats(node, beta, 'beta') : undefined;
    const ev = erase ? readFloats(node, erase, 'erase_gate') : undefined;
    const out = ctx.alloc(q.dtype, [B, T, Hq * dv]) as Float32Array | Float64Array;
    const group = Hq / Hk;
    const vt = new Float32Array(dv);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const row = b * T + t;
        for (let h = 0; h < Hk; h++) {
          const s0 = (b * Hk + h) * dk * dv;
          const kOff = row * Hk * dk + h * dk;
          if (gv) {
            for (let d = 0; d < dk; d++) {
              const g = Math.fround(Math.exp(dLast === Hk ? gv[row * Hk + h] : gv[row * Hk * dk + h * dk + d]));
              for (let m = 0; m < dv; m++) S[s0 + d * dv + m] *= g;
            }
          }
          for (let m = 0; m < dv; m++) vt[m] = vv[row * Hk * dv + h * dv + m];
          if (bv) {
            const bt = bv[row * bLast! + (bLast === 1 ? 0 : h)];
            for (let m = 0; m < dv; m++) {
              let r = 0;
              for (let d = 0; d < dk; d++) r += S[s0 + d * dv + m] * (ev ? Math.fround(ev[kOff + d] * kv[kOff + d]) : kv[kOff + d]);
              vt[m] = Math.fround(bt * Math.fround(vt[m] - Math.fround(r)));
            }
          }
          for (let d = 0; d < dk; d++) {
            const kd = kv[kOff + d];
            for (let m = 0; m < dv; m++) S[s0 + d * dv + m] += Math.fround(kd * vt[m]);
          }
          for (let g = 0; g < group; g++) {
            const hq = h * group + g;
            const qOff = row * Hq * dk + hq * dk;
            for (let m = 0; m < dv; m++) {
              let o = 0;
              for (let d = 0; d < dk; d++) o += qv[qOff + d] * S[s0 + d * dv + m];
              out[row * Hq * dv + hq * dv + m] = Math.fround(scale * Math.fround(o));
            }
          }
        }
      }
    }
    const stateType = past ? past.dtype : q.dtype;
    const present = ctx.alloc(stateType === DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT, [B, Hk, dk, dv]);
    (present as Float32Array | Float64Array).set(S);
    return [{ dtype: q.dtype, shape: [B, T, Hq * dv], data: out }, { dtype: stateType === DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT, shape: [B, Hk, dk, dv], data: present }];
  },
};
