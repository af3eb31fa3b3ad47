// Shared machinery of RNN, GRU and LSTM: attribute parsing (directions, activation lists with
// alpha/beta, clip, layout), input validation and layout handling, and in-place activations.

import { DataType, Node } from '../../../onnx/ir';
import { floatAttr, floatsAttr, floatData, hasAttr, intAttr, need, nodeError, shapeStr, stringAttr } from '../nn/attrs';
import { RunContext } from '../../op';
import { Tensor } from '../../tensor';

export { nodeError } from '../nn/attrs';

/** Float storage of the computation (float32 for FLOAT, float64 for DOUBLE). */
export type Floats = Float32Array | Float64Array;

/** The activation functions the recurrent ops accept, with their alpha/beta. */
export const enum ActKind { Relu, Tanh, Sigmoid, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign, Softplus }

/** One activation with its parameters. */
export interface Act { kind: ActKind; alpha: number; beta: number }

// name → kind, default alpha, default beta, whether it consumes alpha / beta from the lists.
const ACTS: Record<string, [ActKind, number, number, boolean, boolean]> = {
  relu: [ActKind.Relu, 0, 0, false, false],
  tanh: [ActKind.Tanh, 0, 0, false, false],
  sigmoid: [ActKind.Sigmoid, 0, 0, false, false],
  affine: [ActKind.Affine, 1, 0, true, true],
  leakyrelu: [ActKind.LeakyRelu, 0.01, 0, true, false],
  thresholdedrelu: [ActKind.ThresholdedRelu, 1, 0, true, false],
  scaledtanh: [ActKind.ScaledTanh, 1, 1, true, true],
  hardsigmoid: [ActKind.HardSigmoid, 0.2, 0.5, true, true],
  elu: [ActKind.Elu, 1, 0, true, false],
  softsign: [ActKind.Softsign, 0, 0, false, false],
  softplus: [ActKind.Softplus, 0, 0, false, false],
};

/** Attributes shared by the three recurrent ops. */
export interface RecurrentAttrs {
  hidden: number;
  numDir: number;
  /** Per direction: reverse in time? */
  reverse: boolean[];
  /** Activations, `perDir` per direction (forward first). */
  acts: Act[];
  clip: number;
  layout: number;
  linearBeforeReset: boolean;
  inputForget: boolean;
}

/** Parses the recurrent attributes; `defaults` are the per-direction default activations. */
export function parseRecurrent(node: Node, opset: number, defaults: string[]): RecurrentAttrs {
  const hidden = intAttr(node, 'hidden_size', 0);
  if (!hasAttr(node, 'hidden_size') || hidden < 1) throw nodeError(node, `hidden_size must be a positive int, got ${hasAttr(node, 'hidden_size') ? hidden : 'none'}`);
  const direction = stringAttr(node, 'direction', 'forward');
  if (direction !== 'forward' && direction !== 'reverse' && direction !== 'bidirectional') {
    throw nodeError(node, `direction '${direction}' is not forward, reverse or bidirectional`);
  }
  const numDir = direction === 'bidirectional' ? 2 : 1;
  const reverse = direction === 'bidirectional' ? [false, true] : [direction === 'reverse'];
  const names = readStrings(node, 'activations') ?? [];
  const per = defaults.length;
  let list: string[];
  if (names.length === 0) list = numDir === 2 ? [...defaults, ...defaults] : defaults.slice();
  else if (names.length === per * numDir) list = names;
  else if (numDir === 2 && names.length === per) list = [...names, ...names];
  else throw nodeError(node, `activations lists ${names.length} functions; ${direction} needs ${per * numDir}`);
  const alphas = floatsAttr(node, 'activation_alpha') ?? [];
  const betas = floatsAttr(node, 'activation_beta') ?? [];
  let ai = 0;
  let bi = 0;
  const acts = list.map((nm) => {
    const e = ACTS[nm.toLowerCase()];
    if (!e) throw nodeError(node, `activation '${nm}' is not supported (${Object.keys(ACTS).join(', ')})`);
    const alpha = e[3] && ai < alphas.length ? alphas[ai++] : e[1];
    const beta = e[4] && bi < betas.length ? betas[bi++] : e[2];
    return { kind: e[0], alpha, beta };
  });
  const clip = hasAttr(node, 'clip') ? floatAttr(node, 'clip', 0) : Infinity;
  if (!(clip > 0)) throw nodeError(node, `clip must be positive, got ${clip}`);
  const layout = opset >= 14 ? intAttr(node, 'layout', 0) : 0;
  if (layout !== 0 && layout !== 1) throw nodeError(node, `layout must be 0 or 1, got ${layout}`);
  const inputForget = intAttr(node, 'input_forget', 0) !== 0;
  return { hidden, numDir, reverse, acts, clip, layout, linearBeforeReset: intAttr(node, 'linear_before_reset', 0) !== 0, inputForget };
}

