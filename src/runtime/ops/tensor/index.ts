// Registration list for the tensor op family: every OpDef of this folder, one import per op file.
import { OpDef } from '../../op';
import { concat } from './concat';
import { dropout1, dropout10, dropout12 } from './dropout';
import { flatten } from './flatten';
import { gather } from './gather';
import { gatherElements } from './gather-elements';
import { gatherND } from './gather-nd';
import { identity } from './identity';
import { reshape1, reshape5 } from './reshape';
import { shape, size } from './shape';
import { slice1, slice10 } from './slice';
import { split } from './split';
import { squeeze, unsqueeze } from './squeeze';
import { transpose } from './transpose';
import { pad1, pad11 } from './pad';
import { scatter, scatterElements } from './scatter-elements';
import { scatterND } from './scatter-nd';
import { tile } from './tile';
import { expand } from './expand';
import { depthToSpace, spaceToDepth } from './space-depth';
import { topK } from './topk';
import { argMax, argMin } from './arg-max';
import { nonZero } from './non-zero';
import { cumSum } from './cumsum';
import { range } from './range';
import { trilu } from './trilu';
import { oneHot } from './one-hot';
import { compress } from './compress';
import { reverseSequence } from './reverse-sequence';
import { eyeLike } from './eye-like';
import { reduceOps } from './reduce';
import { resize10, resize11, upsample } from './resize';
import { constant, constantOfShape } from './constant';
import { unique } from './unique';

export const tensorOps: OpDef<any>[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
  identity, dropout1, dropout10, dropout12, shape, size,
  reshape1, reshape5, flatten, squeeze, unsqueeze, transpose, concat, split,
  slice1, slice10, gather, gatherElements, gatherND,
  scatter, scatterElements, scatterND, pad1, pad11, tile, expand,
  depthToSpace, spaceToDepth, topK, argMax, argMin, nonZero, cumSum, range, trilu, oneHot, compress,
  reverseSequence, eyeLike, ...reduceOps, resize10, resize11, upsample,
  constant, constantOfShape, unique,
];
