// Helpers shared by the random ops: the output dtype attribute, the seed, and float output storage.

import { DataType, Node, TensorValues } from '../../../onnx/ir';
import { fromFloat32Array } from '../../../onnx/dtype';
import { floatAttr, hasAttr, intAttr, nodeError } from '../nn/attrs';

export { floatAttr, hasAttr, intAttr, intsAttr, need, nodeError } from '../nn/attrs';

const FLOATS = [DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.BFLOAT16];

/** Throws unless `dt` is a float type the random ops produce. */
export function requireFloat(node: Node, dt: DataType, what: string): DataType {
  if (!FLOATS.includes(dt)) throw nodeError(node, `${what} must be a float type (float, double, float16, bfloat16), got ${DataType[dt] ?? dt}`);
  return dt;
}

/** The `dtype` attribute (checked to be a float type), `def` when absent. */
export function dtypeAttr(node: Node, def: DataType | undefined): DataType | undefined {
  return hasAttr(node, 'dtype') ? requireFloat(node, intAttr(node, 'dtype', 1) as DataType, 'dtype') : def;
}

/** The `seed` attribute, or undefined (an unseeded generator) when absent. */
export function seedAttr(node: Node): number | undefined {
  return hasAttr(node, 'seed') ? floatAttr(node, 'seed', 0) : undefined;
}

/** Float64 values stored as dtype `dt` (float16 / bfloat16 through float32). */
export function storeFloats(values: Float64Array, dt: DataType): TensorValues {
  if (dt === DataType.DOUBLE) return values;
  const f = Float32Array.from(values);
  return dt === DataType.FLOAT ? f : fromFloat32Array(f, dt);
}
