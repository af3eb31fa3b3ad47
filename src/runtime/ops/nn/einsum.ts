// Einsum (opset 12): explicit or implicit output, repeated labels (diagonals), ellipsis with
// broadcasting. Two-operand contractions become a batched GEMM (operands re-laid out as
// [batch, free, contracted]); everything else runs the general strided loop.

import { DataType } from '../../../onnx/ir';
import { einsumLoop, StridedOperand } from '../../kernels/einsum-loop';
import { gemm } from '../../kernels/gemm';
import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatData, nodeError, shapeStr, stringAttr } from './attrs';
import { Node } from '../../../onnx/ir';

type Term = string[]; // letters, or '...'
interface EinsumAttrs { inputs: Term[]; output: Term | undefined }

function parseTerm(node: Node, s: string): Term {
  const t: Term = [];
  for (let i = 0; i < s.length; i++) {
    if (s.startsWith('...', i)) {
      if (t.includes('...')) throw nodeError(node, `equation term '${s}' has more than one ellipsis`);
      t.push('...');
      i += 2;
    } else if (/[A-Za-z]/.test(s[i])) t.push(s[i]);
    else throw nodeError(node, `equation term '${s}' has an invalid character '${s[i]}'`);
  }
  return t;
}

function parse(ctx: PlanContext): EinsumAttrs {
  const eq = stringAttr(ctx.node, 'equation', '').replace(/\s+/g, '');
  if (eq === '') throw nodeError(ctx.node, 'attribute equation is required');
  const parts = eq.split('->');
  if (parts.length > 2) throw nodeError(ctx.node, `equation '${eq}' has more than one '->'`);
  const inputs = parts[0].split(',').map((t) => parseTerm(ctx.node, t));
  const output = parts.length === 2 ? parseTerm(ctx.node, parts[1]) : undefined;
  return { inputs, output };
}

function run(inputs: ReadonlyArray<Tensor | undefined>, a: EinsumAttrs, ctx: RunContext): Tensor[] {
  const node = ctx.node;
  if (inputs.length !== a.inputs.length || inputs.some((t) => !t)) {
    throw nodeError(node, `equation has ${a.inputs.length} input terms but the node has ${inputs.length} inputs`);
  }
  const ts = inputs as Tensor[];
  const dtype = ts[0].dtype;
  const datas = ts.map((t, i) => floatData(node, t, `input ${i}`));
  if (ts.some((t) => t.dtype !== dtype)) throw nodeError(node, 'all inputs must have the same dtype');
  // Expand ellipses into labels '0', '1', ... right-aligned across operands.
  const ell = ts.map((t, i) => {
    const letters = a.inputs[i].filter((l) => l !== '...').length;
    const e = t.shape.length - letters;
    if (e < 0 || (e > 0 && !a.inputs[i].includes('...'))) {
      throw nodeError(node, `input ${i} has shape ${shapeStr(t.shape)}, which does not match term '${a.inputs[i].join('')}'`);
    }
    return e;
  });
  const E = Math.max(0, ...ell);
  const ellLabels = (count: number): string[] => Array.from({ length: count }, (_, j) => String(E - count + j));
  const opLabels = a.inputs.map((term, i) => term.flatMap((l) => (l === '...' ? ellLabels(ell[i]) : [l])));
  const size = new Map<string, number>();
  opLabels.forEach((ls, i) => ls.forEach((l, d) => {
    const s = ts[i].shape[d];
    const prev = size.get(l);
    if (prev === undefined || prev === 1) size.set(l, s);
    else if (s !== 1 && s !== prev) throw nodeError(node, `label '${l}' has sizes ${prev} and ${s}`);
  }));
  let outLabels: string[];
  if (a.output) {
    outLabels = a.output.flatMap((l) => (l === '...' ? ellLabels(E) : [l]));
    for (const l of outLabels) if (!size.has(l)) throw nodeError(node, `output label '${l}' does not appear in any input`);
    if (new Set(outLabels).size !== outLabels.length) throw nodeError(node, 'output labels must be unique');
  } else {
    const count = new Map<string, number>();
    for (const term of a.inputs) for (const l of term) if (l !== '...') count.set(l, (count.get(l) ?? 0) + 1);
    const once = [...count.keys()].filter((l) => count.get(l) === 1).sort();
    outLabels = [...ellLabels(E), ...once];
  }
  const outShape = outLabels.map((l) => size.get(l) as number);
  const operands = ts.map((t, i) => ({ data: datas[i], shape: t.shape, labels: opLabels[i] }));
  const result = contract(operands, outLabels, size);
  const y = ctx.alloc(dtype, outShape) as Float32Array | Float64Array;
  y.set(result);
  return [makeTensor(dtype === DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT, outShape, y)];
}

