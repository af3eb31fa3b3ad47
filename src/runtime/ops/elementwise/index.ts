// Registration list for the elementwise op family: every OpDef of this folder, one import per op file.
import { OpDef } from '../../op';
import { addOps, divOps, mulOps, subOps } from './arith';
import { bitShiftOps, bitwiseAndOps, bitwiseNotOps, bitwiseOrOps, bitwiseXorOps } from './bitwise';
import { castLikeOps, castOps } from './cast';
import { clipOps } from './clip';
import { equalOps, greaterOps, greaterOrEqualOps, lessOps, lessOrEqualOps } from './compare';
import { celuOps, eluOps, seluOps } from './elu';
import { erfOps } from './erf';
import { geluOps } from './gelu';
import { isInfOps, isNaNOps } from './isnan';
import { andOps, notOps, orOps, xorOps } from './logic';
import {
  absOps, acoshOps, acosOps, asinhOps, asinOps, atanhOps, atanOps, ceilOps, coshOps, cosOps, expOps, floorOps,
  logOps, negOps, reciprocalOps, roundOps, signOps, sinhOps, sinOps, sqrtOps, tanOps,
} from './math';
import { modOps } from './mod';
import { powOps } from './pow';
import { preluOps } from './prelu';
import { leakyReluOps, reluOps, thresholdedReluOps } from './relu';
import { shrinkOps } from './shrink';
import { hardSigmoidOps, hardSwishOps, sigmoidOps, swishOps, tanhOps } from './sigmoid';
import { swiGlu } from './swiglu';
import { mishOps, softplusOps, softsignOps } from './softplus';
import { maxOps, meanOps, minOps, sumOps } from './variadic';
import { whereOps } from './where';

/** Every elementwise OpDef, one entry per (op, since). */
export const elementwiseOps: OpDef<any>[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
  ...addOps, ...subOps, ...mulOps, ...divOps, ...modOps, ...powOps,
  ...maxOps, ...minOps, ...sumOps, ...meanOps,
  ...absOps, ...negOps, ...signOps, ...reciprocalOps, ...floorOps, ...ceilOps, ...roundOps, ...sqrtOps, ...expOps, ...logOps,
  ...sinOps, ...cosOps, ...tanOps, ...asinOps, ...acosOps, ...atanOps, ...sinhOps, ...coshOps, ...asinhOps, ...acoshOps, ...atanhOps,
  ...erfOps, ...isNaNOps, ...isInfOps,
  ...equalOps, ...greaterOps, ...greaterOrEqualOps, ...lessOps, ...lessOrEqualOps,
  ...andOps, ...orOps, ...xorOps, ...notOps,
  ...bitwiseAndOps, ...bitwiseOrOps, ...bitwiseXorOps, ...bitwiseNotOps, ...bitShiftOps,
  ...whereOps,
  ...reluOps, ...leakyReluOps, ...thresholdedReluOps, ...preluOps, ...eluOps, ...seluOps, ...celuOps, ...geluOps,
  ...sigmoidOps, ...hardSigmoidOps, ...hardSwishOps, ...swishOps, swiGlu, ...tanhOps, ...softplusOps, ...softsignOps, ...mishOps,
  ...shrinkOps, ...clipOps,
  ...castOps, ...castLikeOps,
];
