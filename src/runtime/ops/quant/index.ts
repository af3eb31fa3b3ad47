// Registration list for the quantization op family: every OpDef of this folder.
import { OpDef } from '../../op';
import { convInteger } from './conv-integer';
import { dequantizeLinearOps } from './dequantize-linear';
import { dynamicQuantizeLinear } from './dynamic-quantize-linear';
import { matMulInteger } from './matmul-integer';
import { qlinearConv } from './qlinear-conv';
import { qlinearMatMulOps } from './qlinear-matmul';
import { quantizeLinearOps } from './quantize-linear';

/** Quantization ops: (De)QuantizeLinear, DynamicQuantizeLinear, QLinearConv/MatMul, MatMul/ConvInteger. */
export const quantOps: OpDef<any>[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
  ...quantizeLinearOps, ...dequantizeLinearOps, dynamicQuantizeLinear, qlinearMatMulOps[0], qlinearMatMulOps[1],
  matMulInteger, convInteger, qlinearConv,
];
