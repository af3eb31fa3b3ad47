// Identity: returns its input unchanged. Zero-copy: the output is the input tensor itself, so the
// executor must not free the input's storage while the output is alive.

import { OpDef } from '../../op';
import { need } from './common';

/** Identity (opset 1+; tensors only — sequences and optionals are not supported by the runtime). */
export const identity: OpDef<void> = {
  domain: '', opType: 'Identity', since: 1, lowPrecision: 'native',
  run(inputs, _a, ctx) {
    return [need(ctx.node, inputs, 0, 'input')];
  },
};
