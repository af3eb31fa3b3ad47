// The `reduction` attribute shared by ScatterElements and ScatterND: parsing, and applying one
// update block with none/add/mul/max/min on any element kind (BigInt for 64-bit ints).

import { Node, TensorValues } from '../../../onnx/ir';
import { Elems, copyBlock } from '../../kernels/strides';
import { nodeError, stringAttr } from './common';

/** How an update combines with the existing element. */
export type Reduction = 'none' | 'add' | 'mul' | 'max' | 'min';

/** Parses `reduction` (add/mul from opset 16, max/min from 18). */
export function parseReduction(node: Node, opset: number): Reduction {
  const r = opset >= 16 ? stringAttr(node, 'reduction', 'none') : 'none';
  const allowed = opset >= 18 ? ['none', 'add', 'mul', 'max', 'min'] : ['none', 'add', 'mul'];
  if (!allowed.includes(r)) throw nodeError(node, `reduction '${r}' is not supported at opset ${opset} (use one of ${allowed.join(', ')})`);
  return r as Reduction;
}

/** Combines n updates u[uOff..] into d[dOff..] with the reduction. */
export function applyUpdate(d: TensorValues, dOff: number, u: TensorValues, uOff: number, n: number, red: Reduction): void {
  if (red === 'none') {
    copyBlock(d, dOff, u, uOff, n);
    return;
  }
  if (Array.isArray(d)) throw new Error(`reduction '${red}' does not apply to strings`);
  const dd = d as unknown as number[];
  const uu = u as unknown as number[];
  if (red === 'add') for (let i = 0; i < n; i++) dd[dOff + i] += uu[uOff + i];
  else if (red === 'mul') for (let i = 0; i < n; i++) dd[dOff + i] *= uu[uOff + i];
  else if (red === 'max') for (let i = 0; i < n; i++) { if (uu[uOff + i] > dd[dOff + i]) dd[dOff + i] = uu[uOff + i]; }
  else for (let i = 0; i < n; i++) { if (uu[uOff + i] < dd[dOff + i]) dd[dOff + i] = uu[uOff + i]; }
}

/** Combines one element. */
export function applyOne(d: Elems, t: number, u: Elems, p: number, red: Reduction): void {
  if (red === 'none') d[t] = u[p];
  else {
    const dd = d as unknown as number[];
    const uu = u as unknown as number[];
    if (red === 'add') dd[t] += uu[p];
    else if (red === 'mul') dd[t] *= uu[p];
    else if (red === 'max') { if (uu[p] > dd[t]) dd[t] = uu[p]; }
    else if (uu[p] < dd[t]) dd[t] = uu[p];
  }
}
