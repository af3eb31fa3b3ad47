// The ONNX conformance suite as a library: finds the cases, runs one case on our executor and
// compares every output with ONNX's rules (rtol 1e-3, atol 1e-7 unless the table below says more).
// A case is unsupported when planning lists a missing op or a node throws an `unsupported` refusal.
// Used by scripts/conformance.ts (CLI, one worker thread per case stream) and conformance.test.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Model, TypeInfo } from '../../src/onnx/ir';
import { loadModel, loadValueFile } from '../../src/onnx/load';
import { tensorValues } from '../../src/onnx/tensor-data';
import { compareTensors, DEFAULT_ATOL, DEFAULT_RTOL } from '../../src/runtime/compare';
import { isUnsupported, UnsupportedError } from '../../src/runtime/errors';
import { createSession } from '../../src/runtime/executor';
import { isTensor, makeTensor, Tensor, Value } from '../../src/runtime/tensor';
import type { OnnxValue } from '../../src/onnx/value-file';

/** The suite folder: $ONNX_BACKEND_DIR, else ../shared/onnx-backend-node beside the repository. */
export function suiteDir(): string {
  return process.env.ONNX_BACKEND_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'onnx-backend-node');
}

/** Case folder names (test_*), sorted, optionally filtered by a regular expression. */
export function listCases(dir: string, filter?: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name.startsWith('test_') && (!filter || filter.test(e.name)))
    .map((e) => e.name)
    .sort();
}

/** ONNX's default tolerances for node tests (onnx/backend/test/case/node/__init__.py). */
export const DEFAULT_TOLERANCE = { rtol: DEFAULT_RTOL, atol: DEFAULT_ATOL } as const;

/**
 * Cases ONNX's own reference backend runs with looser tolerances, and why
 * (onnx/onnx tests/python/backend_reference_test.py, `test_kwargs`).
 */
export const TOLERANCES: Record<string, { rtol?: number; atol?: number; reason: string }> = {
  test_dft: { atol: 1e-6, reason: 'FFT round-off; ONNX uses atol 1e-6 on Linux' },
  test_dft_axis: { atol: 1e-6, reason: 'FFT round-off; ONNX uses atol 1e-6 on Linux' },
  test_dft_axis_opset19: { atol: 1e-6, reason: 'FFT round-off; ONNX uses atol 1e-6 on Linux' },
  test_dft_inverse: { atol: 1e-6, reason: 'FFT round-off; ONNX uses atol 1e-6 on Linux' },
  test_dft_inverse_opset19: { atol: 1e-6, reason: 'FFT round-off; ONNX uses atol 1e-6 on Linux' },
  test_dft_opset19: { atol: 1e-6, reason: 'FFT round-off; ONNX uses atol 1e-6 on Linux' },
  test_celu_bfloat16_expanded: { rtol: 1e-2, atol: 1e-2, reason: 'the function body rounds every step to bfloat16 (1 ULP drift)' },
};

/**
 * Ops whose outputs are random draws. ONNX's expected outputs for their cases are one particular
 * draw of numpy's generator, so (as ONNX's own backend tests do for these ops) only the dtype and
 * shape of a case's outputs are compared when its model contains one of them.
 */
export const RANDOM_OPS = new Set(['Bernoulli', 'RandomNormal', 'RandomNormalLike', 'RandomUniform', 'RandomUniformLike', 'Multinomial']);

/** The outcome of one case. */
export interface CaseResult {
  readonly name: string;
  /** The op the case tests (the single node's op; for *_expanded cases, the op of the unexpanded case). */
  readonly op: string;
  readonly status: 'passed' | 'failed' | 'unsupported';
  /** For unsupported cases: 'op' when an op (or value type) is missing, 'refused' when an op refuses the variant. */
  readonly unsupported?: 'op' | 'refused';
  readonly message?: string;
  readonly ms: number;
}

/** A signal that reads as aborted once `ms` have passed (checked by the executor between nodes). */
export function deadline(ms: number): { readonly aborted: boolean; readonly reason: string } {
  const end = Date.now() + ms;
  return { get aborted() { return Date.now() > end; }, reason: `time limit of ${ms / 1000}s exceeded` };
}

/** Runs one case folder; never throws. */
export function runCase(dir: string, name: string, opts: { timeoutMs?: number } = {}): CaseResult {
  const t0 = Date.now();
  let op = '?';
  const done = (status: CaseResult['status'], message?: string, kind?: CaseResult['unsupported']): CaseResult =>
    ({ name, op, status, message, ms: Date.now() - t0, ...(kind ? { unsupported: kind } : {}) });
  try {
    const caseDir = path.join(dir, name);
    const model = loadModel(path.join(caseDir, 'model.onnx'));
    op = caseOp(dir, name, model);
    const session = createSession(model, { maxTensorBytes: 1024 ** 3 });
    const random = model.graph.nodes.some((n) => (n.domain === '' || n.domain === 'ai.onnx') && RANDOM_OPS.has(n.opType));
    const sets = fs.readdirSync(caseDir).filter((d) => d.startsWith('test_data_set_')).sort();
    for (const set of sets) {
      const setDir = path.join(caseDir, set);
      const feeds: Record<string, Tensor> = {};
      // input_N.pb feeds the N-th graph input that has no initializer (as ONNX's runner does).
      const inits = new Set(model.graph.initializers.map((t) => t.name));
      model.graph.inputs.filter((inp) => !inits.has(inp.name)).forEach((inp, i) => {
        const file = path.join(setDir, `input_${i}.pb`);
        // Sequences and optionals travel as the executor's values (typed as tensors in the feed map).
        if (fs.existsSync(file)) feeds[inp.name] = readValue(file, inp.type) as Tensor;
      });
      const got = session.runSync(feeds, { signal: deadline(opts.timeoutMs ?? 60_000) });
      for (let i = 0; i < model.graph.outputs.length; i++) {
        const out = model.graph.outputs[i];
        const file = path.join(setDir, `output_${i}.pb`);
        if (!fs.existsSync(file)) continue;
        const want = readValue(file, out.type);
        const tol = { ...DEFAULT_TOLERANCE, ...TOLERANCES[name] };
        const diff = compareValues(want, got[out.name] as Value | undefined, (w, g) => (random ? compareTypeAndShape(w, g) : compareTensors(w, g, tol.rtol, tol.atol).mismatch));
        if (diff) return done('failed', `${set} output ${i} ("${out.name}"): ${diff}`);
      }
    }
    return done('passed');
  } catch (err) {
    // Missing ops, and variants an op refuses (at plan or run time), count as unsupported.
    if (isUnsupported(err)) {
      const missing = err instanceof UnsupportedError && (err.ops.length > 0 || err.other.length > 0);
      return done('unsupported', err instanceof Error ? err.message : String(err), missing ? 'op' : 'refused');
    }
    return done('failed', err instanceof Error ? err.message : String(err));
  }
}

