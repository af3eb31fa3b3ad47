// Sliding-window geometry shared by Conv, ConvTranspose and the pooling ops: pads from auto_pad,
// output sizes (floor or ceil mode), all per spatial axis.

/** The resolved geometry of one windowed op over N spatial axes. */
export interface Window {
  readonly kernel: number[];
  readonly strides: number[];
  readonly dilations: number[];
  readonly padsBegin: number[];
  readonly padsEnd: number[];
  readonly outShape: number[];
}

/** auto_pad values as ONNX spells them. */
export type AutoPad = 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';

/**
 * Computes pads and output sizes for a forward window (Conv, pools). `pads` is the ONNX pads
 * attribute ([begin..., end...]) or undefined; `ceilMode` rounds the output size up, dropping
 * a last window that would start beyond the input and its begin padding.
 */
export function forwardWindow(
  inShape: readonly number[], kernel: number[], strides: number[], dilations: number[],
  pads: number[] | undefined, autoPad: AutoPad, ceilMode: boolean,
): Window {
  const n = inShape.length;
  const padsBegin: number[] = [];
  const padsEnd: number[] = [];
  const outShape: number[] = [];
  for (let i = 0; i < n; i++) {
    const inp = inShape[i];
    const s = strides[i];
    const dk = (kernel[i] - 1) * dilations[i] + 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const out = Math.ceil(inp / s);
      const total = Math.max(0, (out - 1) * s + dk - inp);
      const small = Math.floor(total / 2);
      padsBegin.push(autoPad === 'SAME_UPPER' ? small : total - small);
      padsEnd.push(autoPad === 'SAME_UPPER' ? total - small : small);
      outShape.push(out);
      continue;
    }
    const pb = autoPad === 'VALID' || !pads ? 0 : pads[i];
    const pe = autoPad === 'VALID' || !pads ? 0 : pads[i + n];
    const span = inp + pb + pe - dk;
    let out: number;
    if (ceilMode) {
      out = Math.ceil(span / s) + 1;
      if ((out - 1) * s >= inp + pb) out--;
    } else {
      out = Math.floor(span / s) + 1;
    }
    padsBegin.push(pb);
    padsEnd.push(pe);
    outShape.push(Math.max(0, out));
  }
  return { kernel, strides, dilations, padsBegin, padsEnd, outShape };
}
