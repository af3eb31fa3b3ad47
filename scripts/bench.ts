// `npm run bench [-- --quick] [--model NAME[,NAME…]] [--no-analysis] [--samples N]`: builds the
// bundles (analysis workers start from dist/worker.js, as the CLI's do), builds the
// bench models in code, times ReLU Doctor's executor, onnxruntime-node and onnxruntime-web (1 thread
// and all cores) on each in separate child processes, runs an activation analysis of N samples
// (1 worker and all cores) against a plain run, and writes bench-results/<timestamp>.json and
// latest.json, printing the comparison with the previous latest.json.
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadModel } from '../src/onnx/load';
import type { AnalysisResult, OverheadResult } from './bench/analysis';
import type { ChildJob } from './bench/child';
import { RunPlan, TimingResult, weightBytes } from './bench/engines';
import { BENCH_MODELS, benchModel, writeBenchModel } from './bench/models';
import { compareLines, EngineRow, maxAbsDiff, mib, modelTable, ModelResult, ms, ratios, summarize } from './bench/report';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench-results');

let childCount = 0;

/** Runs one child job; resolves to its JSON result or rejects with its one-line error. */
function child<T>(job: ChildJob): Promise<T> {
  const out = path.join(os.tmpdir(), `relu-doctor-bench-${process.pid}-${childCount++}.json`);
  const args = ['-r', path.join(ROOT, 'test', 'register-ts.js'), path.join(__dirname, 'bench', 'child.ts'), JSON.stringify(job), out];
  return new Promise((resolve, reject) => {
    // Analysis workers start from the built bundle, as the CLI's do (main() builds it first).
    const env = { ...process.env, RELU_DOCTOR_WORKER_SCRIPT: path.join(ROOT, 'dist', 'worker.js') };
    execFile(process.execPath, args, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (err, _stdout, stderr) => {
      let text: string | undefined;
      try { text = fs.readFileSync(out, 'utf8'); fs.rmSync(out); } catch { text = undefined; }
      if (err || !text) reject(new Error((stderr.trim().split('\n').pop() ?? '') || (err ? err.message : 'no result')));
      else resolve(JSON.parse(text) as T);
    });
  });
}

function log(s: string): void {
  process.stdout.write(`${s}\n`);
}

async function benchOne(name: string, quick: boolean, plan: RunPlan, cores: number): Promise<ModelResult> {
  const m = benchModel(name);
  const t0 = performance.now();
  const { file, bytes, built } = writeBenchModel(m, quick, path.join(OUT, 'models'));
  const model = loadModel(file);
  log(`\n${name}: ${built ? 'built' : 'reused (builders unchanged)'} ${path.relative(ROOT, file)} (${mib(bytes)}) in ${ms(performance.now() - t0)} ms`);
  const engines: Array<{ engine: 'ours' | 'ort-node' | 'ort-web'; threads: number }> = [{ engine: 'ours', threads: 1 }];
  for (const e of ['ort-node', 'ort-web'] as const) {
    engines.push({ engine: e, threads: 1 });
    if (cores > 1) engines.push({ engine: e, threads: cores });
  }
  const rows: EngineRow[] = [];
  let oursOut: number[] | undefined;
  for (const { engine, threads } of engines) {
    const label = `${engine}-${threads}t`;
    try {
      const r = await child<TimingResult>({ kind: 'time', engine, file, threads, plan });
      if (engine === 'ours') oursOut = r.output;
      const row: EngineRow = { label, engine, threads, loadMs: r.loadMs, ...summarize(r.timesMs) };
      if (engine !== 'ours' && oursOut) row.maxAbsDiff = maxAbsDiff(oursOut, r.output);
      rows.push(row);
      log(`  ${label.padEnd(13)} median ${ms(row.medianMs)} ms (min ${ms(row.minMs)}, max ${ms(row.maxMs)}, ${row.runs} runs)`);
    } catch (err) {
      rows.push({ label, engine, threads, loadMs: NaN, medianMs: NaN, minMs: NaN, maxMs: NaN, runs: 0, error: (err as Error).message });
      log(`  ${label.padEnd(13)} failed: ${(err as Error).message}`);
    }
  }
  let live: ModelResult['live'];
  try {
    live = await child<NonNullable<ModelResult['live']>>({ kind: 'live', file });
  } catch (err) {
    log(`  live intermediates: failed: ${(err as Error).message}`);
  }
  return { name, describe: m.describe(quick), fileBytes: bytes, weightBytes: weightBytes(model), live, engines: rows, ratios: ratios(rows) };
}