/** For random outputs: the same dtype and shape, or a description of the difference. */
function compareTypeAndShape(want: Tensor, got: Tensor | undefined): string | undefined {
  if (!got) return 'output missing';
  if (got.dtype !== want.dtype) return `dtype ${got.dtype}, expected ${want.dtype}`;
  if (got.shape.join(',') !== want.shape.join(',')) return `shape [${got.shape.join(',')}], expected [${want.shape.join(',')}]`;
  return undefined;
}

/** A value from a .pb file: a tensor, a sequence of tensors or an optional; maps and sparse tensors are unsupported. */
function readValue(file: string, type: TypeInfo | undefined): Value {
  return toValue(loadValueFile(file, type), type, file);
}

function toValue(v: OnnxValue, type: TypeInfo | undefined, file: string): Value {
  if (v.kind === 'tensor') return makeTensor(v.tensor.dataType, v.tensor.dims, tensorValues(v.tensor));
  if (v.kind === 'sequence') {
    const elemType = type?.kind === 'sequence' ? type.elem : undefined;
    const items = v.elems.map((e) => {
      const t = toValue(e, elemType, file);
      if (!isTensor(t)) throw new UnsupportedError([], [`sequences of ${t.kind} values (${path.basename(file)})`]);
      return t;
    });
    const declared = elemType?.kind === 'tensor' ? elemType.elemType : undefined;
    return { kind: 'sequence', elemType: declared ?? items[0]?.dtype ?? 1, items };
  }
  if (v.kind === 'optional') {
    const inner = type?.kind === 'optional' ? type.elem : undefined;
    const value = v.value ? toValue(v.value, inner, file) : undefined;
    if (value && !isTensor(value) && value.kind === 'optional') throw new UnsupportedError([], [`nested optionals (${path.basename(file)})`]);
    return { kind: 'optional', value: value as Tensor | undefined };
  }
  throw new UnsupportedError([], [`${v.kind} values (${path.basename(file)})`]);
}

/** Compares two values kind by kind, tensors with `tensors`; a description of the first difference. */
function compareValues(want: Value, got: Value | undefined, tensors: (w: Tensor, g: Tensor) => string | undefined): string | undefined {
  if (!got) return 'output missing';
  if (isTensor(want)) return isTensor(got) ? tensors(want, got) : `a ${got.kind}, expected a tensor`;
  if (isTensor(got) || got.kind !== want.kind) return `a ${isTensor(got) ? 'tensor' : got.kind}, expected a ${want.kind}`;
  if (want.kind === 'sequence' && got.kind === 'sequence') {
    if (got.items.length !== want.items.length) return `a sequence of ${got.items.length}, expected ${want.items.length}`;
    for (let i = 0; i < want.items.length; i++) {
      const d = tensors(want.items[i], got.items[i]);
      if (d) return `item ${i}: ${d}`;
    }
    return undefined;
  }
  if (want.kind === 'optional' && got.kind === 'optional') {
    if (!want.value || !got.value) return want.value || got.value ? `optional ${got.value ? 'holds a value' : 'is empty'}, expected ${want.value ? 'a value' : 'empty'}` : undefined;
    return compareValues(want.value, got.value, tensors);
  }
  return undefined;
}

/** The op a case tests: its single node's op, or for `*_expanded` cases the op of the unexpanded case. */
function caseOp(dir: string, name: string, model: Model): string {
  const nodes = model.graph.nodes;
  const m = /^(.*)_expanded(_ver\d+)?$/.exec(name);
  if (m) {
    try {
      const base = loadModel(path.join(dir, m[1], 'model.onnx'));
      if (base.graph.nodes.length === 1) return qualified(base.graph.nodes[0].domain, base.graph.nodes[0].opType);
    } catch {
      // fall through to this model's own nodes
    }
  }
  if (nodes.length === 1) return qualified(nodes[0].domain, nodes[0].opType);
  const types = [...new Set(nodes.map((n) => qualified(n.domain, n.opType)))];
  return types.length === 1 ? types[0] : `(model: ${types.slice(0, 3).join('+')}${types.length > 3 ? '+…' : ''})`;
}

function qualified(domain: string, opType: string): string {
  return domain && domain !== 'ai.onnx' ? `${domain}.${opType}` : opType;
}
