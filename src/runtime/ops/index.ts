// Every op ReLU Doctor implements: the family lists, concatenated. The registry is built from this.
import { OpDef } from '../op';
import { elementwiseOps } from './elementwise';
import { nnOps } from './nn';
import { tensorOps } from './tensor';

/** All OpDefs of all families. */
export const allOps: ReadonlyArray<OpDef<unknown>> = [...elementwiseOps, ...nnOps, ...tensorOps];
