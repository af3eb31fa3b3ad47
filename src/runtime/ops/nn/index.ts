// Registration list for the nn op family: every OpDef of this folder, one import per op file.
import { OpDef } from '../../op';
import { averagePool } from './average-pool';
import { batchNormalization } from './batch-normalization';
import { conv } from './conv';
import { convTranspose } from './conv-transpose';
import { einsum } from './einsum';
import { fusedConv } from './fused-conv';
import { fusedGemm } from './fused-gemm';
import { gemm } from './gemm';
import { globalAveragePool, globalLpPool, globalMaxPool } from './global-pool';
import { groupNormalization18, groupNormalization21 } from './group-normalization';
import { hardmaxOps } from './hardmax';
import { instanceNormalization } from './instance-normalization';
import { layerNormalization } from './layer-normalization';
import { logSoftmaxOps } from './log-softmax';
import { lpNormalization } from './lp-normalization';
import { lpPool } from './lp-pool';
import { lrn } from './lrn';
import { matMul } from './matmul';
import { maxPool } from './max-pool';
import { maxRoiPool } from './max-roi-pool';
import { maxUnpool } from './max-unpool';
import { meanVarianceNormalization } from './mean-variance-normalization';
import { rmsNormalization } from './rms-normalization';
import { softmaxOps } from './softmax';

export const nnOps: OpDef<any>[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
  conv, convTranspose, fusedConv,
  maxPool, averagePool, lpPool, globalAveragePool, globalMaxPool, globalLpPool, maxUnpool, maxRoiPool,
  batchNormalization, instanceNormalization, layerNormalization, groupNormalization18, groupNormalization21,
  rmsNormalization, lrn, lpNormalization, meanVarianceNormalization,
  gemm, fusedGemm, matMul, einsum,
  ...softmaxOps, ...logSoftmaxOps, ...hardmaxOps,
];
