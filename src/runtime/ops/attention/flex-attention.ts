// ai.onnx.preview FlexAttention (opset 1): softmax(scale · Q Kᵀ) V over [B, H, L, E] inputs, with
// the optional subgraphs score_mod (and mask_mod) run on the [B, H, L, S] scores before the softmax
// and prob_mod on the probabilities after it. Key/value heads are shared by groups of query heads.
import { DataType } from '../../../onnx/ir';
import { findAttr } from '../../../onnx/attrs';
import { OpDef, RunContext } from '../../op';
import { isTensor, Tensor } from '../../tensor';
import { need, nodeError, readFloats } from './common';

interface FlexAttrs { readonly scale: number | undefined; readonly mods: { score: boolean; mask: boolean; prob: boolean } }

/** Runs a modification subgraph on one [B, H, L, S] tensor; its single output must keep the shape. */
function mod(ctx: RunContext, name: string, t: Tensor): Float32Array | Float64Array {
  if (!ctx.runSubgraph) throw nodeError(ctx.node, 'this executor context cannot run subgraphs');
  const [out] = ctx.runSubgraph(name, [t]);
  if (!isTensor(out) || out.shape.join(',') !== t.shape.join(',') || out.dtype !== t.dtype) {
    throw nodeError(ctx.node, `${name} must return one ${DataType[t.dtype]} tensor of shape [${t.shape.join(',')}]`);
  }
  return out.data as Float32Array | Float64Array;
}

/** FlexAttention (ai.onnx.preview 1): float, double (float16 / bfloat16 through float32). */
export const flexAttention: OpDef<FlexAttrs> = {
  domain: 'ai.onnx.preview', opType: 'FlexAttention', since: 1,
  parse(ctx) {
    const s = findAttr(ctx.node, 'scale');
    const has = (n: string): boolean => findAttr(ctx.node, n)?.type === 'graph';
    return { scale: s && s.type === 'float' ? s.value : undefined, mods: { score: has('score_mod'), mask: has('mask_mod'), prob: has('prob_mod') } };
  },
  run(inputs, a, ctx) {
    const { node } = ctx;
    const [q, k, v] = [need(node, inputs, 0, 'Q'), need(node, inputs, 1, 'K'), need(node, inputs, 2, 'V')];
    if (q.shape.length !== 4 || k.shape.length !== 4 || v.shape.length !== 4) throw nodeError(node, 'Q, K and V must be 4-D [batch, heads, length, size]');
    const [B, Hq, L, E] = q.shape;
    const [, Hk, S] = k.shape;
    const Ev = v.shape[3];
    if (k.shape[0] !== B || v.shape[0] !== B || k.shape[3] !== E || v.shape[1] !== Hk || v.shape[2] !== S || Hq % Hk !== 0) {
      throw nodeError(node, `Q [${q.shape.join(',')}], K [${k.shape.join(',')}] and V [${v.shape.join(',')}] do not fit together`);
    }
    const dt = q.dtype === DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
    const round = dt === DataType.FLOAT ? Math.fround : (x: number) => x;
    const scale = a.scale ?? round(1 / Math.sqrt(E));
    const [qv, kv, vv] = [readFloats(node, q, 'Q'), readFloats(node, k, 'K'), readFloats(node, v, 'V')];
    const group = Hq / Hk;
    let scores = ctx.alloc(dt, [B, Hq, L, S]) as Float32Array | Float64Array;
    for (let b = 0; b < B; b++) for (let h = 0; h < Hq; h++) {
      const kh = Math.floor(h / group);
      for (let i = 0; i < L; i++) for (let j = 0; j < S; j++) {
        let s = 0;
        const qo = ((b * Hq + h) * L + i) * E;
        const ko = ((b * Hk + kh) * S + j) * E;
        for (let e = 0; e < E; e++) s += qv[qo + e] * kv[ko + e];
        scores[((b * Hq + h) * L + i) * S + j] = round(round(s) * scale);
      }
    }
    const shape = [B, Hq, L, S];
    if (a.mods.score) scores = mod(ctx, 'score_mod', { dtype: dt, shape, data: scores });
    if (a.mods.mask) scores = mod(ctx, 'mask_mod', { dtype: dt, shape, data: scores });
    let probs = ctx.alloc(dt, shape) as Float32Array | Float64Array;
    for (let r = 0; r < B * Hq * L; r++) {
      let m = -Infinity;
      for (let j = 0; j < S; j++) m = Math.max(m, scores[r * S + j]);
      let sum = 0;
      for (let j = 0; j < S; j++) { const e = round(Math.exp(round(scores[r * S + j] - m))); probs[r * S + j] = e; sum += e; }
      const total = round(sum);
      for (let j = 0; j < S; j++) probs[r * S + j] = round(probs[r * S + j] / total);
    }
    if (a.mods.prob) probs = mod(ctx, 'prob_mod', { dtype: dt, shape, data: probs });
    const y = ctx.alloc(dt, [B, Hq, L, Ev]) as Float32Array | Float64Array;
    for (let b = 0; b < B; b++) for (let h = 0; h < Hq; h++) {
      const kh = Math.floor(h / group);
      for (let i = 0; i < L; i++) for (let c = 0; c < Ev; c++) {
        let s = 0;
        const po = ((b * Hq + h) * L + i) * S;
        for (let j = 0; j < S; j++) s += probs[po + j] * vv[((b * Hk + kh) * S + j) * Ev + c];
        y[((b * Hq + h) * L + i) * Ev + c] = round(s);
      }
    }
    return [{ dtype: dt, shape: [B, Hq, L, Ev], data: y }];
  },
};
