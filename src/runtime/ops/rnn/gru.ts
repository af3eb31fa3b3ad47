// GRU (opsets 7, 14, 22): gates z, r and candidate h per direction, with linear_before_reset,
// sequence lengths, initial state, activation lists (f, g), clip and layout (14). Outputs Y, Y_h.

import { gemm } from '../../kernels/gemm';
import { OpDef } from '../../op';
import { activate, Floats, parseRecurrent, readInputs, RecurrentAttrs, scratch, writeOutputs } from './common';

function run(inputs: Parameters<OpDef<RecurrentAttrs>['run']>[0], a: RecurrentAttrs, ctx: Parameters<OpDef<RecurrentAttrs>['run']>[2]) {
  const inp = readInputs(ctx, inputs, a, 3, 0);
  const { seq, batch, input, x, w, r, b, lens } = inp;
  const H = a.hidden;
  const D = a.numDir;
  const G = 3 * H;
  const y = scratch(x, seq * D * batch * H);
  const hAll = scratch(x, D * batch * H);
  const xw = scratch(x, seq * batch * G);
  const hr = scratch(x, batch * G); // Ht−1·[Rz Rr]ᵀ and, with linear_before_reset, Ht−1·Rhᵀ
  const rh = scratch(x, batch * H); // rt ⊙ Ht−1
  const hh = scratch(x, batch * H); // (rt ⊙ Ht−1)·Rhᵀ
  const lbr = a.linearBeforeReset;
  for (let d = 0; d < D; d++) {
    gemm(false, true, seq * batch, G, input, 1, x, 0, input, w, d * G * input, input, 0, xw, 0, G);
    const h: Floats = hAll.subarray(d * batch * H, (d + 1) * batch * H);
    if (inp.initH) h.set(inp.initH.subarray(d * batch * H, (d + 1) * batch * H));
    const f = a.acts[d * 2];
    const g = a.acts[d * 2 + 1];
    const wb = d * 2 * G;
    const rb = wb + G;
    const ro = d * G * H;
    for (let s = 0; s < seq; s++) {
      gemm(false, true, batch, lbr ? G : 2 * H, H, 1, h, 0, H, r, ro, H, 0, hr, 0, G);
      for (let bi = 0; bi < batch; bi++) {
        if (s >= lens[bi]) continue;
        const t = a.reverse[d] ? lens[bi] - 1 - s : s;
        const xo = (t * batch + bi) * G;
        const go = bi * G;
        for (let j = 0; j < 2 * H; j++) hr[go + j] += xw[xo + j] + (b ? b[wb + j] + b[rb + j] : 0);
        activate(f, a.clip, hr, go, 2 * H); // z, r
        if (!lbr) for (let j = 0; j < H; j++) rh[bi * H + j] = hr[go + H + j] * h[bi * H + j];
      }
      if (!lbr) gemm(false, true, batch, H, H, 1, rh, 0, H, r, ro + 2 * H * H, H, 0, hh, 0, H);
      for (let bi = 0; bi < batch; bi++) {
        if (s >= lens[bi]) continue;
        const t = a.reverse[d] ? lens[bi] - 1 - s : s;
        const xo = (t * batch + bi) * G + 2 * H;
        const go = bi * G;
        const ho = bi * H;
        for (let j = 0; j < H; j++) {
          const wbh = b ? b[wb + 2 * H + j] : 0;
          const rbh = b ? b[rb + 2 * H + j] : 0;
          hh[ho + j] = lbr
            ? xw[xo + j] + hr[go + H + j] * (hr[go + 2 * H + j] + rbh) + wbh
            : xw[xo + j] + hh[ho + j] + rbh + wbh;
        }
        activate(g, a.clip, hh, ho, H);
        const yo = ((t * D + d) * batch + bi) * H;
        for (let j = 0; j < H; j++) {
          const z = hr[go + j];
          const v = (1 - z) * hh[ho + j] + z * h[ho + j];
          h[ho + j] = v;
          y[yo + j] = v;
        }
      }
    }
  }
  return writeOutputs(ctx, a, inp, y, [hAll]);
}

function def(since: number): OpDef<RecurrentAttrs> {
  return { domain: '', opType: 'GRU', since, parse: (ctx) => parseRecurrent(ctx.node, ctx.opset, ['Sigmoid', 'Tanh']), run };
}

/** GRU 7, 14 (layout), 22 (bfloat16). */
export const gruDefs = [def(7), def(14), def(22)];
