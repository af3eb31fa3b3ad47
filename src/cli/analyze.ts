// `relu-doctor analyze MODEL ...`: runs the dead-ReLU analysis and prints a per-layer table, or
// writes the JSON report, SARIF 2.1.0 and a self-contained HTML file; exits 3 past --fail-on-dead.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeModel, AnalyzeOptions } from '../analysis/analyze';
import { toHtml } from '../analysis/html';
import { maxDeadFraction, Report } from '../analysis/report';
import { toSarif } from '../analysis/sarif';
import { formatBytes } from '../runtime/memory';
import { parseCommand } from './args';
import { EXIT, UsageError } from './errors';
import { safe, table } from './format';

export const ANALYZE_USAGE =
  'relu-doctor analyze MODEL [--data PATH] [--samples N] [--seed S] [--dim k=v]... [--box lo,hi] [--tau T] [--unit-axis NODE=AXIS]... [--json FILE|-] [--sarif FILE] [--html FILE] [--fail-on-dead FRACTION] [--no-proofs] [--workers N] [--image-mean a,b,c] [--image-std a,b,c]';

function number(flag: string, v: string | undefined, check: (x: number) => boolean, what: string): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || !check(x)) throw new UsageError(`analyze: --${flag} must be ${what}, got "${v}"`);
  return x;
}

function pairs(flag: string, list: string[] | undefined, integer: (x: number) => boolean): Record<string, number> | undefined {
  if (!list?.length) return undefined;
  const out: Record<string, number> = {};
  for (const item of list) {
    const eq = item.lastIndexOf('=');
    const x = Number(item.slice(eq + 1));
    if (eq <= 0 || !Number.isInteger(x) || !integer(x)) throw new UsageError(`analyze: --${flag} takes NAME=INTEGER, got "${item}"`);
    out[item.slice(0, eq)] = x;
  }
  return out;
}

function list(flag: string, v: string | undefined, check: (x: number) => boolean): number[] | undefined {
  if (v === undefined) return undefined;
  const xs = v.split(',').map((p) => Number(p));
  if (xs.some((x, i) => v.split(',')[i].trim() === '' || !Number.isFinite(x) || !check(x))) throw new UsageError(`analyze: --${flag} takes comma-separated numbers (one per channel), got "${v}"`);
  return xs;
}

/** Same file, comparing real paths when both exist. */
function samePath(a: string, b: string): boolean {
  const ra = path.resolve(a);
  const rb = path.resolve(b);
  if (ra === rb) return true;
  try {
    return fs.realpathSync(ra) === fs.realpathSync(rb);
  } catch {
    return false;
  }
}

/** The human-readable per-layer table. */
export function reportText(r: Report): string {
  const out: string[] = [];
  if (r.samples.random) out.push('RANDOM INPUTS: results describe random inputs, not your data (pass --data PATH).');
  out.push(`${safe(r.model.path)}: ${r.samples.count} samples from ${safe(r.samples.source)}; ${r.totals.layers} ReLU layers, ${r.totals.units} units`);
  const rows = [['layer', 'op', 'units', 'dead', 'proven dead', 'dormant', 'sparsity', 'severity', 'main cause']];
  for (const l of r.layers) {
    const unseen = l.observation === 'none' || l.units === 0;
    const dead = l.observation === 'none' ? 'not observed' : l.units === 0 ? 'not reached' : `${l.dead.length} (${Math.round((l.dead.length / (l.units || 1)) * 100)}%)`;
    rows.push([
      safe(l.node),
      safe(l.op),
      String(l.units || '?'),
      dead,
      l.proofAvailable ? String(l.provenDead.length) : '-',
      String(l.dormant.length),
      unseen ? '-' : `${Math.round(l.sparsity * 100)}%`,
      l.severity,
      l.causes[0]?.id ?? '-',
    ]);
  }
  out.push(table(rows));
  const t = r.totals;
  out.push(`total: ${t.dead} dead, ${t.provenDead} proven dead, ${t.dormant} dormant, ${t.alwaysActive} always active of ${t.units} units`);
  for (const l of r.layers) {
    for (const c of l.causes.slice(0, 2)) out.push(`  ${safe(l.node)}: ${safe(c.message)} [remedies: ${c.remedies.join(', ')}]`);
  }
  if (r.nonDying.length) out.push(`non-dying activations: ${r.nonDying.map((n) => `${safe(n.node)} (${safe(n.op)})`).join(', ')}`);
  const m = r.timing.memory;
  const mem = m ? `; memory: weights ${formatBytes(m.weightBytes)} + ${formatBytes(m.intermediateBytes)} at peak for intermediates and kernel scratch (${m.sessions} ${m.sessions === 1 ? 'thread' : 'threads'})` : '';
  out.push(`time: ${r.timing.totalMs} ms (${r.timing.samplesPerSecond} samples/s)${mem}`);
  return out.join('\n');
}

