// `relu-doctor run MODEL --inputs PATH|random [--outputs DIR] [--format pb|npy] [--compare]
// [--repeat N] [--threads T] [--json]`: runs a model on the built-in executor with inputs from an
// ONNX test-data folder (input_N.pb), a .npy or a .npz file, or seeded random values; writes the
// outputs, prints them, compares them with the output_N.pb beside the inputs, or times N runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataType, Model, OnnxTensor, TypeInfo } from '../onnx/ir';
import { dtypeName } from '../onnx/dtype';
import { loadModel, loadValueFile } from '../onnx/load';
import { tensorValues } from '../onnx/tensor-data';
import { encodeTensor } from '../onnx/write';
import { loadNpy, encodeNpy } from '../data/npy';
import { loadNpz } from '../data/npz';
import { compareTensors } from '../runtime/compare';
import { createSession } from '../runtime/executor';
import { makeTensor, Tensor } from '../runtime/tensor';
import { parseCommand } from './args';
import { randomFeeds, timeSession } from './run-timing';
import { safe } from './format';
import { UsageError } from './errors';

export const RUN_USAGE = 'relu-doctor run MODEL --inputs PATH|random [--dim k=v]... [--seed S] [--outputs DIR] [--format pb|npy] [--compare] [--repeat N] [--threads T] [--json]';

/** Most timed runs `--repeat` accepts. */
const MAX_REPEAT = 100000;

