// Scan: iterates `body` over slices of its scan inputs, threading state values through the
// iterations and stacking per-iteration scan outputs. Opset 8 has a leading batch axis (each batch
// row is scanned separately along axis 1, optional sequence_lens); opset 9+ scans any axis in
// either direction and stacks outputs along any axis, optionally reversed.

import { Graph, Node } from '../../../onnx/ir';
import { OpDef, RunContext } from '../../op';
import { Tensor } from '../../tensor';
import { intsAttr, intAttr } from '../nn/attrs';
import { unsupported } from '../../errors';
import { callBody, emptyStack, graphAttr, intScalar, nodeError, stack, takeSlice, checkBodyTypes } from './common';

interface ScanAttrs {
  readonly body: Graph;
  readonly states: number;
  readonly scanIn: number;
  readonly scanOut: number;
  readonly inAxes: readonly number[];
  readonly inDirs: readonly number[];
  readonly outAxes: readonly number[];
  readonly outDirs: readonly number[];
}

function dirs(node: Node, name: string, n: number): number[] {
  const v = intsAttr(node, name) ?? new Array<number>(n).fill(0);
  if (v.length !== n) throw nodeError(node, `attribute '${name}' has ${v.length} entries; expected ${n}`);
  for (const d of v) if (d !== 0 && d !== 1) throw nodeError(node, `attribute '${name}' entries must be 0 (forward) or 1 (reverse), got ${d}`);
  return v;
}

function parseScan(node: Node, opset: number): ScanAttrs {
  const body = graphAttr(node, 'body');
  checkBodyTypes(node, body, 'body');
  const scanIn = intAttr(node, 'num_scan_inputs', -1);
  const lead = opset < 9 ? 1 : 0; // opset 8: sequence_lens comes first
  const states = node.inputs.length - lead - scanIn;
  if (scanIn < 1 || states < 0) throw nodeError(node, `num_scan_inputs must be between 1 and the number of state and scan inputs, got ${scanIn}`);
  if (body.inputs.length !== states + scanIn) throw nodeError(node, `body takes ${body.inputs.length} inputs; expected ${states} states + ${scanIn} scan inputs`);
  const scanOut = body.outputs.length - states;
  if (scanOut < 0) throw nodeError(node, `body has ${body.outputs.length} outputs, fewer than its ${states} states`);
  if (node.outputs.length > states + scanOut) throw nodeError(node, `the node has ${node.outputs.length} outputs; the body gives ${states + scanOut}`);
  if (opset < 9) {
    return { body, states, scanIn, scanOut, inAxes: [], inDirs: dirs(node, 'directions', scanIn), outAxes: [], outDirs: [] };
  }
  const inAxes = intsAttr(node, 'scan_input_axes') ?? new Array<number>(scanIn).fill(0);
  const outAxes = intsAttr(node, 'scan_output_axes') ?? new Array<number>(scanOut).fill(0);
  if (inAxes.length !== scanIn) throw nodeError(node, `scan_input_axes has ${inAxes.length} entries; expected ${scanIn}`);
  if (outAxes.length !== scanOut) throw nodeError(node, `scan_output_axes has ${outAxes.length} entries; expected ${scanOut}`);
  return {
    body, states, scanIn, scanOut, inAxes, outAxes,
    inDirs: dirs(node, 'scan_input_directions', scanIn), outDirs: dirs(node, 'scan_output_directions', scanOut),
  };
}

/**
 * One scan over `len` iterations: state values and scan inputs given; scan input j is sliced along
 * inAxes[j]. Returns the final states and, per scan output, the list of per-iteration tensors.
 */
function scanLoop(ctx: RunContext, a: ScanAttrs, states: Tensor[], scans: readonly Tensor[], inAxes: readonly number[], len: number): { states: Tensor[]; parts: Tensor[][] } {
  const parts: Tensor[][] = Array.from({ length: a.scanOut }, () => []);
  for (let it = 0; it < len; it++) {
    const slices = scans.map((t, j) => takeSlice(ctx, t, inAxes[j], a.inDirs[j] ? len - 1 - it : it));
    const outs = callBody(ctx, 'body', [...states, ...slices]);
    states = outs.slice(0, a.states);
    for (let k = 0; k < a.scanOut; k++) parts[k].push(outs[a.states + k]);
  }
  return { states, parts };
}

function required(node: Node, inputs: ReadonlyArray<Tensor | undefined>, from: number, n: number, what: string): Tensor[] {
  const out: Tensor[] = [];
  for (let i = 0; i < n; i++) {
    const t = inputs[from + i];
    if (!t) throw nodeError(node, `missing ${what} ${i} (input ${from + i})`);
    out.push(t);
  }
  return out;
}

