// Registration list for the sequence and optional ops (values the executor carries beside tensors).
import { OpDef } from '../../op';
import { optionalElementOps, optionalOp } from './optional';
import { sequenceConstruct, sequenceEmpty, sequenceLength } from './sequence-construct';
import { sequenceAt, sequenceErase, sequenceInsert } from './sequence-edit';
import { sequenceMap } from './sequence-map';
import { concatFromSequence, splitToSequence } from './split-concat';

/** Sequence*, SplitToSequence, ConcatFromSequence, SequenceMap, Optional, OptionalHasElement, OptionalGetElement. */
export const sequenceOps: OpDef<any>[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
  sequenceEmpty, sequenceConstruct, sequenceLength, sequenceAt, sequenceInsert, sequenceErase,
  splitToSequence, concatFromSequence, sequenceMap, optionalOp, ...optionalElementOps,
];
