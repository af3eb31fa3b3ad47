// Softmax: exp(x − max) / Σ exp(x − max); opset 1–12 over the 2-D coerced tail, 13+ one axis.
import { softmaxDefs } from './softmax-common';

/** Softmax OpDefs (opset 1 and 13 semantics). */
export const softmaxOps = softmaxDefs('Softmax', 'softmax');
