// SequenceEmpty, SequenceConstruct, SequenceLength (opset 11): making sequences and counting them.
import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { intAttr, nodeError, out, ownCopy, sequence, sequenceInput, tensorInput } from './common';

/** SequenceEmpty: an empty sequence of `dtype` (default float). */
export const sequenceEmpty: OpDef<DataType> = {
  domain: '', opType: 'SequenceEmpty', since: 11, values: true,
  parse: (ctx) => intAttr(ctx.node, 'dtype', DataType.FLOAT) as DataType,
  run: (_inputs, dtype) => [out(sequence(dtype, []))],
};

/** SequenceConstruct: a sequence of its inputs (one dtype). */
export const sequenceConstruct: OpDef<void> = {
  domain: '', opType: 'SequenceConstruct', since: 11, values: true,
  run(inputs, _a, ctx) {
    const items = inputs.map((_, i) => tensorInput(ctx.node, inputs, i, `input ${i}`));
    if (items.length === 0) throw nodeError(ctx.node, 'needs at least one input');
    if (items.some((t) => t.dtype !== items[0].dtype)) throw nodeError(ctx.node, 'inputs have different dtypes');
    return [out(sequence(items[0].dtype, items.map(ownCopy)))];
  },
};

/** SequenceLength: the number of tensors, an int64 scalar. */
export const sequenceLength: OpDef<void> = {
  domain: '', opType: 'SequenceLength', since: 11, values: true,
  run(inputs, _a, ctx) {
    const s = sequenceInput(ctx.node, inputs, 0, 'input_sequence');
    return [{ dtype: DataType.INT64, shape: [], data: BigInt64Array.of(BigInt(s.items.length)) }];
  },
};
