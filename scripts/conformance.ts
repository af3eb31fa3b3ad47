// `npm run conformance [-- --filter REGEX] [--json FILE] [--list FILE.md] [--timeout SEC] [--jobs N] [--quiet]`:
// runs every ONNX backend node test on the executor, in worker threads so a hung case can be
// stopped, and prints the failures, a table per op, then `N unsupported (…)` and `N passed, N failed`.
// Unsupported: a missing op or value type, or a variant an op refuses with an `unsupported` error.
// `--list` writes every case that does not pass, with its reason, as Markdown (docs/conformance.md).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { CaseResult, listCases, suiteDir } from '../test/conformance/suite';

const { values } = parseArgs({
  options: {
    filter: { type: 'string' },
    json: { type: 'string' },
    list: { type: 'string' },
    timeout: { type: 'string', default: '30' },
    jobs: { type: 'string', default: '1' },
    quiet: { type: 'boolean', default: false },
  },
});

const dir = suiteDir();
if (!fs.existsSync(dir)) {
  process.stderr.write(`conformance: suite folder ${dir} not found (set ONNX_BACKEND_DIR)\n`);
  process.exit(2);
}
const timeoutMs = Math.max(1, Number(values.timeout)) * 1000;
const jobs = Math.max(1, Math.floor(Number(values.jobs)) || 1);
const cases = listCases(dir, values.filter ? new RegExp(values.filter) : undefined);
const register = path.resolve(__dirname, '..', 'test', 'register-ts.js');
const workerFile = path.resolve(__dirname, '..', 'test', 'conformance', 'worker.ts');

function spawn(): Worker {
  return new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(workerFile)});`, { eval: true });
}

/** Runs the queue on one worker, replacing the worker when a case hangs past its time limit. */
async function lane(queue: string[], results: Map<string, CaseResult>): Promise<void> {
  let worker = spawn();
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    const current = name;
    const t0 = Date.now();
    const result = await new Promise<CaseResult>((resolve) => {
      const w = worker;
      const finish = (r: CaseResult): void => {
        clearTimeout(timer);
        w.off('message', finish);
        w.off('error', crashed);
        resolve(r);
      };
      const crashed = (err: Error): void => {
        worker = spawn();
        finish({ name: current, op: '?', status: 'failed', message: `worker crashed: ${err.message}`, ms: Date.now() - t0 });
      };
      const timer = setTimeout(() => {
        void w.terminate();
        worker = spawn();
        finish({ name: current, op: '?', status: 'failed', message: `hung: no result after ${timeoutMs / 1000 + 5}s (stopped)`, ms: Date.now() - t0 });
      }, timeoutMs + 5000);
      w.on('message', finish);
      w.on('error', crashed);
      w.postMessage({ dir, name: current, timeoutMs });
    });
    results.set(current, result);
  }
  await worker.terminate();
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const queue = [...cases];
  const results = new Map<string, CaseResult>();
  await Promise.all(Array.from({ length: Math.min(jobs, cases.length || 1) }, () => lane(queue, results)));
  const all = cases.map((c) => results.get(c) as CaseResult);
  const out: string[] = [];
  for (const r of all) if (r.status === 'failed') out.push(`FAIL ${r.name} [${r.op}]: ${r.message}`);
  const perOp = new Map<string, { passed: number; failed: number; unsupported: number }>();
  for (const r of all) {
    const row = perOp.get(r.op) ?? { passed: 0, failed: 0, unsupported: 0 };
    row[r.status]++;
    perOp.set(r.op, row);
  }
  if (!values.quiet) {
    out.push('', `${'op'.padEnd(40)} passed  failed  unsupported`);
    for (const [op, row] of [...perOp].sort((a, b) => a[0].localeCompare(b[0]))) {
      out.push(`${op.padEnd(40)} ${String(row.passed).padStart(6)}  ${String(row.failed).padStart(6)}  ${String(row.unsupported).padStart(11)}`);
    }
  }
  const count = (s: CaseResult['status']): number => all.filter((r) => r.status === s).length;
  out.push('', `${all.length} cases in ${((Date.now() - t0) / 1000).toFixed(1)}s from ${dir}`);
  const refused = all.filter((r) => r.unsupported === 'refused').length;
  out.push(`${count('unsupported')} unsupported (${count('unsupported') - refused} missing an op or value type, ${refused} refused by a supported op)`);
  out.push(`${count('passed')} passed, ${count('failed')} failed`);
  if (values.json) {
    fs.writeFileSync(values.json, JSON.stringify({ suite: dir, passed: count('passed'), failed: count('failed'), unsupported: count('unsupported'), cases: all }, null, 2) + '\n');
  }
  if (values.list) fs.writeFileSync(values.list, markdownList(all, count('passed'), count('failed'), count('unsupported')));
  process.stdout.write(out.join('\n') + '\n');
  process.exitCode = count('failed') > 0 ? 1 : 0;
}

/** The cases that do not pass, one table row each with the reason, for docs/conformance.md. */
function markdownList(all: CaseResult[], passed: number, failed: number, unsupported: number): string {
  const cell = (t: string): string => t.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
  const lines = [
    '# ONNX conformance: the cases that do not pass',
    '',
    `Generated by \`npm run conformance -- --list docs/conformance.md\` over the ${all.length} cases of ONNX's`,
    'backend node tests (`onnx-backend-node`). A case passes when every output equals the expected one',
    'within the suite\'s tolerances; a supported op never gives a wrong result: anything it cannot',
    'compute exactly is refused at load time as unsupported, with the reason below.',
    '',
    `**${passed} passed, ${failed} failed, ${unsupported} unsupported.**`,
    '',
    '| case | op | status | reason |',
    '| --- | --- | --- | --- |',
  ];
  for (const r of all) {
    if (r.status === 'passed') continue;
    lines.push(`| \`${r.name}\` | ${cell(r.op)} | ${r.status}${r.unsupported === 'refused' ? ' (refused)' : ''} | ${cell(r.message ?? '')} |`);
  }
  return lines.join('\n') + '\n';
}

void main();
