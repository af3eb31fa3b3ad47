// SequenceAt, SequenceInsert, SequenceErase (opset 11): reading and editing by position
// (negative positions count from the end). Sequences are immutable: edits make new ones.
import { OpDef } from '../../op';
import { nodeError, out, ownCopy, position, sequence, sequenceInput, tensorInput } from './common';

/** SequenceAt: the tensor at `position`. */
export const sequenceAt: OpDef<void> = {
  domain: '', opType: 'SequenceAt', since: 11, values: true,
  run(inputs, _a, ctx) {
    const s = sequenceInput(ctx.node, inputs, 0, 'input_sequence');
    const p = position(ctx.node, tensorInput(ctx.node, inputs, 1, 'position'), s.items.length, false, 0);
    return [s.items[p]];
  },
};

/** SequenceInsert: `tensor` inserted at `position` (default: appended). */
export const sequenceInsert: OpDef<void> = {
  domain: '', opType: 'SequenceInsert', since: 11, values: true,
  run(inputs, _a, ctx) {
    const s = sequenceInput(ctx.node, inputs, 0, 'input_sequence');
    const t = tensorInput(ctx.node, inputs, 1, 'tensor');
    if (t.dtype !== s.elemType) throw nodeError(ctx.node, 'the tensor\'s dtype differs from the sequence\'s');
    const p = position(ctx.node, inputs[2] ? tensorInput(ctx.node, inputs, 2, 'position') : undefined, s.items.length, true, s.items.length);
    const items = s.items.slice();
    items.splice(p, 0, ownCopy(t));
    return [out(sequence(s.elemType, items))];
  },
};

/** SequenceErase: the sequence without the tensor at `position` (default: the last). */
export const sequenceErase: OpDef<void> = {
  domain: '', opType: 'SequenceErase', since: 11, values: true,
  run(inputs, _a, ctx) {
    const s = sequenceInput(ctx.node, inputs, 0, 'input_sequence');
    const p = position(ctx.node, inputs[1] ? tensorInput(ctx.node, inputs, 1, 'position') : undefined, s.items.length, false, s.items.length - 1);
    if (s.items.length === 0) throw nodeError(ctx.node, 'cannot erase from an empty sequence');
    const items = s.items.slice();
    items.splice(p, 1);
    return [out(sequence(s.elemType, items))];
  },
};
