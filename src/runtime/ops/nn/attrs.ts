// Attribute readers and error helpers shared by the nn op files: typed lookups with defaults,
// and one-line errors that name the node.

import { Attribute, DataType, Node } from '../../../onnx/ir';
import { Tensor } from '../../tensor';
import { unsupported } from '../../errors';

/** A one-line error naming the op and node. */
export function nodeError(node: Node, message: string): Error {
  const label = node.name ? `'${node.name}'` : `(unnamed, output '${node.outputs[0] ?? '?'}')`;
  return new Error(`${node.opType} node ${label}: ${message}`);
}

function find(node: Node, name: string): Attribute | undefined {
  return node.attributes.find((a) => a.name === name);
}

/** An int attribute, or `def` when absent. */
export function intAttr(node: Node, name: string, def: number): number {
  const a = find(node, name);
  if (!a) return def;
  if (a.type !== 'int') throw nodeError(node, `attribute '${name}' must be an int, got ${a.type}`);
  return a.value;
}

/** A float attribute (ints accepted), or `def` when absent. */
export function floatAttr(node: Node, name: string, def: number): number {
  const a = find(node, name);
  if (!a) return def;
  if (a.type === 'float' || a.type === 'int') return a.value;
  throw nodeError(node, `attribute '${name}' must be a float, got ${a.type}`);
}

/** An ints attribute, or undefined when absent. */
export function intsAttr(node: Node, name: string): number[] | undefined {
  const a = find(node, name);
  if (!a) return undefined;
  if (a.type !== 'ints') throw nodeError(node, `attribute '${name}' must be ints, got ${a.type}`);
  return a.value.slice();
}

/** A floats attribute, or undefined when absent. */
export function floatsAttr(node: Node, name: string): number[] | undefined {
  const a = find(node, name);
  if (!a) return undefined;
  if (a.type !== 'floats') throw nodeError(node, `attribute '${name}' must be floats, got ${a.type}`);
  return a.value.slice();
}

/** A string attribute decoded as UTF-8, or `def` when absent. */
export function stringAttr(node: Node, name: string, def: string): string {
  const a = find(node, name);
  if (!a) return def;
  if (a.type !== 'string') throw nodeError(node, `attribute '${name}' must be a string, got ${a.type}`);
  return new TextDecoder().decode(a.value);
}

/** True when the attribute is present on the node. */
export function hasAttr(node: Node, name: string): boolean {
  return find(node, name) !== undefined;
}

/** The input's storage as a float array, or a clear "not supported" error for other dtypes. */
export function floatData(node: Node, t: Tensor, what: string): Float32Array | Float64Array {
  if (t.dtype === DataType.FLOAT && t.data instanceof Float32Array) return t.data;
  if (t.dtype === DataType.DOUBLE && t.data instanceof Float64Array) return t.data;
  throw unsupported(nodeError(node, `${what} has dtype ${DataType[t.dtype] ?? t.dtype}; only FLOAT and DOUBLE are supported`));
}

/** The required input i, or an error naming it. */
export function need(node: Node, inputs: ReadonlyArray<Tensor | undefined>, i: number, what: string): Tensor {
  const t = inputs[i];
  if (!t) throw nodeError(node, `missing required input ${i} (${what})`);
  return t;
}

/** Normalises a possibly negative axis against a rank, or throws naming the node. */
export function normAxis(node: Node, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw nodeError(node, `axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Formats a shape for messages. */
export function shapeStr(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
