// RNN (opsets 7, 14, 22): Ht = f(Xt·Wᵀ + Ht−1·Rᵀ + Wb + Rb) over each direction, with sequence
// lengths, initial state, activation lists, clip and layout (14). Outputs Y and Y_h.

import { gemm } from '../../kernels/gemm';
import { OpDef } from '../../op';
import { activate, Floats, parseRecurrent, readInputs, RecurrentAttrs, scratch, writeOutputs } from './common';

function run(inputs: Parameters<OpDef<RecurrentAttrs>['run']>[0], a: RecurrentAttrs, ctx: Parameters<OpDef<RecurrentAttrs>['run']>[2]) {
  const inp = readInputs(ctx, inputs, a, 1, 0);
  const { seq, batch, input, x, w, r, b, lens } = inp;
  const H = a.hidden;
  const D = a.numDir;
  const y = scratch(x, seq * D * batch * H);
  const hAll = scratch(x, D * batch * H);
  const xw = scratch(x, seq * batch * H);
  const hr = scratch(x, batch * H);
  for (let d = 0; d < D; d++) {
    gemm(false, true, seq * batch, H, input, 1, x, 0, input, w, d * H * input, input, 0, xw, 0, H);
    const h: Floats = hAll.subarray(d * batch * H, (d + 1) * batch * H);
    if (inp.initH) h.set(inp.initH.subarray(d * batch * H, (d + 1) * batch * H));
    const act = a.acts[d];
    const bo = d * 2 * H;
    for (let s = 0; s < seq; s++) {
      gemm(false, true, batch, H, H, 1, h, 0, H, r, d * H * H, H, 0, hr, 0, H);
      for (let bi = 0; bi < batch; bi++) {
        if (s >= lens[bi]) continue;
        const t = a.reverse[d] ? lens[bi] - 1 - s : s;
        const xo = (t * batch + bi) * H;
        const ho = bi * H;
        for (let j = 0; j < H; j++) hr[ho + j] += xw[xo + j] + (b ? b[bo + j] + b[bo + H + j] : 0);
        activate(act, a.clip, hr, ho, H);
        h.set(hr.subarray(ho, ho + H), ho);
        y.set(hr.subarray(ho, ho + H), ((t * D + d) * batch + bi) * H);
      }
    }
  }
  return writeOutputs(ctx, a, inp, y, [hAll]);
}

function def(since: number): OpDef<RecurrentAttrs> {
  return { domain: '', opType: 'RNN', since, parse: (ctx) => parseRecurrent(ctx.node, ctx.opset, ['Tanh']), run };
}

/** RNN 7, 14 (layout), 22 (bfloat16). */
export const rnnDefs = [def(7), def(14), def(22)];
