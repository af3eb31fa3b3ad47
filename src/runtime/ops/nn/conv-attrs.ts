// Conv-family attributes (Conv, FusedConv, ConvTranspose): parsing at plan time and resolving
// against the actual input and weight shapes at run time, with one-line validation errors.

import { Node } from '../../../onnx/ir';
import { AutoPad, forwardWindow, Window } from '../../kernels/window';
import { intAttr, intsAttr, nodeError, shapeStr, stringAttr } from './attrs';

/** Conv attributes as written on the node (absent lists stay undefined). */
export interface ConvAttrs {
  autoPad: AutoPad;
  group: number;
  kernelShape?: number[];
  dilations?: number[];
  strides?: number[];
  pads?: number[];
}

/** Reads and sanity-checks the shared Conv attributes. */
export function parseConvAttrs(node: Node): ConvAttrs {
  const autoPad = parseAutoPad(node);
  const group = intAttr(node, 'group', 1);
  if (group < 1) throw nodeError(node, `group must be >= 1, got ${group}`);
  const a: ConvAttrs = {
    autoPad,
    group,
    kernelShape: intsAttr(node, 'kernel_shape'),
    dilations: intsAttr(node, 'dilations'),
    strides: intsAttr(node, 'strides'),
    pads: intsAttr(node, 'pads'),
  };
  if (a.kernelShape?.some((v) => v < 1)) throw nodeError(node, `kernel_shape ${shapeStr(a.kernelShape)} must be positive`);
  if (a.dilations?.some((v) => v < 1)) throw nodeError(node, `dilations ${shapeStr(a.dilations)} must be positive`);
  if (a.strides?.some((v) => v < 1)) throw nodeError(node, `strides ${shapeStr(a.strides)} must be positive`);
  if (a.pads?.some((v) => v < 0)) throw nodeError(node, `pads ${shapeStr(a.pads)} must be non-negative`);
  return a;
}

/** Reads auto_pad, rejecting unknown values. */
export function parseAutoPad(node: Node): AutoPad {
  const s = stringAttr(node, 'auto_pad', 'NOTSET');
  if (s === 'NOTSET' || s === 'SAME_UPPER' || s === 'SAME_LOWER' || s === 'VALID') return s;
  throw nodeError(node, `auto_pad '${s}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID`);
}

/** Checks a per-axis list attribute's length (or fills the default) for `r` spatial axes. */
export function perAxis(node: Node, name: string, v: number[] | undefined, r: number, def: number): number[] {
  if (v === undefined) return new Array<number>(r).fill(def);
  if (v.length !== r) throw nodeError(node, `${name} has ${v.length} entries but the input has ${r} spatial axes`);
  return v;
}

/** Checks pads' length (2 per spatial axis). */
export function checkPads(node: Node, pads: number[] | undefined, r: number): number[] | undefined {
  if (pads !== undefined && pads.length !== 2 * r) {
    throw nodeError(node, `pads has ${pads.length} entries but needs ${2 * r} (begin and end per spatial axis)`);
  }
  return pads;
}

/** Validates X [N,C,...] against W [M, C/group, ...k] and returns the forward window. */
export function resolveConv(node: Node, a: ConvAttrs, xShape: readonly number[], wShape: readonly number[]): Window {
  const r = xShape.length - 2;
  if (r < 1) throw nodeError(node, `input X has shape ${shapeStr(xShape)}; Conv needs [N, C, spatial...]`);
  if (wShape.length !== xShape.length) {
    throw nodeError(node, `weight W has shape ${shapeStr(wShape)} but input X has rank ${xShape.length}`);
  }
  const C = xShape[1];
  const M = wShape[0];
  if (C % a.group !== 0) throw nodeError(node, `input channels ${C} are not divisible by group ${a.group}`);
  if (M % a.group !== 0) throw nodeError(node, `output channels ${M} are not divisible by group ${a.group}`);
  if (wShape[1] * a.group !== C) {
    throw nodeError(node, `weight W ${shapeStr(wShape)} expects ${wShape[1] * a.group} input channels (group ${a.group}), X has ${C}`);
  }
  const kernel = wShape.slice(2);
  if (a.kernelShape && a.kernelShape.join(',') !== kernel.join(',')) {
    throw nodeError(node, `kernel_shape ${shapeStr(a.kernelShape)} does not match weight W spatial shape ${shapeStr(kernel)}`);
  }
  const strides = perAxis(node, 'strides', a.strides, r, 1);
  const dilations = perAxis(node, 'dilations', a.dilations, r, 1);
  const pads = checkPads(node, a.pads, r);
  const win = forwardWindow(xShape.slice(2), kernel, strides, dilations, pads, a.autoPad, false);
  if (win.outShape.some((v) => v < 1)) {
    throw nodeError(node, `the kernel (dilated) does not fit: input ${shapeStr(xShape)}, kernel ${shapeStr(kernel)}, dilations ${shapeStr(dilations)}, pads ${shapeStr(pads ?? [])}`);
  }
  return win;
}
