// Helpers shared by the string op files: string inputs, string-list attributes, and the index of
// each broadcast operand element (string tensors are small; no typed-array fast path needed).

import { DataType, Node } from '../../../onnx/ir';
import { Tensor } from '../../tensor';
import { nodeError } from '../nn/attrs';

export { intAttr, intsAttr, floatsAttr, hasAttr, need, nodeError, stringAttr } from '../nn/attrs';

/** The string values of a STRING tensor, or an error naming the input. */
export function strings(node: Node, t: Tensor, what: string): string[] {
  if (t.dtype !== DataType.STRING || !Array.isArray(t.data)) throw nodeError(node, `${what} must be a string tensor, got ${DataType[t.dtype] ?? t.dtype}`);
  return t.data;
}

/** A strings attribute decoded as UTF-8, or undefined when absent. */
export function stringsAttr(node: Node, name: string): string[] | undefined {
  const a = node.attributes.find((x) => x.name === name);
  if (!a) return undefined;
  if (a.type !== 'strings') throw nodeError(node, `attribute '${name}' must be strings, got ${a.type}`);
  const dec = new TextDecoder();
  return a.value.map((v) => dec.decode(v));
}

/**
 * For each element of the broadcast output `out`, the flat index into an operand of shape `shape`
 * (right-aligned numpy broadcasting; the caller has checked that it broadcasts).
 */
export function broadcastIndex(shape: readonly number[], out: readonly number[]): Int32Array {
  let n = 1;
  for (const d of out) n *= d;
  const idx = new Int32Array(n);
  const rank = out.length;
  const pad = rank - shape.length;
  const strides = new Array<number>(rank).fill(0);
  let acc = 1;
  for (let a = rank - 1; a >= pad; a--) {
    const d = shape[a - pad];
    strides[a] = d === 1 ? 0 : acc;
    acc *= d;
  }
  const pos = new Array<number>(rank).fill(0);
  let cur = 0;
  for (let i = 0; i < n; i++) {
    idx[i] = cur;
    for (let a = rank - 1; a >= 0; a--) {
      pos[a]++;
      cur += strides[a];
      if (pos[a] < out[a]) break;
      cur -= strides[a] * pos[a];
      pos[a] = 0;
    }
  }
  return idx;
}