/** The analysis section: N samples analysed with 1 worker and all cores, a plain run of the same samples, and the interleaved overhead. */
async function benchAnalysis(name: string, quick: boolean, samples: number, cores: number, result: ModelResult | undefined) {
  const file = path.join(OUT, 'models', `${name}${quick ? '-quick' : ''}.onnx`);
  log(`\nanalysis of ${samples} samples of ${name}${quick ? ' (quick size)' : ''} (seeded random inputs, batch 1, proofs off):`);
  const cases: Array<{ kind: 'plain' | 'analysis'; workers: number }> = [{ kind: 'plain', workers: 1 }, { kind: 'analysis', workers: 1 }];
  if (cores > 1) cases.push({ kind: 'analysis', workers: cores });
  const runs: Array<AnalysisResult | { kind: string; workers: number; error: string }> = [];
  for (const c of cases) {
    try {
      const r = await child<AnalysisResult>({ kind: c.kind, file, samples, workers: c.workers });
      runs.push(r);
      log(`  ${`${c.kind} ${c.workers}w`.padEnd(12)} ${r.samplesPerSecond.toFixed(2)} samples/s (run ${ms(r.runMs)} ms, wall ${ms(r.wallMs)} ms, CPU ${ms(r.cpuMs)} ms, load ${r.loadAverage.map((x) => x.toFixed(1)).join('→')}), peak RSS ${mib(r.maxRss)} (at start ${mib(r.baselineRss)})`);
    } catch (err) {
      runs.push({ ...c, error: (err as Error).message });
      log(`  ${c.kind} ${c.workers}w failed: ${(err as Error).message}`);
    }
  }
  let interleaved: OverheadResult | undefined;
  try {
    interleaved = await child<OverheadResult>({ kind: 'overhead', file, samples });
    log(`  interleaved   ${samples} samples: plain (all fusions) ${ms(interleaved.plainMs)} ms, the analysis's plan ${ms(interleaved.unobservedMs)} ms, observed (${interleaved.sites} ReLU sites) ${ms(interleaved.observedMs)} ms`);
  } catch (err) {
    log(`  interleaved overhead failed: ${(err as Error).message}`);
  }
  const ok = (k: string, w: number): AnalysisResult | undefined => runs.find((r): r is AnalysisResult => r.kind === k && r.workers === w && !('error' in r));
  const plain = ok('plain', 1);
  const one = ok('analysis', 1);
  const all = cores > 1 ? ok('analysis', cores) : one;
  const speedup = one && all ? all.samplesPerSecond / one.samplesPerSecond : undefined;
  const overheadSequential = one && plain ? one.runMs / plain.runMs - 1 : undefined;
  const weights = result?.weightBytes;
  const liveBytes = result?.live?.peakBytes;
  const memBar = weights !== undefined && liveBytes !== undefined ? weights + 3 * liveBytes : undefined;
  if (speedup !== undefined) log(`  speed-up ${cores} workers / 1 worker: ${speedup.toFixed(2)}× (bar ≥ 1.8×)`);
  if (interleaved) log(`  analysis overhead over a plain run (1 thread, interleaved): ${(interleaved.overhead * 100).toFixed(1)}% (bar ≤ 10%; against the faster of the fully fused plan and the analysis's own plan run unobserved; the observer alone ${(interleaved.observerOnly * 100).toFixed(1)}%)`);
  if (overheadSequential !== undefined) log(`  (sequential: analysis API 1w run ${ms(one!.runMs)} ms vs plain ${ms(plain!.runMs)} ms: ${(overheadSequential * 100).toFixed(1)}%, sensitive to other load)`);
  if (memBar !== undefined) {
    log(`  memory bar: weights ${mib(weights ?? 0)} + 3 × largest live set ${mib(liveBytes ?? 0)} = ${mib(memBar)}`);
    for (const r of new Set([one, all])) {
      if (!r) continue;
      const e = r.executorMemory;
      if (e) log(`  executor ${r.workers}w: weights ${mib(e.weightBytes)} + intermediates ${mib(e.intermediateBytes)} (peak, ${e.sessions} sessions) = ${mib(e.weightBytes + e.intermediateBytes)} (${e.weightBytes + e.intermediateBytes <= memBar ? 'within' : 'above'} the bar)`);
      log(`  process  ${r.workers}w: peak RSS ${mib(r.maxRss)}, ${mib(r.maxRss - r.baselineRss)} above the process at start (V8 heap, code and thread stacks included)`);
    }
  }
  const executor = (r: AnalysisResult | undefined): number | undefined => (r?.executorMemory ? r.executorMemory.weightBytes + r.executorMemory.intermediateBytes : undefined);
  return {
    model: name, quick, samples, runs, interleaved, speedup, overhead: interleaved?.overhead, overheadSequential,
    memory: { weights, liveBytes, bar: memBar, executor1w: executor(one), executorAll: executor(all), peakRss1w: one?.maxRss, peakRssAll: all?.maxRss },
  };
}

