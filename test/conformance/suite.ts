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
import { makeTensor, Tensor } from '../../src/runtime/tensor';

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
        if (fs.existsSync(file)) feeds[inp.name] = readTensor(file, inp.type);
      });
      const got = session.runSync(feeds, { signal: deadline(opts.timeoutMs ?? 60_000) });
      for (let i = 0; i < model.graph.outputs.length; i++) {
        const out = model.graph.outputs[i];
        const file = path.join(setDir, `output_${i}.pb`);
        if (!fs.existsSync(file)) continue;
        const want = readTensor(file, out.type);
        const tol = { ...DEFAULT_TOLERANCE, ...TOLERANCES[name] };
        const diff = random ? compareTypeAndShape(want, got[out.name]) : compareTensors(want, got[out.name], tol.rtol, tol.atol).mismatch;
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

/** A tensor from a .pb value file; other value kinds (sequence, optional, map) are unsupported. */
function readTensor(file: string, type: TypeInfo | undefined): Tensor {
  const v = loadValueFile(file, type);
  if (v.kind !== 'tensor') throw new UnsupportedError([], [`${v.kind} values (${path.basename(file)})`]);
  return makeTensor(v.tensor.dataType, v.tensor.dims, tensorValues(v.tensor));
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
