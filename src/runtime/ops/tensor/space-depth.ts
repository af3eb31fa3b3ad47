// DepthToSpace (DCR / CRD) and SpaceToDepth: fixed 6-D reshape + transpose + reshape, done by the
// transpose kernel on the 6-D view.

import { OpDef } from '../../op';
import { Tensor } from '../../tensor';
import { transposeInto } from '../../kernels/transpose';
import { intAttr, need, noComplex, nodeError, shapeStr, stringAttr } from './common';

interface D2SAttrs { b: number; crd: boolean }

function blockSize(node: Parameters<typeof intAttr>[0]): number {
  const b = intAttr(node, 'blocksize', 0);
  if (b < 1) throw nodeError(node, `blocksize must be ≥ 1, got ${b}`);
  return b;
}

/** DepthToSpace (opset 1+; mode DCR/CRD from 11). */
export const depthToSpace: OpDef<D2SAttrs> = {
  domain: '', opType: 'DepthToSpace', since: 1, lowPrecision: 'native',
  parse(ctx) {
    const mode = ctx.opset >= 11 ? stringAttr(ctx.node, 'mode', 'DCR') : 'DCR';
    if (mode !== 'DCR' && mode !== 'CRD') throw nodeError(ctx.node, `mode '${mode}' is not supported (DCR or CRD)`);
    return { b: blockSize(ctx.node), crd: mode === 'CRD' };
  },
  run(inputs, a, ctx) {
    const x = need(ctx.node, inputs, 0, 'input');
    noComplex(ctx.node, x);
    const b = a.b;
    if (x.shape.length !== 4 || x.shape[1] % (b * b) !== 0) throw nodeError(ctx.node, `input ${shapeStr(x.shape)} must be 4-D with channels divisible by ${b * b}`);
    const [N, C, H, W] = x.shape;
    const c = C / (b * b);
    const v6 = a.crd ? [N, c, b, b, H, W] : [N, b, b, c, H, W];
    const perm = a.crd ? [0, 1, 4, 2, 5, 3] : [0, 3, 4, 1, 5, 2];
    const shape = [N, c, H * b, W * b];
    const out = ctx.alloc(x.dtype, shape);
    transposeInto(x.data, out, v6, perm);
    return [{ dtype: x.dtype, shape, data: out } as Tensor];
  },
};

/** SpaceToDepth (opset 1+). */
export const spaceToDepth: OpDef<number> = {
  domain: '', opType: 'SpaceToDepth', since: 1, lowPrecision: 'native',
  parse(ctx) {
    return blockSize(ctx.node);
  },
  run(inputs, b, ctx) {
    const x = need(ctx.node, inputs, 0, 'input');
    noComplex(ctx.node, x);
    if (x.shape.length !== 4 || x.shape[2] % b !== 0 || x.shape[3] % b !== 0) throw nodeError(ctx.node, `input ${shapeStr(x.shape)} must be 4-D with H and W divisible by ${b}`);
    const [N, C, H, W] = x.shape;
    const shape = [N, C * b * b, H / b, W / b];
    const out = ctx.alloc(x.dtype, shape);
    transposeInto(x.data, out, [N, C, H / b, b, W / b, b], [0, 3, 5, 1, 2, 4]);
    return [{ dtype: x.dtype, shape, data: out }];
  },
};
