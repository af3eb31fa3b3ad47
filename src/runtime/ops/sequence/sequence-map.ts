// SequenceMap (opset 17): runs the `body` graph once per position of the input sequence; extra
// inputs that are sequences give their element at that position, tensors are passed whole. Each
// body output becomes an output sequence.
import { OpDef } from '../../op';
import { isTensor, Tensor } from '../../tensor';
import { nodeError, out, ownCopy, sequence, sequenceInput, valueAt } from './common';

/** SequenceMap (opset 17). */
export const sequenceMap: OpDef<void> = {
  domain: '', opType: 'SequenceMap', since: 17, values: true,
  run(inputs, _a, ctx) {
    const first = sequenceInput(ctx.node, inputs, 0, 'input_sequence');
    const n = first.items.length;
    const extra = inputs.slice(1).map((_, k) => valueAt(inputs, k + 1));
    for (const v of extra) {
      if (v && !isTensor(v) && v.kind === 'sequence' && v.items.length !== n) throw nodeError(ctx.node, `the input sequences differ in length (${n} and ${v.items.length})`);
      if (v && !isTensor(v) && v.kind === 'optional') throw nodeError(ctx.node, 'optional inputs are not supported');
    }
    if (!ctx.runSubgraph) throw nodeError(ctx.node, 'this executor context cannot run subgraphs');
    const results: Tensor[][] = [];
    for (let i = 0; i < n; i++) {
      const args: Array<Tensor | undefined> = [first.items[i], ...extra.map((v) => (v === undefined ? undefined : isTensor(v) ? v : v.kind === 'sequence' ? v.items[i] : undefined))];
      const outs = ctx.runSubgraph('body', args);
      outs.forEach((t, k) => {
        if (!isTensor(t)) throw nodeError(ctx.node, `body output ${k} is not a tensor`);
        (results[k] ??= []).push(ownCopy(t));
      });
    }
    const count = ctx.node.outputs.length;
    return Array.from({ length: count }, (_, k) => {
      const items = results[k] ?? [];
      return out(sequence(items[0]?.dtype ?? first.elemType, items));
    });
  },
};