/** An installed package's version, from its package.json (some packages do not export that file). */
function packageVersion(name: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean' }, model: { type: 'string', multiple: true }, 'no-analysis': { type: 'boolean' }, samples: { type: 'string' } },
    strict: true,
  });
  const quick = !!values.quick;
  const names = values.model?.flatMap((m) => m.split(',')) ?? BENCH_MODELS.map((m) => m.name);
  names.forEach((n) => benchModel(n));
  const samples = values.samples ? Number(values.samples) : 64;
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`--samples takes a positive integer, got "${values.samples}"`);
  const cores = os.availableParallelism();
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const plan: RunPlan = quick ? { warmup: 1, min: 3, max: 10, budgetMs: 2000 } : { warmup: 2, min: 7, max: 25, budgetMs: 8000 };
  const started = new Date();
  const load0 = os.loadavg();
  log(`ReLU Doctor bench${quick ? ' (quick)' : ''}: ${os.cpus()[0]?.model ?? 'cpu'} × ${cores}, node ${process.version}, load average ${load0.map((x) => x.toFixed(2)).join(' ')}`);
  log(`runs per engine: ${plan.warmup} warm-up, then ${plan.min}–${plan.max} timed (stopping after ${plan.budgetMs / 1000} s once ${plan.min} are done)`);
  const models: ModelResult[] = [];
  for (const n of names) models.push(await benchOne(n, quick, plan, cores));
  const analysisModel = names.includes('resnet50') ? 'resnet50' : undefined;
  const analysis = !values['no-analysis'] && analysisModel ? await benchAnalysis(analysisModel, quick, samples, cores, models.find((m) => m.name === analysisModel)) : undefined;

  log('');
  for (const m of models) for (const l of modelTable(m)) log(l);
  const result = {
    timestamp: started.toISOString(), quick, durationS: Math.round((Date.now() - started.getTime()) / 1000),
    machine: { cpu: os.cpus()[0]?.model, cores, node: process.version, loadAverageStart: load0, loadAverageEnd: os.loadavg() },
    versions: { onnxruntimeNode: packageVersion('onnxruntime-node'), onnxruntimeWeb: packageVersion('onnxruntime-web') },
    plan, models, analysis,
  };
  fs.mkdirSync(OUT, { recursive: true });
  const latest = path.join(OUT, 'latest.json');
  let prev: { timestamp?: string; models?: ModelResult[] } | undefined;
  try { prev = JSON.parse(fs.readFileSync(latest, 'utf8')); } catch { prev = undefined; }
  const json = JSON.stringify(result, null, 1);
  const stamped = path.join(OUT, `${result.timestamp.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(stamped, json);
  fs.writeFileSync(latest, json);
  if (prev) { log(''); for (const l of compareLines(prev, models)) log(l); }
  log(`\nwrote ${path.relative(ROOT, stamped)} and ${path.relative(ROOT, latest)} (${result.durationS} s; load average at the end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')})`);
}

main().catch((err: Error) => {
  process.stderr.write(`bench: ${String(err.message).split('\n', 1)[0]}\n`);
  process.exitCode = 1;
});
