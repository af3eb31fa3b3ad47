// Dropout at inference: output = input (zero-copy, the output aliases the input's storage) and an
// all-true mask. Training mode with a non-zero ratio draws random numbers and is refused.

import { DataType } from '../../../onnx/ir';
import { OpDef, RunContext } from '../../op';
import { Tensor } from '../../tensor';
import { fillBlock } from '../../kernels/strides';
import { floatAttr, intAttr, need, nodeError, scalarNumber } from './common';
import { unsupported } from '../../errors';

interface DropoutAttrs { isTest: boolean; ratio: number }

function outputs(x: Tensor, ctx: RunContext, maskDtype: DataType): Tensor[] {
  const res: Tensor[] = [x];
  if (ctx.node.outputs.length > 1 && ctx.node.outputs[1] !== '') {
    const m = ctx.alloc(maskDtype, x.shape);
    fillBlock(m, 0, m.length, maskDtype === DataType.BOOL ? 1 : maskValue(m));
    res.push({ dtype: maskDtype, shape: x.shape.slice(), data: m });
  }
  return res;
}

/** The "one" of a mask array of the input's own kind (opset < 10 mask has the input's type). */
function maskValue(m: unknown): unknown {
  return m instanceof BigInt64Array || m instanceof BigUint64Array ? 1n : 1;
}

/** Dropout opset 1–9: is_test (opset < 7) and ratio attributes; mask has the input's dtype. */
export const dropout1: OpDef<DropoutAttrs> = {
  domain: '', opType: 'Dropout', since: 1, lowPrecision: 'native',
  parse(ctx) {
    const isTest = ctx.opset >= 7 ? true : intAttr(ctx.node, 'is_test', 0) !== 0;
    const ratio = floatAttr(ctx.node, 'ratio', 0.5);
    if (!isTest && ratio !== 0) throw unsupported(nodeError(ctx.node, 'training-mode Dropout (is_test=0) is random and not supported; export the model for inference'));
    return { isTest, ratio };
  },
  run(inputs, _a, ctx) {
    const x = need(ctx.node, inputs, 0, 'data');
    return outputs(x, ctx, x.dtype);
  },
};

/** Dropout opset 10–11: mask is BOOL. */
export const dropout10: OpDef<void> = {
  domain: '', opType: 'Dropout', since: 10, lowPrecision: 'native',
  run(inputs, _a, ctx) {
    return outputs(need(ctx.node, inputs, 0, 'data'), ctx, DataType.BOOL);
  },
};

/** Dropout opset 12+: ratio and training_mode are inputs; training with ratio > 0 is refused. */
export const dropout12: OpDef<void> = {
  domain: '', opType: 'Dropout', since: 12, lowPrecision: 'native',
  parse(ctx) {
    const t = ctx.constantInputs[2];
    const r = ctx.constantInputs[1];
    if (t && scalarNumber(ctx.node, t, 'training_mode') !== 0 && (!r || scalarNumber(ctx.node, r, 'ratio') !== 0)) {
      throw unsupported(nodeError(ctx.node, 'training_mode=true Dropout is random and not supported; export the model for inference'));
    }
  },
  run(inputs, _a, ctx) {
    const x = need(ctx.node, inputs, 0, 'data');
    const training = inputs[2] ? scalarNumber(ctx.node, inputs[2], 'training_mode') !== 0 : false;
    const ratio = inputs[1] ? scalarNumber(ctx.node, inputs[1], 'ratio') : 0.5;
    if (training && ratio !== 0) throw unsupported(nodeError(ctx.node, 'training_mode=true Dropout is random and not supported; export the model for inference'));
    return outputs(x, ctx, DataType.BOOL);
  },
};
