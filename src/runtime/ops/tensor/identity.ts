// Identity: returns its input unchanged. Zero-copy: the output is the input tensor itself, so the
// executor must not free the input's storage while the output is alive.

import { OpDef } from '../../op';
import { need } from './common';

/** Identity (opset 1+): tensors, sequences (opset 14+) and optionals (opset 16+) pass through as they are. */
export const identity: OpDef<void> = {
  domain: '', opType: 'Identity', since: 1, lowPrecision: 'native', values: true,
  run(inputs, _a, ctx) {
    return [need(ctx.node, inputs, 0, 'input')];
  },
};
