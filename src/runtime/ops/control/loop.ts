// Loop: runs `body` while an optional trip count M and an optional condition allow, threading
// loop-carried values from one iteration to the next and stacking per-iteration scan outputs
// along a new first axis. The body sees the enclosing graph's values (the executor provides them).

import { Node } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { isTensor, Tensor, valueKind } from '../../tensor';
import { unsupported } from '../../errors';
import { boolScalar, callBody, emptyStack, graphAttr, int64Scalar, intScalar, nodeError, stack, checkBodyTypes, truth } from './common';
import { Graph } from '../../../onnx/ir';

interface LoopAttrs {
  readonly body: Graph;
  /** Loop-carried values (N). */
  readonly carried: number;
  /** Scan outputs (K). */
  readonly scans: number;
}

function parseLoop(node: Node): LoopAttrs {
  const body = graphAttr(node, 'body');
  checkBodyTypes(node, body, 'body', true);
  // Scan outputs are stacked into tensors: those must be tensors.
  body.outputs.slice(1 + (node.inputs.length - 2)).forEach((v) => {
    if (v.type && v.type.kind !== 'tensor') throw unsupported(nodeError(node, `scan output "${v.name}" has ${v.type.kind} type; scan outputs must be tensors`));
  });
  const carried = node.inputs.length - 2;
  if (carried < 0) throw nodeError(node, `needs at least 2 inputs (M, cond; either may be empty), got ${node.inputs.length}`);
  if (body.inputs.length !== carried + 2) {
    throw nodeError(node, `body takes ${body.inputs.length} inputs; it must take 2 + ${carried} (iteration number, condition, loop-carried values)`);
  }
  const scans = body.outputs.length - 1 - carried;
  if (scans < 0) throw nodeError(node, `body has ${body.outputs.length} outputs; it must produce at least 1 + ${carried} (condition, loop-carried values)`);
  if (node.outputs.length > carried + scans) throw nodeError(node, `the node has ${node.outputs.length} outputs; the body gives ${carried} loop-carried values and ${scans} scan outputs`);
  if (node.inputs[0] === '' && node.inputs[1] === '') {
    throw nodeError(node, 'both M and cond are omitted: the loop would never end');
  }
  return { body, carried, scans };
}

/** Loop (opset 1+; loop-carried values may be sequences and optionals; scan outputs are tensors). */
export const loop: OpDef<LoopAttrs> = {
  domain: '', opType: 'Loop', since: 1, lowPrecision: 'native', values: true,
  parse(ctx) {
    return parseLoop(ctx.node);
  },
  run(inputs, a, ctx) {
    const { node } = ctx;
    const maxTrips = inputs[0] ? intScalar(node, inputs[0], 'M (max trip count)') : Infinity;
    let cond = inputs[1] ? truth(node, inputs[1], 'cond') : true;
    let carried: Tensor[] = [];
    for (let i = 0; i < a.carried; i++) {
      const t = inputs[2 + i];
      if (!t) throw nodeError(node, `missing loop-carried initial value ${i} (input ${2 + i})`);
      carried.push(t);
    }
    const scanParts: Tensor[][] = Array.from({ length: a.scans }, () => []);
    let i = 0;
    for (; i < maxTrips && cond; i++) {
      const outs = callBody(ctx, 'body', [int64Scalar(i), boolScalar(cond), ...carried]);
      // The spec's table calls the body's condition "ignored" when cond is omitted, but onnxruntime
      // and the ONNX reference implementation both stop on it; we do as they do.
      cond = truth(node, outs[0], 'the body\'s condition output');
      carried = outs.slice(1, 1 + a.carried);
      for (let k = 0; k < a.scans; k++) {
        const part = outs[1 + a.carried + k];
        if (!isTensor(part)) throw nodeError(node, `scan output ${k} is a ${valueKind(part)}; scan outputs must be tensors`);
        scanParts[k].push(part);
      }
    }
    const scanOut = scanParts.map((parts, k) => (parts.length
      ? stack(ctx, parts, 0, false, `scan output ${k}`)
      : emptyStack(ctx, a.body, 1 + a.carried + k, 0, `scan output ${k}`)));
    return [...carried, ...scanOut];
  },
};