/** Runs `run`; returns the exit code (1 when --compare finds a mismatch). Errors propagate to main.ts. */
export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('run', argv, {
    inputs: { type: 'string' },
    outputs: { type: 'string' },
    format: { type: 'string' },
    compare: { type: 'boolean' },
    repeat: { type: 'string' },
    threads: { type: 'string' },
    json: { type: 'boolean' },
    dim: { type: 'string', multiple: true },
    seed: { type: 'string' },
  }, { min: 1, max: 1, usage: RUN_USAGE });
  if (!values.inputs) throw new UsageError(`run: --inputs PATH is required (usage: ${RUN_USAGE})`);
  const format = values.format ?? 'pb';
  if (format !== 'pb' && format !== 'npy') throw new UsageError(`run: --format must be pb or npy, got "${format}"`);
  if (values.format && !values.outputs) throw new UsageError('run: --format needs --outputs DIR');
  const random = values.inputs === 'random';
  if (!random && (values.dim || values.seed !== undefined)) throw new UsageError('run: --dim and --seed apply to --inputs random only');
  if (random && values.compare) throw new UsageError('run: --compare needs expected outputs beside real inputs, not --inputs random');
  const repeat = values.repeat === undefined ? undefined : integer('repeat', values.repeat, 1, MAX_REPEAT);
  const threads = values.threads === undefined ? 1 : integer('threads', values.threads, 1, 1024);
  if (values.threads !== undefined && repeat === undefined) throw new UsageError('run: --threads applies to timed runs; add --repeat N');
  if (threads !== 1) {
    throw new UsageError(`run: --threads ${threads}: the executor runs each model on one thread (no intra-op threads yet); use --threads 1, or run many samples in parallel with relu-doctor analyze --workers N`);
  }
  if (values.json && repeat === undefined) throw new UsageError('run: --json prints timings; add --repeat N');
  if (values.json && (values.outputs || values.compare)) throw new UsageError('run: --json prints only the timing; drop --outputs / --compare, or run them separately');
  const dims = dimPairs(values.dim);
  const seed = values.seed === undefined ? 0 : integer('seed', values.seed, 0, 2 ** 32 - 1);
  const model = loadModel(path.resolve(positionals[0]));
  // No observer here: every plan-time fusion applies (src/runtime/fuse.ts).
  const session = createSession(model, { fusion: {} });
  const notes: string[] = [];
  const { feeds, folder, inputFiles } = random
    ? { feeds: randomFeeds(model, dims, seed, notes), folder: '', inputFiles: [] }
    : readInputs(model, path.resolve(values.inputs));
  for (const n of notes) process.stderr.write(`note: ${n}\n`);
  const names = model.graph.outputs.map((o) => o.name);
  const outDir = values.outputs ? path.resolve(values.outputs) : undefined;
  if (outDir) checkOutputFolder(outDir, names.length, format, folder, inputFiles);
  let outputs: Record<string, Tensor>;
  if (repeat !== undefined) {
    const r = timeSession(session, feeds, repeat);
    outputs = r.outputs;
    const t = r.timing;
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ medianMs: t.medianMs, minMs: t.minMs, maxMs: t.maxMs, threads: t.threads })}\n`);
      return 0;
    }
    process.stdout.write(`${repeat} run${repeat === 1 ? '' : 's'} after 1 warm-up, ${t.threads} thread: median ${fmtMs(t.medianMs)} ms, min ${fmtMs(t.minMs)} ms, max ${fmtMs(t.maxMs)} ms per run\n`);
  } else {
    outputs = await session.run(feeds);
  }
  if (outDir) writeOutputs(outDir, names, outputs, format);
  if (values.compare) return compareOutputs(model, names, outputs, folder);
  if (!values.outputs && repeat === undefined) for (const n of names) process.stdout.write(`${describe(n, outputs[n])}\n`);
  return 0;
}

/** An integer flag value within [lo, hi], or a UsageError naming the flag. */
function integer(flag: string, v: string, lo: number, hi: number): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isInteger(x) || x < lo || x > hi) throw new UsageError(`run: --${flag} takes an integer from ${lo} to ${hi}, got "${v}"`);
  return x;
}

/** `--dim NAME=N` pairs (N ≥ 1). */
function dimPairs(list: string[] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of list ?? []) {
    const eq = item.lastIndexOf('=');
    const x = Number(item.slice(eq + 1));
    if (eq <= 0 || item.slice(eq + 1).trim() === '' || !Number.isInteger(x) || x < 1) throw new UsageError(`run: --dim takes NAME=N with N ≥ 1, got "${item}"`);
    out[item.slice(0, eq)] = x;
  }
  return out;
}

function fmtMs(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

interface Inputs {
  feeds: Record<string, Tensor>;
  /** The folder the inputs came from (where --compare looks for output_N.pb). */
  folder: string;
  /** Absolute paths of every file read as input (never overwritten). */
  inputFiles: string[];
}

/** The inputs that must be fed, in graph order (inputs with an initializer are optional). */
function requiredInputs(model: Model): Array<{ name: string; type?: TypeInfo }> {
  const inits = new Set(model.graph.initializers.map((t) => t.name));
  return model.graph.inputs.filter((i) => !inits.has(i.name)).map((i) => ({ name: i.name, type: i.type }));
}

function readInputs(model: Model, p: string): Inputs {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    throw new Error(`${p}: no such file or folder (--inputs takes a test-data folder, a .npy or a .npz file)`);
  }
  const required = requiredInputs(model);
  if (stat.isDirectory()) {
    const feeds: Record<string, Tensor> = {};
    const files: string[] = [];
    required.forEach((inp, i) => {
      const file = path.join(p, `input_${i}.pb`);
      if (!fs.existsSync(file)) return;
      const v = loadValueFile(file, inp.type);
      if (v.kind !== 'tensor') throw new Error(`${file}: ${v.kind} values are not supported as inputs`);
      feeds[inp.name] = tensorOf(v.tensor);
      files.push(file);
    });
    if (files.length === 0) throw new Error(`${p}: no input_N.pb files (the model's inputs are ${required.map((r) => safe(r.name)).join(', ') || 'none'})`);
    return { feeds, folder: p, inputFiles: files };
  }
  if (p.endsWith('.npy')) {
    if (required.length !== 1) {
      throw new Error(`${p}: a .npy file feeds one input, but the model needs ${required.length} (${required.map((r) => safe(r.name)).join(', ')}); use a .npz with one array per input name`);
    }
    return { feeds: { [required[0].name]: loadNpy(p) }, folder: path.dirname(p), inputFiles: [p] };
  }
  if (p.endsWith('.npz')) return { feeds: loadNpz(p), folder: path.dirname(p), inputFiles: [p] };
  throw new Error(`${p}: unknown input format (use a folder of input_N.pb files, a .npy or a .npz file)`);
}

function tensorOf(t: OnnxTensor): Tensor {
  return makeTensor(t.dataType, t.dims, tensorValues(t));
}

/** Refuses (before running) an output folder where writing would overwrite an input or the expected outputs. */
function checkOutputFolder(dir: string, count: number, format: string, folder: string, inputFiles: string[]): void {
  const files = Array.from({ length: count }, (_, i) => path.join(dir, `output_${i}.${format}`));
  if (format === 'pb' && real(dir) === real(folder) && files.some((f) => fs.existsSync(f))) {
    throw new UsageError(`run: --outputs ${dir} holds the expected output_N.pb of these inputs; choose another folder`);
  }
  const protect = new Set(inputFiles.map(real));
  for (const f of files) {
    if (protect.has(real(f))) throw new UsageError(`run: refusing to overwrite the input file ${f}; choose another --outputs folder`);
  }
}

