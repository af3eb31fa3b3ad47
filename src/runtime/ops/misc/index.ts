// Registration list for the misc op family (sampling, detection, signal, loss ops): every OpDef of this folder.
import { OpDef } from '../../op';
import { affineGrid } from './affine-grid';
import { centerCropPad } from './center-crop-pad';
import { col2im } from './col2im';
import { deformConvOps } from './deform-conv';
import { detOps } from './det';
import { dftOps } from './dft';
import { gridSampleOps } from './grid-sample';
import { melWeightMatrix } from './mel-weight-matrix';
import { nmsOps } from './non-max-suppression';
import { nllLossOps } from './negative-log-likelihood-loss';
import { roiAlignOps } from './roi-align';
import { sceLossOps } from './softmax-cross-entropy-loss';
import { stft } from './stft';
import { blackmanWindow, hammingWindow, hannWindow } from './windows';

/** Misc ops. */
export const miscOps: OpDef<any>[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
  ...nllLossOps, ...sceLossOps, ...dftOps, stft, hannWindow, hammingWindow, blackmanWindow,
  ...gridSampleOps, affineGrid, ...nmsOps, ...roiAlignOps,
  col2im, centerCropPad, ...detOps, melWeightMatrix, ...deformConvOps,
];
