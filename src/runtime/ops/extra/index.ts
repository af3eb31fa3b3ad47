// Registration list for the extra op family: CumProd, BitCast, TensorScatter, ImageDecoder,
// CausalConvWithState and the random ops.
import { OpDef } from '../../op';
import { bernoulli } from './bernoulli';
import { bitCast } from './bit-cast';
import { causalConvWithState } from './causal-conv-with-state';
import { cumProd } from './cum-prod';
import { imageDecoder } from './image-decoder';
import { multinomial } from './multinomial';
import { randomNormal, randomNormalLike } from './random-normal';
import { randomUniform, randomUniformLike } from './random-uniform';
import { tensorScatter } from './tensor-scatter';

/** CumProd, BitCast, TensorScatter, ImageDecoder, CausalConvWithState, Bernoulli, RandomNormal(Like), RandomUniform(Like), Multinomial. */
export const extraOps: OpDef<any>[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
  cumProd, bitCast, tensorScatter, imageDecoder, causalConvWithState, bernoulli, randomNormal, randomNormalLike, randomUniform, randomUniformLike, multinomial,
];
