// Helpers for the last-axes normalisations (LayerNormalization, RMSNormalization): expanding a
// scale/bias tensor that broadcasts to the normalised shape X.shape[axis:].

import { Node } from '../../../onnx/ir';
import { Tensor } from '../../tensor';
import { floatData, nodeError, shapeStr } from './attrs';

/**
 * Returns t's values laid out over `normShape` (length Π normShape), expanding broadcast axes;
 * t's own data when it already matches. Throws when t does not broadcast to normShape.
 */
export function expandToNormShape(node: Node, t: Tensor, normShape: readonly number[], what: string): Float32Array | Float64Array {
  const d = floatData(node, t, what);
  const n = normShape.reduce((s, v) => s * v, 1);
  if (d.length === n && t.shape.length <= normShape.length) {
    const tail = normShape.slice(normShape.length - t.shape.length);
    if (tail.join(',') === t.shape.join(',')) return d;
  }
  if (t.shape.length > normShape.length) throw nodeError(node, `${what} ${shapeStr(t.shape)} does not broadcast to ${shapeStr(normShape)}`);
  const r = normShape.length;
  const ts = [...new Array<number>(r - t.shape.length).fill(1), ...t.shape];
  for (let i = 0; i < r; i++) {
    if (ts[i] !== 1 && ts[i] !== normShape[i]) throw nodeError(node, `${what} ${shapeStr(t.shape)} does not broadcast to ${shapeStr(normShape)}`);
  }
  const out = d instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  const idx = new Array<number>(r).fill(0);
  for (let i = 0; i < n; i++) {
    let src = 0;
    for (let a = 0; a < r; a++) src = src * ts[a] + (ts[a] === 1 ? 0 : idx[a]);
    out[i] = d[src];
    for (let a = r - 1; a >= 0; a--) { if (++idx[a] < normShape[a]) break; idx[a] = 0; }
  }
  return out;
}