/** A one-line progress bar on stderr, only when stderr is a terminal. */
function progressBar(): { update(done: number, total: number): void; end(): void } {
  const tty = process.stderr.isTTY;
  let last = -1;
  return {
    update(done, total) {
      if (!tty) return;
      const f = total > 0 ? Math.min(1, done / total) : 0;
      const pctNow = Math.floor(f * 100);
      if (pctNow === last) return;
      last = pctNow;
      const w = 30;
      const full = Math.round(f * w);
      process.stderr.write(`\r[${'#'.repeat(full)}${'.'.repeat(w - full)}] ${done}/${total} samples`);
    },
    end() {
      if (tty && last >= 0) process.stderr.write('\r\x1b[K');
    },
  };
}

/** Runs `analyze`; returns the exit code. */
export async function analyzeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('analyze', argv, {
    data: { type: 'string' },
    samples: { type: 'string' },
    seed: { type: 'string' },
    dim: { type: 'string', multiple: true },
    box: { type: 'string' },
    tau: { type: 'string' },
    'unit-axis': { type: 'string', multiple: true },
    json: { type: 'string' },
    sarif: { type: 'string' },
    html: { type: 'string' },
    'fail-on-dead': { type: 'string' },
    'no-proofs': { type: 'boolean' },
    workers: { type: 'string' },
    'image-mean': { type: 'string' },
    'image-std': { type: 'string' },
  }, { min: 1, max: 1, usage: ANALYZE_USAGE });
  const model = positionals[0];
  const samples = number('samples', values.samples, (x) => Number.isInteger(x) && x >= 1 && x <= 1e7, 'an integer from 1 to 10000000');
  const seed = number('seed', values.seed, (x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32, 'an integer from 0 to 2^32-1');
  const tau = number('tau', values.tau, (x) => x >= 0 && x <= 1, 'a number from 0 to 1');
  const failOnDead = number('fail-on-dead', values['fail-on-dead'], (x) => x >= 0 && x <= 1, 'a fraction from 0 to 1');
  let box: [number, number] | undefined;
  if (values.box !== undefined) {
    const [lo, hi, extra] = values.box.split(',').map(Number);
    if (extra !== undefined || !Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) throw new UsageError(`analyze: --box takes lo,hi with lo ≤ hi, got "${values.box}"`);
    box = [lo, hi];
  }
  const workers = number('workers', values.workers, (x) => Number.isInteger(x) && x >= 0 && x <= 64, 'an integer from 0 (one per core) to 64');
  const imageMean = list('image-mean', values['image-mean'], () => true);
  const imageStd = list('image-std', values['image-std'], (x) => x > 0);
  const dims = pairs('dim', values.dim, (x) => x >= 1);
  const unitAxis = pairs('unit-axis', values['unit-axis'], () => true);
  const inputs = [model, ...(values.data ? [values.data] : [])];
  const outputs = [values.json === '-' ? undefined : values.json, values.sarif, values.html].filter((x): x is string => !!x);
  for (const o of outputs) {
    for (const i of inputs) if (samePath(o, i)) throw new UsageError(`analyze: refusing to write ${o}: it is an input (${i})`);
  }
  const opts: AnalyzeOptions = { data: values.data, samples, seed, tau, box, dims, unitAxis, proofs: !values['no-proofs'], workers, imageMean, imageStd };
  const bar = progressBar();
  let report: Report;
  try {
    report = await analyzeModel(model, opts, { onProgress: (d, t) => bar.update(d, t) });
  } finally {
    bar.end();
  }
  if (values.json === '-') process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else process.stdout.write(reportText(report) + '\n');
  if (values.json && values.json !== '-') fs.writeFileSync(values.json, JSON.stringify(report, null, 2) + '\n');
  if (values.sarif) fs.writeFileSync(values.sarif, JSON.stringify(toSarif(report), null, 2) + '\n');
  if (values.html) fs.writeFileSync(values.html, toHtml(report));
  if (report.samples.random) process.stderr.write('relu-doctor: RANDOM INPUTS: results describe random inputs, not your data\n');
  if (failOnDead !== undefined) {
    const worst = maxDeadFraction(report);
    if (worst > failOnDead) {
      process.stderr.write(`relu-doctor: a layer has ${Math.round(worst * 1000) / 10}% dead units, above --fail-on-dead ${failOnDead}\n`);
      return EXIT.failOnDead;
    }
  }
  return EXIT.ok;
}
