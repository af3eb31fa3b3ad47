// Every op ReLU Doctor implements: the family lists, concatenated. The registry is built from this.
import { OpDef } from '../op';
import { attentionOps } from './attention';
import { controlOps } from './control';
import { elementwiseOps } from './elementwise';
import { extraOps } from './extra';
import { miscOps } from './misc';
import { mlOps } from './ml';
import { nnOps } from './nn';
import { quantOps } from './quant';
import { rnnOps } from './rnn';
import { sequenceOps } from './sequence';
import { tensorOps } from './tensor';
import { textOps } from './text';

/** All OpDefs of all families. */
export const allOps: ReadonlyArray<OpDef<unknown>> = [...elementwiseOps, ...nnOps, ...tensorOps, ...quantOps, ...rnnOps, ...miscOps, ...controlOps, ...attentionOps, ...textOps, ...extraOps, ...mlOps, ...sequenceOps];
