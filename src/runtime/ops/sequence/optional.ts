// Optional, OptionalHasElement, OptionalGetElement (opsets 15, 18): wrapping a value that may be
// absent, asking whether it is there, and taking it out (opset 18 also accepts plain tensors and
// sequences, which are always there).
import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { isTensor, Tensor } from '../../tensor';
import { nodeError, optional, out, ownCopy, valueAt } from './common';

/** Optional: an optional holding the input, or an empty one when the input is omitted. */
export const optionalOp: OpDef<void> = {
  domain: '', opType: 'Optional', since: 15, values: true,
  run(inputs) {
    const v = valueAt(inputs, 0);
    if (v && !isTensor(v) && v.kind === 'optional') return [out(v)];
    return [out(optional(v === undefined ? undefined : isTensor(v) ? ownCopy(v) : v))];
  },
};

function has(inputs: ReadonlyArray<Tensor | undefined>): boolean {
  const v = valueAt(inputs, 0);
  if (v === undefined) return false;
  return isTensor(v) || v.kind !== 'optional' || v.value !== undefined;
}

const defs = (since: number): Array<OpDef<void>> => [
  {
    domain: '', opType: 'OptionalHasElement', since, values: true,
    run: (inputs) => [{ dtype: DataType.BOOL, shape: [], data: Uint8Array.of(has(inputs) ? 1 : 0) }],
  },
  {
    domain: '', opType: 'OptionalGetElement', since, values: true,
    run(inputs, _a, ctx) {
      const v = valueAt(inputs, 0);
      if (v === undefined) throw nodeError(ctx.node, 'the input is missing');
      // A plain tensor or sequence is a present value (opset 18 says so; earlier models pass them
      // where an optional is declared, e.g. a Loop-carried optional seeded with a sequence).
      if (isTensor(v) || v.kind === 'sequence') return [out(v)];
      if (v.value === undefined) throw nodeError(ctx.node, 'the optional is empty: check it with OptionalHasElement first');
      return [out(v.value)];
    },
  },
];

/** OptionalHasElement and OptionalGetElement, opsets 15 and 18. */
export const optionalElementOps: Array<OpDef<void>> = [...defs(15), ...defs(18)];
