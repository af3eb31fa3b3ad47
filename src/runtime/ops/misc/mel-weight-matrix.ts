// MelWeightMatrix (opset 17): the [dft_length/2 + 1, num_mel_bins] matrix of triangular mel
// filters between lower and upper edge frequencies, with the bin placement of ONNX's reference
// (mel points spaced by (high − low)/(num_mel_bins + 2), frequencies floored to DFT bins).

import { DataType } from '../../../onnx/ir';
import { dtypeName } from '../../../onnx/dtype';
import { OpDef } from '../../op';
import { intAttr, need, nodeError } from '../nn/attrs';
import { scalarNumber } from '../tensor/common';
import { unsupported } from '../../errors';

/** MelWeightMatrix (opset 17); output_datatype FLOAT (default) or DOUBLE. */
export const melWeightMatrix: OpDef<DataType> = {
  domain: '', opType: 'MelWeightMatrix', since: 17,
  parse(ctx) {
    const dt = intAttr(ctx.node, 'output_datatype', DataType.FLOAT);
    if (dt !== DataType.FLOAT && dt !== DataType.DOUBLE) throw unsupported(nodeError(ctx.node, `output_datatype ${dtypeName(dt)} is not supported (FLOAT, DOUBLE)`));
    return dt;
  },
  run(inputs, dt, ctx) {
    const node = ctx.node;
    const names = ['num_mel_bins', 'dft_length', 'sample_rate', 'lower_edge_hertz', 'upper_edge_hertz'];
    const [bins, dftLen, rate, low, high] = names.map((n, i) => scalarNumber(node, need(node, inputs, i, n), n));
    if (!(bins >= 1 && dftLen >= 1 && rate > 0 && low >= 0 && high > low)) {
      throw nodeError(node, `invalid arguments: num_mel_bins ${bins}, dft_length ${dftLen}, sample_rate ${rate}, edges ${low}..${high}`);
    }
    const spec = Math.floor(dftLen / 2) + 1;
    const f = Math.fround;
    const lowMel = f(2595 * f(Math.log10(f(1 + f(low / 700)))));
    const highMel = f(2595 * f(Math.log10(f(1 + f(high / 700)))));
    const step = f(f(highMel - lowMel) / (bins + 2));
    const fb = new Array<number>(bins + 2);
    for (let i = 0; i < bins + 2; i++) {
      const mel = i * step + lowMel;
      const hz = 700 * (10 ** (mel / 2595) - 1);
      fb[i] = Math.floor(((dftLen + 1) * hz) / rate);
    }
    const y = ctx.alloc(dt, [spec, bins]) as Float32Array | Float64Array;
    for (let i = 0; i < bins; i++) {
      const lo = fb[i], c = fb[i + 1], hi = fb[i + 2];
      if (lo < 0 || c >= spec || hi > spec) throw nodeError(node, `mel bin ${i} falls outside the ${spec} spectrogram bins (upper_edge_hertz above the Nyquist frequency?)`);
      if (c === lo) y[c * bins + i] = 1;
      else for (let j = lo; j <= c; j++) y[j * bins + i] = (j - lo) / (c - lo);
      if (hi > c) for (let j = c; j < hi; j++) y[j * bins + i] = (hi - j) / (hi - c);
    }
    return [{ dtype: dt, shape: [spec, bins], data: y }];
  },
};
