// LSTM (opsets 7, 14, 22): gates i, o, f, c per direction with peepholes P, input_forget,
// sequence lengths, initial states, activation lists (f, g, h), clip and layout (14).
// Outputs Y, Y_h and Y_c.

import { DataType } from '../../../onnx/ir';
import { gemm } from '../../kernels/gemm';
import { floatData, shapeStr } from '../nn/attrs';
import { OpDef } from '../../op';
import { activate, Floats, nodeError, parseRecurrent, readInputs, RecurrentAttrs, scratch, writeOutputs } from './common';

function run(inputs: Parameters<OpDef<RecurrentAttrs>['run']>[0], a: RecurrentAttrs, ctx: Parameters<OpDef<RecurrentAttrs>['run']>[2]) {
  const inp = readInputs(ctx, inputs, a, 4, 6);
  const { seq, batch, input, x, w, r, b, lens } = inp;
  const H = a.hidden;
  const D = a.numDir;
  const G = 4 * H;
  let p: Floats | undefined;
  const P = inputs[7];
  if (P) {
    p = floatData(ctx.node, P, 'P');
    if (P.dtype !== inp.dtype || P.shape.length !== 2 || P.shape[0] !== D || P.shape[1] !== 3 * H) {
      throw nodeError(ctx.node, `P must be ${DataType[inp.dtype]} of shape [${D},${3 * H}], got ${shapeStr(P.shape)}`);
    }
  }
  const y = scratch(x, seq * D * batch * H);
  const hAll = scratch(x, D * batch * H);
  const cAll = scratch(x, D * batch * H);
  const xw = scratch(x, seq * batch * G);
  const gt = scratch(x, batch * G);
  const tmp = scratch(x, H);
  for (let d = 0; d < D; d++) {
    gemm(false, true, seq * batch, G, input, 1, x, 0, input, w, d * G * input, input, 0, xw, 0, G);
    const h: Floats = hAll.subarray(d * batch * H, (d + 1) * batch * H);
    const c: Floats = cAll.subarray(d * batch * H, (d + 1) * batch * H);
    if (inp.initH) h.set(inp.initH.subarray(d * batch * H, (d + 1) * batch * H));
    if (inp.initC) c.set(inp.initC.subarray(d * batch * H, (d + 1) * batch * H));
    const [f, g, hf] = [a.acts[d * 3], a.acts[d * 3 + 1], a.acts[d * 3 + 2]];
    const wb = d * 2 * G;
    const rb = wb + G;
    const po = d * 3 * H;
    for (let s = 0; s < seq; s++) {
      gemm(false, true, batch, G, H, 1, h, 0, H, r, d * G * H, H, 0, gt, 0, G);
      for (let bi = 0; bi < batch; bi++) {
        if (s >= lens[bi]) continue;
        const t = a.reverse[d] ? lens[bi] - 1 - s : s;
        const xo = (t * batch + bi) * G;
        const go = bi * G; // gate blocks: i, o, f, c
        const ho = bi * H;
        for (let j = 0; j < G; j++) gt[go + j] += xw[xo + j] + (b ? b[wb + j] + b[rb + j] : 0);
        if (p) {
          for (let j = 0; j < H; j++) {
            gt[go + j] += p[po + j] * c[ho + j];
            gt[go + 2 * H + j] += p[po + 2 * H + j] * c[ho + j];
          }
        }
        activate(f, a.clip, gt, go, H); // i
        if (a.inputForget) for (let j = 0; j < H; j++) gt[go + 2 * H + j] = 1 - gt[go + j];
        else activate(f, a.clip, gt, go + 2 * H, H); // f
        activate(g, a.clip, gt, go + 3 * H, H); // c~
        for (let j = 0; j < H; j++) c[ho + j] = gt[go + 2 * H + j] * c[ho + j] + gt[go + j] * gt[go + 3 * H + j];
        if (p) for (let j = 0; j < H; j++) gt[go + H + j] += p[po + H + j] * c[ho + j];
        activate(f, a.clip, gt, go + H, H); // o
        tmp.set(c.subarray(ho, ho + H));
        activate(hf, Infinity, tmp, 0, H);
        const yo = ((t * D + d) * batch + bi) * H;
        for (let j = 0; j < H; j++) {
          const v = gt[go + H + j] * tmp[j];
          h[ho + j] = v;
          y[yo + j] = v;
        }
      }
    }
  }
  return writeOutputs(ctx, a, inp, y, [hAll, cAll]);
}

function def(since: number): OpDef<RecurrentAttrs> {
  return { domain: '', opType: 'LSTM', since, parse: (ctx) => parseRecurrent(ctx.node, ctx.opset, ['Sigmoid', 'Tanh', 'Tanh']), run };
}

/** LSTM 7, 14 (layout), 22 (bfloat16). */
export const lstmDefs = [def(7), def(14), def(22)];