/** Writes output_N.pb or output_N.npy into `dir`. */
function writeOutputs(dir: string, names: string[], outputs: Record<string, Tensor>, format: string): void {
  fs.mkdirSync(dir, { recursive: true });
  names.forEach((name, i) => {
    const file = path.join(dir, `output_${i}.${format}`);
    const t = outputs[name];
    fs.writeFileSync(file, format === 'npy' ? encodeNpy(t) : encodeTensor(toProto(name, t)));
    process.stdout.write(`${file}: ${describe(name, t, false)}\n`);
  });
}

function real(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** A TensorProto for a runtime tensor: raw little-endian bytes, typed fields for strings and sub-byte types. */
export function toProto(name: string, t: Tensor): OnnxTensor {
  const base = { name, dataType: t.dtype, dims: t.shape.slice(), docString: '' };
  const sub = t.dtype === DataType.INT4 || t.dtype === DataType.UINT4 || t.dtype === DataType.FLOAT4E2M1 || t.dtype === DataType.INT2 || t.dtype === DataType.UINT2;
  if (Array.isArray(t.data) || sub) return { ...base, storage: { kind: 'fields', values: t.data } };
  const d = t.data as Exclude<typeof t.data, string[]>;
  return { ...base, storage: { kind: 'raw', bytes: new Uint8Array(d.buffer, d.byteOffset, d.byteLength) } };
}

/** Compares each output with output_N.pb in `folder`; prints max abs/rel error per output. */
function compareOutputs(model: Model, names: string[], outputs: Record<string, Tensor>, folder: string): number {
  let bad = 0;
  let compared = 0;
  names.forEach((name, i) => {
    const file = path.join(folder, `output_${i}.pb`);
    if (!fs.existsSync(file)) {
      process.stdout.write(`output ${i} "${safe(name)}": no ${file} to compare with\n`);
      return;
    }
    const v = loadValueFile(file, model.graph.outputs[i].type);
    if (v.kind !== 'tensor') throw new Error(`${file}: ${v.kind} values cannot be compared`);
    const c = compareTensors(tensorOf(v.tensor), outputs[name]);
    compared++;
    const stats = `max abs err ${fmt(c.maxAbs)}, max rel err ${fmt(c.maxRel)}`;
    if (c.mismatch) {
      bad++;
      process.stdout.write(`output ${i} "${safe(name)}": MISMATCH ${c.mismatch}\n`);
    } else {
      process.stdout.write(`output ${i} "${safe(name)}": ok (${stats})\n`);
    }
  });
  if (compared === 0) throw new Error(`${folder}: no output_N.pb files to compare with`);
  process.stdout.write(bad ? `${bad} of ${compared} outputs differ beyond rtol 1e-3, atol 1e-7\n` : `all ${compared} outputs match (rtol 1e-3, atol 1e-7)\n`);
  return bad ? 1 : 0;
}

function fmt(x: number): string {
  return Number.isNaN(x) ? '-' : x === 0 ? '0' : x.toExponential(2);
}

/** `name: float [1,10] min … max … mean …` and, with `values`, the first few values. */
function describe(name: string, t: Tensor, values = true): string {
  const head = `${safe(name)}: ${dtypeName(t.dtype)} [${t.shape.join(',')}]`;
  const d = t.data;
  if (Array.isArray(d)) return `${head}${values ? ` ${JSON.stringify(d.slice(0, 8).map(safe))}` : ''}`;
  const n = d.length;
  if (n === 0) return `${head} (empty)`;
  const nums = d instanceof BigInt64Array || d instanceof BigUint64Array ? Array.from(d.subarray(0, 8), String) : Array.from(d.subarray(0, 8), (x) => fmtValue(Number(x)));
  if (t.dtype !== DataType.FLOAT && t.dtype !== DataType.DOUBLE) return `${head}${values ? ` ${nums.join(' ')}${n > 8 ? ' …' : ''}` : ''}`;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  const f = d as Float32Array | Float64Array;
  for (let i = 0; i < n; i++) {
    const x = f[i];
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  const stats = ` min ${fmtValue(min)} max ${fmtValue(max)} mean ${fmtValue(sum / n)}`;
  return `${head}${stats}${values ? `\n  ${nums.join(' ')}${n > 8 ? ' …' : ''}` : ''}`;
}

function fmtValue(x: number): string {
  return String(Number(x.toPrecision(6)));
}
