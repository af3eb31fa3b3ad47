// STFT (opset 17): short-time Fourier transform of [batch, length, 1|2] signals: frames of
// frame_length every frame_step, multiplied by the optional window, each transformed by a DFT
// (onesided by default for real signals). Output [batch, frames, bins, 2].

import { OpDef } from '../../op';
import { floatData, intAttr, need, nodeError, shapeStr } from '../nn/attrs';
import { scalarNumber } from '../tensor/common';
import { dftLine, twiddles } from './fourier';

/** STFT (opset 17). */
export const stft: OpDef<boolean> = {
  domain: '', opType: 'STFT', since: 17,
  parse: (ctx) => intAttr(ctx.node, 'onesided', 1) !== 0,
  run(inputs, onesided, ctx) {
    const node = ctx.node;
    const x = need(node, inputs, 0, 'signal');
    const xd = floatData(node, x, 'signal');
    if (x.shape.length !== 3 || (x.shape[2] !== 1 && x.shape[2] !== 2)) throw nodeError(node, `signal must be [batch, length, 1 or 2], got ${shapeStr(x.shape)}`);
    const [B, S, comp] = x.shape;
    const step = scalarNumber(node, need(node, inputs, 1, 'frame_step'), 'frame_step');
    const win = inputs[2];
    const wd = win ? floatData(node, win, 'window') : undefined;
    let fl = inputs[3] ? scalarNumber(node, inputs[3], 'frame_length') : win ? win.shape[0] : NaN;
    if (win && (win.shape.length !== 1 || (inputs[3] && win.shape[0] !== fl))) throw nodeError(node, `window must be 1-D of frame_length ${fl}, got ${shapeStr(win.shape)}`);
    if (Number.isNaN(fl)) throw nodeError(node, 'needs a window or a frame_length');
    fl = Math.floor(fl);
    if (!(step >= 1) || fl < 1 || fl > S) throw nodeError(node, `frame_step ${step} must be >= 1 and frame_length ${fl} within [1, ${S}]`);
    if (onesided && comp === 2) throw nodeError(node, 'onesided output needs a real signal');
    const frames = Math.floor((S - fl) / step) + 1;
    const bins = onesided ? Math.floor(fl / 2) + 1 : fl;
    const shape = [B, frames, bins, 2];
    const y = ctx.alloc(x.dtype, shape) as Float32Array | Float64Array;
    const tw = twiddles(fl);
    const re = new Float64Array(fl);
    const im = new Float64Array(fl);
    const oRe = new Float64Array(bins);
    const oIm = new Float64Array(bins);
    for (let b = 0; b < B; b++) {
      for (let f = 0; f < frames; f++) {
        for (let j = 0; j < fl; j++) {
          const p = (b * S + f * step + j) * comp;
          const w = wd ? wd[j] : 1;
          re[j] = xd[p] * w;
          im[j] = comp === 2 ? xd[p + 1] * w : 0;
        }
        dftLine(tw, re, comp === 2 ? im : undefined, fl, bins, -1, 1, oRe, oIm);
        const base = (b * frames + f) * bins * 2;
        for (let k = 0; k < bins; k++) {
          y[base + 2 * k] = oRe[k];
          y[base + 2 * k + 1] = oIm[k];
        }
      }
    }
    return [{ dtype: x.dtype, shape, data: y }];
  },
};
