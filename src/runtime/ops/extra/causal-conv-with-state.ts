// CausalConvWithState (opset 27): a depthwise causal 1-D convolution for streaming sequence models.
// The input [B, C, L] is prefixed with past_state [B, C, k−1] (zeros when absent), each channel is
// convolved with its own k taps (plus bias), SiLU/Swish is applied when asked, and present_state
// holds the last k−1 positions of the prefixed input for the next call.
import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { stringAttr } from '../nn/attrs';
import { need, nodeError } from './common';

/** CausalConvWithState (opset 27): float, double (float16 / bfloat16 through float32). */
export const causalConvWithState: OpDef<boolean> = {
  domain: '', opType: 'CausalConvWithState', since: 27,
  parse(ctx) {
    const a = stringAttr(ctx.node, 'activation', 'none');
    if (a !== 'none' && a !== 'silu' && a !== 'swish') throw nodeError(ctx.node, `activation "${a}" is not none, silu or swish`);
    return a !== 'none';
  },
  run(inputs, silu, ctx) {
    const { node } = ctx;
    const x = need(node, inputs, 0, 'input');
    const w = need(node, inputs, 1, 'weight');
    const bias = inputs[2];
    const past = inputs[3];
    if (x.dtype !== DataType.FLOAT && x.dtype !== DataType.DOUBLE) throw nodeError(node, 'input must be a float tensor');
    for (const [what, t] of [['weight', w], ['bias', bias], ['past_state', past]] as const) {
      if (t && t.dtype !== x.dtype) throw nodeError(node, `${what} must have the input's dtype`);
    }
    if (x.shape.length !== 3) throw nodeError(node, `input must be [batch, channels, length], got [${x.shape.join(',')}]`);
    const [B, C, L] = x.shape;
    if (w.shape.length !== 3 || w.shape[0] !== C || w.shape[1] !== 1) throw nodeError(node, `weight must be [${C}, 1, k], got [${w.shape.join(',')}]`);
    const k = w.shape[2];
    if (k < 1) throw nodeError(node, 'the kernel needs at least one tap');
    if (bias && (bias.shape.length !== 1 || bias.shape[0] !== C)) throw nodeError(node, `bias must be [${C}]`);
    if (past && (past.shape.length !== 3 || past.shape[0] !== B || past.shape[1] !== C || past.shape[2] !== k - 1)) {
      throw nodeError(node, `past_state must be [${B}, ${C}, ${k - 1}], got [${past.shape.join(',')}]`);
    }
    const xv = x.data as Float32Array | Float64Array;
    const wv = w.data as Float32Array | Float64Array;
    const bv = bias?.data as Float32Array | Float64Array | undefined;
    const pv = past?.data as Float32Array | Float64Array | undefined;
    const round = x.dtype === DataType.FLOAT ? Math.fround : (v: number) => v;
    const y = ctx.alloc(x.dtype, [B, C, L]) as Float32Array | Float64Array;
    const state = ctx.alloc(x.dtype, [B, C, k - 1]) as Float32Array | Float64Array;
    const P = k - 1 + L;
    const padded = new Float64Array(P);
    for (let b = 0; b < B; b++) {
      for (let c = 0; c < C; c++) {
        const row = b * C + c;
        for (let j = 0; j < k - 1; j++) padded[j] = pv ? pv[row * (k - 1) + j] : 0;
        for (let t = 0; t < L; t++) padded[k - 1 + t] = xv[row * L + t];
        const base = bv ? bv[c] : 0;
        for (let t = 0; t < L; t++) {
          let s = base;
          for (let j = 0; j < k; j++) s += padded[t + j] * wv[c * k + j];
          const v = round(s);
          y[row * L + t] = silu ? round(v / (1 + Math.exp(-v))) : v;
        }
        for (let j = 0; j < k - 1; j++) state[row * (k - 1) + j] = padded[P - (k - 1) + j];
      }
    }
    return [{ dtype: x.dtype, shape: [B, C, L], data: y }, { dtype: x.dtype, shape: [B, C, k - 1], data: state }];
  },
};