interface LabeledOperand { data: Float32Array | Float64Array; shape: readonly number[]; labels: string[] }

/** Strides of an operand per label of `all` (summed for repeated labels, 0 for broadcast or absent). */
function stridesFor(op: LabeledOperand, all: string[], size: Map<string, number>): number[] {
  const st = new Array<number>(all.length).fill(0);
  let s = 1;
  for (let d = op.shape.length - 1; d >= 0; d--) {
    const l = op.labels[d];
    if (!(op.shape[d] === 1 && (size.get(l) as number) !== 1)) st[all.indexOf(l)] += s;
    s *= op.shape[d];
  }
  return st;
}

/** Runs the general loop for `ops` producing labels `outLabels` (float64 result). */
function loop(ops: LabeledOperand[], outLabels: string[], size: Map<string, number>): Float64Array {
  const all = [...outLabels];
  for (const op of ops) for (const l of op.labels) if (!all.includes(l)) all.push(l);
  const sizes = all.map((l) => size.get(l) as number);
  const outStrides = new Array<number>(all.length).fill(0);
  let s = 1;
  for (let i = outLabels.length - 1; i >= 0; i--) { outStrides[i] = s; s *= sizes[i]; }
  const out = new Float64Array(s);
  const strided: StridedOperand[] = ops.map((op) => ({ data: op.data, strides: stridesFor(op, all, size) }));
  einsumLoop(sizes, strided, outStrides, out);
  return out;
}

function contract(ops: LabeledOperand[], outLabels: string[], size: Map<string, number>): Float64Array {
  if (ops.length !== 2) return loop(ops, outLabels, size);
  const [A, B] = ops;
  const inA = new Set(A.labels), inB = new Set(B.labels), inOut = new Set(outLabels);
  const batch = [...inA].filter((l) => inB.has(l) && inOut.has(l));
  const con = [...inA].filter((l) => inB.has(l) && !inOut.has(l));
  const left = [...inA].filter((l) => !inB.has(l) && inOut.has(l));
  const right = [...inB].filter((l) => !inA.has(l) && inOut.has(l));
  const prod = (ls: string[]): number => ls.reduce((p, l) => p * (size.get(l) as number), 1);
  const nb = prod(batch), M = prod(left), K = prod(con), N = prod(right);
  if (con.length === 0 || nb * M * N * K < 4096) return loop(ops, outLabels, size);
  const a = loop([A], [...batch, ...left, ...con], size);
  const b = loop([B], [...batch, ...con, ...right], size);
  const r = new Float64Array(nb * M * N);
  for (let t = 0; t < nb; t++) gemm(false, false, M, N, K, 1, a, t * M * K, K, b, t * K * N, N, 0, r, t * M * N, N);
  const rl = [...batch, ...left, ...right];
  const rOp: LabeledOperand = { data: r, shape: rl.map((l) => size.get(l) as number), labels: rl };
  return loop([rOp], outLabels, size);
}

/** Einsum from opset 12. */
export const einsum: OpDef<EinsumAttrs> = { domain: '', opType: 'Einsum', since: 12, parse, run };
