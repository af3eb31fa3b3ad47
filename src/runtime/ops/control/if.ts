// If: runs then_branch or else_branch (subgraphs that see the enclosing graph's values) by a
// boolean condition and returns that branch's outputs; the branches may differ in output shapes.

import { OpDef } from '../../op';
import { callBody, graphAttr, need, nodeError, checkBodyTypes, truth } from './common';

/** If (opset 1+; branches may give tensors, sequences and optionals). */
export const ifOp: OpDef<number> = {
  domain: '', opType: 'If', since: 1, lowPrecision: 'native', values: true,
  parse(ctx) {
    const { node } = ctx;
    const thenG = graphAttr(node, 'then_branch');
    const elseG = graphAttr(node, 'else_branch');
    checkBodyTypes(node, thenG, 'then_branch', true);
    checkBodyTypes(node, elseG, 'else_branch', true);
    if (thenG.outputs.length !== elseG.outputs.length) {
      throw nodeError(node, `then_branch has ${thenG.outputs.length} outputs but else_branch has ${elseG.outputs.length}`);
    }
    if (thenG.outputs.length < node.outputs.length) {
      throw nodeError(node, `the node has ${node.outputs.length} outputs but its branches produce ${thenG.outputs.length}`);
    }
    if (thenG.inputs.length || elseG.inputs.length) throw nodeError(node, 'If branches must take no inputs');
    return thenG.outputs.length;
  },
  run(inputs, _n, ctx) {
    const cond = truth(ctx.node, need(ctx.node, inputs, 0, 'cond'), 'cond');
    return callBody(ctx, cond ? 'then_branch' : 'else_branch', []);
  },
};