function readStrings(node: Node, name: string): string[] | undefined {
  const a = node.attributes.find((x) => x.name === name);
  if (!a) return undefined;
  if (a.type !== 'strings') throw nodeError(node, `attribute '${name}' must be strings, got ${a.type}`);
  return a.value.map((v) => new TextDecoder().decode(v));
}

/** Applies an activation in place to buf[off, off + len), after clipping its input to ±clip. */
export function activate(a: Act, clip: number, buf: Floats, off: number, len: number): void {
  const end = off + len;
  if (clip !== Infinity) {
    for (let i = off; i < end; i++) buf[i] = buf[i] > clip ? clip : buf[i] < -clip ? -clip : buf[i];
  }
  const { alpha, beta } = a;
  switch (a.kind) {
    case ActKind.Relu: for (let i = off; i < end; i++) buf[i] = buf[i] > 0 ? buf[i] : 0; break;
    case ActKind.Tanh: for (let i = off; i < end; i++) buf[i] = Math.tanh(buf[i]); break;
    case ActKind.Sigmoid: for (let i = off; i < end; i++) buf[i] = 1 / (1 + Math.exp(-buf[i])); break;
    case ActKind.Affine: for (let i = off; i < end; i++) buf[i] = alpha * buf[i] + beta; break;
    case ActKind.LeakyRelu: for (let i = off; i < end; i++) buf[i] = buf[i] >= 0 ? buf[i] : alpha * buf[i]; break;
    case ActKind.ThresholdedRelu: for (let i = off; i < end; i++) buf[i] = buf[i] > alpha ? buf[i] : 0; break;
    case ActKind.ScaledTanh: for (let i = off; i < end; i++) buf[i] = alpha * Math.tanh(beta * buf[i]); break;
    case ActKind.HardSigmoid: for (let i = off; i < end; i++) buf[i] = Math.max(0, Math.min(1, alpha * buf[i] + beta)); break;
    case ActKind.Elu: for (let i = off; i < end; i++) buf[i] = buf[i] >= 0 ? buf[i] : alpha * (Math.exp(buf[i]) - 1); break;
    case ActKind.Softsign: for (let i = off; i < end; i++) buf[i] = buf[i] / (1 + Math.abs(buf[i])); break;
    case ActKind.Softplus: for (let i = off; i < end; i++) buf[i] = Math.log1p(Math.exp(-Math.abs(buf[i]))) + Math.max(buf[i], 0); break;
  }
}

/** Validated inputs in layout 0: X [seq, batch, input]; states [numDir, batch, hidden]. */
export interface RecurrentInputs {
  dtype: DataType;
  seq: number;
  batch: number;
  input: number;
  x: Floats;
  w: Floats;
  r: Floats;
  b?: Floats;
  lens: Int32Array;
  initH?: Floats;
  initC?: Floats;
}

/** A new zeroed array of the same kind as `like`. */
export function scratch(like: Floats, n: number): Floats {
  return like instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
}

/** Swaps the first two axes of a [a, b, rest] array (layout 1 ↔ layout 0). */
export function swap01(src: Floats, a: number, b: number, rest: number, dst: Floats): Floats {
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) dst.set(src.subarray((i * b + j) * rest, (i * b + j + 1) * rest), (j * a + i) * rest);
  return dst;
}

/**
 * Reads and checks X, W, R, B, sequence_lens, initial_h (and initial_c at `cIndex`), with
 * `gates` gate blocks of hidden rows in W and R. Layout-1 tensors are transposed to layout 0.
 */
