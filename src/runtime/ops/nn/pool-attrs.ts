// Pooling attributes (MaxPool, AveragePool, LpPool): parsed once per node, resolved against the
// input shape at run time.

import { Node } from '../../../onnx/ir';
import { AutoPad, forwardWindow, Window } from '../../kernels/window';
import { intAttr, intsAttr, nodeError, shapeStr } from './attrs';
import { checkPads, parseAutoPad, perAxis } from './conv-attrs';
import { unsupported } from '../../errors';

/** Pool attributes as written on the node. */
export interface PoolAttrs {
  autoPad: AutoPad;
  kernelShape: number[];
  strides?: number[];
  pads?: number[];
  dilations?: number[];
  ceilMode: boolean;
}

/** Reads the attributes every windowed pool shares; kernel_shape is required. */
export function parsePoolAttrs(node: Node): PoolAttrs {
  const kernelShape = intsAttr(node, 'kernel_shape');
  if (!kernelShape || kernelShape.length === 0) throw nodeError(node, 'attribute kernel_shape is required');
  if (kernelShape.some((v) => v < 1)) throw nodeError(node, `kernel_shape ${shapeStr(kernelShape)} must be positive`);
  const a: PoolAttrs = {
    autoPad: parseAutoPad(node),
    kernelShape,
    strides: intsAttr(node, 'strides'),
    pads: intsAttr(node, 'pads'),
    dilations: intsAttr(node, 'dilations'),
    ceilMode: intAttr(node, 'ceil_mode', 0) !== 0,
  };
  if (a.strides?.some((v) => v < 1)) throw nodeError(node, `strides ${shapeStr(a.strides)} must be positive`);
  if (a.dilations?.some((v) => v < 1)) throw nodeError(node, `dilations ${shapeStr(a.dilations)} must be positive`);
  if (a.pads?.some((v) => v < 0)) throw nodeError(node, `pads ${shapeStr(a.pads)} must be non-negative`);
  if (a.autoPad.startsWith('SAME') && a.dilations?.some((v) => v > 1)) {
    throw unsupported(nodeError(node, `auto_pad ${a.autoPad} with dilations > 1 is not supported (the ONNX spec and onnxruntime size the output differently); use explicit pads`));
  }
  const r = kernelShape.length;
  if (r > 3) throw unsupported(nodeError(node, `pooling over ${r} spatial axes is not supported (at most 3)`));
  perAxis(node, 'strides', a.strides, r, 1);
  perAxis(node, 'dilations', a.dilations, r, 1);
  checkPads(node, a.pads, r);
  return a;
}

/** Checks the input rank against kernel_shape and returns the window. */
export function resolvePool(node: Node, a: PoolAttrs, xShape: readonly number[]): Window {
  const r = a.kernelShape.length;
  if (xShape.length !== r + 2) {
    throw nodeError(node, `input X has shape ${shapeStr(xShape)} but kernel_shape ${shapeStr(a.kernelShape)} needs rank ${r + 2}`);
  }
  const strides = perAxis(node, 'strides', a.strides, r, 1);
  const dilations = perAxis(node, 'dilations', a.dilations, r, 1);
  const win = forwardWindow(xShape.slice(2), a.kernelShape, strides, dilations, a.pads, a.autoPad, a.ceilMode);
  if (win.outShape.some((v) => v < 1) && xShape[0] * xShape[1] > 0) {
    throw nodeError(node, `the window does not fit: input ${shapeStr(xShape)}, kernel ${shapeStr(a.kernelShape)}, pads ${shapeStr(a.pads ?? [])}`);
  }
  return win;
}
