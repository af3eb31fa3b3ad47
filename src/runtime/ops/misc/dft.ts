// DFT (opsets 17, 20): forward and inverse discrete Fourier transform along one axis of a real
// ([..., 1]) or complex ([..., 2]) signal, with dft_length (pad / truncate), onesided output and
// the inverse of a onesided spectrum (real output). The axis is an attribute (17) or input (20).

import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { floatData, hasAttr, intAttr, need, nodeError, shapeStr } from '../nn/attrs';
import { scalarNumber } from '../tensor/common';
import { dftLine, twiddles } from './fourier';

/** DFT attributes. */
interface DftAttrs { axis: number | undefined; inverse: boolean; onesided: boolean }

function def(since: number): OpDef<DftAttrs> {
  return {
    domain: '', opType: 'DFT', since,
    parse(ctx) {
      if (since >= 20 && hasAttr(ctx.node, 'axis')) throw nodeError(ctx.node, 'from opset 20 the axis is an input, not an attribute');
      return {
        axis: since < 20 ? intAttr(ctx.node, 'axis', 1) : undefined,
        inverse: intAttr(ctx.node, 'inverse', 0) !== 0,
        onesided: intAttr(ctx.node, 'onesided', 0) !== 0,
      };
    },
    run(inputs, a, ctx) {
      const node = ctx.node;
      const x = need(node, inputs, 0, 'input');
      const xd = floatData(node, x, 'input');
      const r = x.shape.length;
      const comp = x.shape[r - 1];
      if (r < 2 || (comp !== 1 && comp !== 2)) throw nodeError(node, `input must end in a dimension of 1 (real) or 2 (complex), got ${shapeStr(x.shape)}`);
      let axis = a.axis ?? (inputs[2] ? scalarNumber(node, inputs[2], 'axis') : -2);
      if (axis < -r || axis >= r) throw nodeError(node, `axis ${axis} is out of range for rank ${r}`);
      axis = ((axis % r) + r) % r;
      if (axis === r - 1) throw nodeError(node, 'axis cannot be the last (real/imaginary) dimension');
      const L = x.shape[axis];
      const irfft = a.inverse && a.onesided;
      let n = irfft ? 2 * (L - 1) : L;
      if (inputs[1]) n = scalarNumber(node, inputs[1], 'dft_length');
      if (!Number.isInteger(n) || n < 1) throw nodeError(node, `dft_length must be a positive integer, got ${n}`);
      if (a.onesided && !a.inverse && comp === 2) throw nodeError(node, 'onesided output needs a real input (last dimension 1)');
      const outLen = irfft ? n : a.onesided ? Math.floor(n / 2) + 1 : n;
      const outComp = irfft ? 1 : 2;
      const outer = x.shape.slice(0, axis).reduce((p, v) => p * v, 1);
      const inner = x.shape.slice(axis + 1, r - 1).reduce((p, v) => p * v, 1);
      const shape = x.shape.slice();
      shape[axis] = outLen;
      shape[r - 1] = outComp;
      const y = ctx.alloc(x.dtype, shape) as Float32Array | Float64Array;
      const tw = twiddles(n);
      const useLen = irfft ? Math.min(L, Math.floor(n / 2) + 1) : Math.min(L, n);
      const re = new Float64Array(n);
      const im = new Float64Array(n);
      const oRe = new Float64Array(outLen);
      const oIm = new Float64Array(outLen);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          for (let j = 0; j < useLen; j++) {
            const p = ((o * L + j) * inner + i) * comp;
            re[j] = xd[p];
            im[j] = comp === 2 ? xd[p + 1] : 0;
          }
          if (irfft) {
            // Hermitian extension: X[n−k] = conj(X[k]); DC and Nyquist imaginary parts are ignored.
            const full = n;
            re.fill(0, useLen, full);
            im.fill(0, useLen, full);
            im[0] = 0;
            if (full % 2 === 0 && full / 2 < useLen) im[full / 2] = 0;
            for (let k = 1; k < useLen; k++) {
              if (full - k >= useLen || full - k > full / 2) {
                re[full - k] = re[k];
                im[full - k] = -im[k];
              }
            }
            dftLine(tw, re, im, full, outLen, 1, 1 / n, oRe, oIm);
          } else {
            dftLine(tw, re, im, useLen, outLen, a.inverse ? 1 : -1, a.inverse ? 1 / n : 1, oRe, oIm);
          }
          for (let k = 0; k < outLen; k++) {
            const q = ((o * outLen + k) * inner + i) * outComp;
            y[q] = oRe[k];
            if (outComp === 2) y[q + 1] = oIm[k];
          }
        }
      }
      return [{ dtype: x.dtype as DataType, shape, data: y }];
    },
  };
}

/** DFT 17 (axis attribute) and 20 (axis input). */
export const dftOps = [def(17), def(20)];
