// Hardmax: 1 at the first maximum, 0 elsewhere; opset 1–12 over the 2-D coerced tail, 13+ one axis.
import { softmaxDefs } from './softmax-common';

/** Hardmax OpDefs (opset 1 and 13 semantics). */
export const hardmaxOps = softmaxDefs('Hardmax', 'hardmax');