export function readInputs(ctx: RunContext, inputs: ReadonlyArray<Tensor | undefined>, a: RecurrentAttrs, gates: number, cIndex: number): RecurrentInputs {
  const node = ctx.node;
  const X = need(node, inputs, 0, 'X');
  const W = need(node, inputs, 1, 'W');
  const R = need(node, inputs, 2, 'R');
  const xd = floatData(node, X, 'X');
  if (X.shape.length !== 3) throw nodeError(node, `X must be 3-D, got ${shapeStr(X.shape)}`);
  const [d0, d1, input] = X.shape;
  const seq = a.layout === 0 ? d0 : d1;
  const batch = a.layout === 0 ? d1 : d0;
  const H = a.hidden;
  const G = gates * H;
  const same = (t: Tensor, shape: number[], what: string): Floats => {
    const d = floatData(node, t, what);
    if (t.dtype !== X.dtype) throw nodeError(node, `${what} has a different dtype from X`);
    if (t.shape.length !== shape.length || t.shape.some((v, i) => v !== shape[i])) {
      throw nodeError(node, `${what} has shape ${shapeStr(t.shape)}; expected ${shapeStr(shape)}`);
    }
    return d;
  };
  const w = same(W, [a.numDir, G, input], 'W');
  const r = same(R, [a.numDir, G, H], 'R');
  const b = inputs[3] ? same(inputs[3], [a.numDir, 2 * G], 'B') : undefined;
  const lens = new Int32Array(batch).fill(seq);
  const L = inputs[4];
  if (L) {
    if (L.dtype !== DataType.INT32 || L.shape.length !== 1 || L.shape[0] !== batch) {
      throw nodeError(node, `sequence_lens must be INT32 of shape [${batch}], got ${shapeStr(L.shape)}`);
    }
    const ld = L.data as Int32Array;
    for (let i = 0; i < batch; i++) {
      if (ld[i] < 1 || ld[i] > seq) throw nodeError(node, `sequence_lens[${i}] = ${ld[i]} is outside [1, ${seq}] (empty sequences are not supported)`);
      lens[i] = ld[i];
    }
  }
  const stateShape = a.layout === 0 ? [a.numDir, batch, H] : [batch, a.numDir, H];
  const state = (i: number, what: string): Floats | undefined => {
    const t = inputs[i];
    if (!t) return undefined;
    const d = same(t, stateShape, what);
    return a.layout === 0 ? d : swap01(d, batch, a.numDir, H, scratch(d, d.length));
  };
  const x = a.layout === 0 ? xd : swap01(xd, batch, seq, input, scratch(xd, xd.length));
  return { dtype: X.dtype, seq, batch, input, x, w, r, b, lens, initH: state(5, 'initial_h'), initC: cIndex > 0 ? state(cIndex, 'initial_c') : undefined };
}

/**
 * Builds the outputs from layout-0 results: Y [seq, numDir, batch, H] and the final states
 * [numDir, batch, H], transposed for layout 1 and allocated through ctx.alloc.
 */
export function writeOutputs(ctx: RunContext, a: RecurrentAttrs, inp: RecurrentInputs, y: Floats, states: Floats[]): Tensor[] {
  const { seq, batch, dtype } = inp;
  const H = a.hidden;
  const D = a.numDir;
  const outs: Tensor[] = [];
  const yShape = a.layout === 0 ? [seq, D, batch, H] : [batch, seq, D, H];
  const yo = ctx.alloc(dtype, yShape) as Floats;
  if (a.layout === 0) yo.set(y);
  if (a.layout === 1) {
    // [seq, D, batch, H] → [batch, seq, D, H]
    for (let t = 0; t < seq; t++) for (let d = 0; d < D; d++) for (let b = 0; b < batch; b++) {
      yo.set(y.subarray(((t * D + d) * batch + b) * H, ((t * D + d) * batch + b + 1) * H), ((b * seq + t) * D + d) * H);
    }
  }
  outs.push({ dtype, shape: yShape, data: yo });
  const sShape = a.layout === 0 ? [D, batch, H] : [batch, D, H];
  for (const s of states) {
    const so = ctx.alloc(dtype, sShape) as Floats;
    if (a.layout === 0) so.set(s);
    else swap01(s, D, batch, H, so);
    outs.push({ dtype, shape: sShape, data: so });
  }
  return outs;
}
