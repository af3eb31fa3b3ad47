// GroupNormalization: statistics per (n, group) over the group's channels and spatial axes.
// Opset 18 takes scale/bias per group; opset 21 per channel (and adds stash_type).

import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatAttr, floatData, hasAttr, intAttr, need, nodeError, shapeStr } from './attrs';

interface GnAttrs { epsilon: number; groups: number; perChannel: boolean }

function parser(perChannel: boolean) {
  return (ctx: PlanContext): GnAttrs => {
    if (!hasAttr(ctx.node, 'num_groups')) throw nodeError(ctx.node, 'attribute num_groups is required');
    const groups = intAttr(ctx.node, 'num_groups', 1);
    if (groups < 1) throw nodeError(ctx.node, `num_groups must be >= 1, got ${groups}`);
    return { epsilon: floatAttr(ctx.node, 'epsilon', 1e-5), groups, perChannel };
  };
}

function run(inputs: ReadonlyArray<Tensor | undefined>, a: GnAttrs, ctx: RunContext): Tensor[] {
  const node = ctx.node;
  const X = need(node, inputs, 0, 'X');
  const x = floatData(node, X, 'input X');
  const scale = floatData(node, need(node, inputs, 1, 'scale'), 'scale');
  const bias = floatData(node, need(node, inputs, 2, 'bias'), 'bias');
  if (X.shape.length < 2) throw nodeError(node, `input X has shape ${shapeStr(X.shape)}; needs [N, C, ...]`);
  const N = X.shape[0];
  const C = X.shape[1];
  const G = a.groups;
  if (C % G !== 0) throw nodeError(node, `channels ${C} are not divisible by num_groups ${G}`);
  const want = a.perChannel ? C : G;
  if (scale.length !== want || bias.length !== want) {
    throw nodeError(node, `scale and bias must have ${want} elements (${a.perChannel ? 'channels, opset 21' : 'groups, opset 18'})`);
  }
  const cg = C / G;
  const S = X.shape.slice(2).reduce((s, v) => s * v, 1);
  const len = cg * S;
  const y = ctx.alloc(X.dtype, X.shape) as Float32Array | Float64Array;
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < G; g++) {
      const o = (n * C + g * cg) * S;
      let s = 0;
      for (let i = 0; i < len; i++) s += x[o + i];
      const m = s / len;
      let q = 0;
      for (let i = 0; i < len; i++) { const d = x[o + i] - m; q += d * d; }
      const inv = 1 / Math.sqrt(q / len + a.epsilon);
      for (let c = 0; c < cg; c++) {
        const pi = a.perChannel ? g * cg + c : g;
        const k = scale[pi] * inv;
        const sh = bias[pi];
        const co = o + c * S;
        for (let i = 0; i < S; i++) y[co + i] = (x[co + i] - m) * k + sh;
      }
    }
  }
  return [makeTensor(X.dtype, X.shape, y)];
}

/** GroupNormalization opset 18 (scale/bias per group). */
export const groupNormalization18: OpDef<GnAttrs> = { domain: '', opType: 'GroupNormalization', since: 18, parse: parser(false), run };
/** GroupNormalization opset 21 (scale/bias per channel). */
export const groupNormalization21: OpDef<GnAttrs> = { domain: '', opType: 'GroupNormalization', since: 21, parse: parser(true), run };
