// MaxPool (opsets 1–22): max over windows with strides, pads, dilations, ceil_mode, and the
// optional Indices output (flat input positions, row- or column-major per storage_order).

import { DataType } from '../../../onnx/ir';
import { pool } from '../../kernels/pool';
import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { intAttr, need, nodeError } from './attrs';
import { parsePoolAttrs, PoolAttrs, resolvePool } from './pool-attrs';

interface MaxPoolAttrs extends PoolAttrs { columnMajor: boolean; wantIndices: boolean }

function parse(ctx: PlanContext): MaxPoolAttrs {
  const a = parsePoolAttrs(ctx.node);
  const so = intAttr(ctx.node, 'storage_order', 0);
  if (so !== 0 && so !== 1) throw nodeError(ctx.node, `storage_order must be 0 or 1, got ${so}`);
  return { ...a, columnMajor: so === 1, wantIndices: (ctx.node.outputs[1] ?? '') !== '' };
}

function run(inputs: ReadonlyArray<Tensor | undefined>, a: MaxPoolAttrs, ctx: RunContext): Tensor[] {
  const X = need(ctx.node, inputs, 0, 'X');
  const ok = X.dtype === DataType.FLOAT || X.dtype === DataType.DOUBLE || X.dtype === DataType.INT8 || X.dtype === DataType.UINT8;
  if (!ok) throw nodeError(ctx.node, `input dtype ${DataType[X.dtype]} is not supported (FLOAT, DOUBLE, INT8, UINT8)`);
  const win = resolvePool(ctx.node, a, X.shape);
  const outShape = [X.shape[0], X.shape[1], ...win.outShape];
  const y = ctx.alloc(X.dtype, outShape) as Float32Array;
  const indices = a.wantIndices ? (ctx.alloc(DataType.INT64, outShape) as BigInt64Array) : undefined;
  pool(X.data as Float32Array, X.shape, win, y, { kind: 'max', countIncludePad: false, p: 0, indices, columnMajor: a.columnMajor });
  const out = [makeTensor(X.dtype, outShape, y)];
  if (indices) out.push(makeTensor(DataType.INT64, outShape, indices));
  return out;
}

/** MaxPool from opset 1 on (later opsets only add attributes and types). */
export const maxPool: OpDef<MaxPoolAttrs> = { domain: '', opType: 'MaxPool', since: 1, parse, run };