/** Scan opset 9+ (axes, directions; negative axes from 11). */
export const scan9: OpDef<ScanAttrs> = {
  domain: '', opType: 'Scan', since: 9, lowPrecision: 'native',
  parse(ctx) {
    return parseScan(ctx.node, ctx.opset);
  },
  run(inputs, a, ctx) {
    const { node } = ctx;
    const states = required(node, inputs, 0, a.states, 'initial state');
    const scans = required(node, inputs, a.states, a.scanIn, 'scan input');
    let len = -1;
    const inAxes = scans.map((t, j) => {
      const r = t.shape.length;
      const ax = a.inAxes[j] < 0 ? a.inAxes[j] + r : a.inAxes[j];
      if (ax < 0 || ax >= r) throw nodeError(node, `scan_input_axes[${j}] = ${a.inAxes[j]} is out of range for scan input ${j} of rank ${r}`);
      if (len < 0) len = t.shape[ax];
      else if (t.shape[ax] !== len) throw nodeError(node, `scan inputs have different lengths along their scan axes (${len} and ${t.shape[ax]})`);
      return ax;
    });
    const r = scanLoop(ctx, a, states, scans, inAxes, len);
    const outs = r.parts.map((parts, k) => {
      const what = `scan output ${k}`;
      const rank = (parts[0]?.shape.length ?? declaredRank(a.body, a.states + k)) + 1;
      const ax = a.outAxes[k] < 0 ? a.outAxes[k] + rank : a.outAxes[k];
      if (ax < 0 || ax >= rank) throw nodeError(node, `scan_output_axes[${k}] = ${a.outAxes[k]} is out of range for ${what} of rank ${rank}`);
      return parts.length ? stack(ctx, parts, ax, a.outDirs[k] === 1, what) : emptyStack(ctx, a.body, a.states + k, ax, what);
    });
    return [...r.states, ...outs];
  },
};

function declaredRank(g: Graph, i: number): number {
  const t = g.outputs[i]?.type;
  return t?.kind === 'tensor' && t.shape ? t.shape.length : 0;
}

/** Scan opset 8: batch axis 0, scan axis 1, optional sequence_lens (all equal to the full length). */
export const scan8: OpDef<ScanAttrs> = {
  domain: '', opType: 'Scan', since: 8, lowPrecision: 'native',
  parse(ctx) {
    return parseScan(ctx.node, 8);
  },
  run(inputs, a, ctx) {
    const { node } = ctx;
    const states = required(node, inputs, 1, a.states, 'initial state');
    const scans = required(node, inputs, 1 + a.states, a.scanIn, 'scan input');
    const all = [...states, ...scans];
    if (all.some((t) => t.shape.length < 1)) throw nodeError(node, 'every state and scan input needs a leading batch axis');
    const batch = all[0].shape[0];
    for (const t of all) if (t.shape[0] !== batch) throw nodeError(node, `inputs disagree on the batch size (${batch} and ${t.shape[0]})`);
    if (batch === 0) throw unsupported(nodeError(node, 'a batch of size 0 is not supported'));
    for (const t of scans) if (t.shape.length < 2) throw nodeError(node, 'scan inputs need [batch, sequence, ...] shapes');
    const len = scans[0].shape[1];
    for (const t of scans) if (t.shape[1] !== len) throw nodeError(node, `scan inputs have different sequence lengths (${len} and ${t.shape[1]})`);
    if (inputs[0]) {
      const lens = inputs[0];
      if (lens.data.length !== batch) throw nodeError(node, `sequence_lens has ${lens.data.length} entries; the batch size is ${batch}`);
      for (let b = 0; b < batch; b++) {
        const v = intScalar(node, { dtype: lens.dtype, shape: [], data: lens.data.slice(b, b + 1) as Tensor['data'] }, 'sequence_lens');
        if (v !== len) throw unsupported(nodeError(node, `sequence_lens[${b}] = ${v} differs from the sequence length ${len}; only full-length sequences are supported`));
      }
    }
    const finals: Tensor[][] = Array.from({ length: a.states }, () => []);
    const outs: Tensor[][] = Array.from({ length: a.scanOut }, () => []);
    for (let b = 0; b < batch; b++) {
      const st = states.map((t) => takeSlice(ctx, t, 0, b));
      const sc = scans.map((t) => takeSlice(ctx, t, 0, b));
      const r = scanLoop(ctx, a, st, sc, sc.map(() => 0), len);
      r.states.forEach((t, i) => finals[i].push(t));
      r.parts.forEach((parts, k) => {
        const what = `scan output ${k}`;
        outs[k].push(parts.length ? stack(ctx, parts, 0, false, what) : emptyStack(ctx, a.body, a.states + k, 0, what));
      });
    }
    return [
      ...finals.map((p, i) => stack(ctx, p, 0, false, `final state ${i}`)),
      ...outs.map((p, k) => stack(ctx, p, 0, false, `scan output ${k}`)),
    ];
  },
};
