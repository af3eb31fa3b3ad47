// runAnalysis (src/extension/analysisRunner.ts) against the fake `vscode`, with a real WorkerPool
// running src/worker/worker.ts: the whole analysis happens in the worker's `analyze` job, the
// progress notification counts samples, and cancelling rejects with CancelledError and stops the
// worker thread (and the batch threads it started).
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as fake from './extension-fake-vscode';
import { WorkerPool } from '../../src/worker/pool';

fake.installFakeVscode();
// Only what runAnalysis touches, added to the shared fake here.
type Progress = { message?: string; increment?: number };
const notifications: Array<{ title: string; cancellable: boolean; reports: Progress[]; cancel: () => void }> = [];
const logged: string[] = [];
// The module's own exports object (the namespace import is a copy).
Object.assign(require('./extension-fake-vscode') as Record<string, unknown>, { ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 } });
Object.assign(fake.window as unknown as Record<string, unknown>, {
  createOutputChannel: () => ({ info: (s: string) => logged.push(s), error: (s: string) => logged.push(`ERROR ${s}`), show() {}, dispose() {} }),
  withProgress<T>(opts: { title: string; cancellable?: boolean }, task: (p: { report(p: Progress): void }, token: unknown) => Promise<T>): Promise<T> {
    const cancelled = new fake.EventEmitter<void>();
    const n = { title: opts.title, cancellable: !!opts.cancellable, reports: [] as Progress[], cancel: () => cancelled.fire() };
    notifications.push(n);
    return task({ report: (p) => n.reports.push(p) }, { onCancellationRequested: cancelled.event });
  },
});
const { runAnalysis, CancelledError } = require('../../src/extension/analysisRunner') as typeof import('../../src/extension/analysisRunner');
const { rememberData, rememberedData, resolveDataArg } = require('../../src/extension/dataPicker') as typeof import('../../src/extension/dataPicker');

const root = path.join(__dirname, '..', '..');
const digits = path.join(root, 'examples', 'digits');
const boot = `require(${JSON.stringify(path.join(root, 'test/register-ts.js'))}); require(${JSON.stringify(path.join(root, 'src/worker/worker.ts'))});`;

describe('extension analysis runner (worker job, progress, cancel)', function () {
  this.timeout(120_000);
  const pool = new WorkerPool({ script: boot, size: 1, workerOptions: { eval: true } });
  after(() => pool.dispose());

  it('runs the analysis in the worker and reports samples done', async () => {
    notifications.length = 0;
    const model = fake.Uri.file(path.join(digits, 'mlp-dying.onnx'));
    const report = await runAnalysis({ pool }, model as never, { data: path.join(digits, 'test.npy'), samples: 360, workers: 1 });
    assert.deepEqual(report.layers.map((l) => l.dead.length), [70, 0]);
    assert.equal(pool.threads, 1, 'the analysis ran in the pool thread');
    const n = notifications[0];
    assert.match(n.title, /analysing mlp-dying\.onnx/);
    assert.equal(n.cancellable, true);
    const counts = n.reports.map((r) => r.message).filter((m) => m && / of 360 samples$/.test(m));
    assert.ok(counts.length >= 2, `progress counts samples: ${JSON.stringify(n.reports)}`);
    assert.equal(counts[counts.length - 1], '360 of 360 samples');
    const total = n.reports.reduce((s, r) => s + (r.increment ?? 0), 0);
    assert.ok(Math.abs(total - 100) < 1e-6, `increments add up to 100% (${total})`);
    assert.ok(logged.some((l) => /^Analysing .*mlp-dying\.onnx: data .*test\.npy, 360 samples/.test(l)));
    assert.ok(logged.some((l) => /^Analysed mlp-dying\.onnx in \d+ ms .*70 dead, 0 proven dead/.test(l)));
  });

  it('cancelling rejects with CancelledError and stops the worker threads', async () => {
    notifications.length = 0;
    const model = fake.Uri.file(path.join(digits, 'cnn-dying.onnx'));
    const run = runAnalysis({ pool }, model as never, { samples: 1_000_000, seed: 1, workers: 2 });
    // Cancel once samples are flowing (or the analysis ended: then the assertion below says so).
    let settled = false;
    run.then(() => (settled = true), () => (settled = true));
    while (!settled) {
      await new Promise((r) => setTimeout(r, 20));
      const n = notifications[0];
      if (n?.reports.some((r) => /^[1-9]\d* of 1000000 samples$/.test(r.message ?? ''))) {
        n.cancel();
        break;
      }
    }
    await assert.rejects(run, (e: Error) => e instanceof CancelledError);
    assert.equal(pool.threads, 0, 'the worker running the analysis was terminated');
    assert.ok(logged.some((l) => /^Cancelled the analysis of cnn-dying\.onnx .*nothing was kept/.test(l)));
  });

  it('rejects with a one-line error naming the bad data file', async () => {
    const model = fake.Uri.file(path.join(digits, 'mlp-dying.onnx'));
    await assert.rejects(runAnalysis({ pool }, model as never, { data: path.join(digits, 'missing.npy'), samples: 10, workers: 1 }), (e: Error) => /missing\.npy/.test(e.message) && !e.message.includes('\n'));
  });

  it('refuses non-file models', async () => {
    await assert.rejects(runAnalysis({ pool }, fake.Uri.from({ scheme: 'untitled', path: '/x.onnx' }) as never, {}), /only models on disk/);
  });
});

describe('extension data choice (remembered per model)', () => {
  const memento = () => {
    const m = new Map<string, unknown>();
    return { get: <T>(k: string) => m.get(k) as T | undefined, update: async (k: string, v: unknown) => void m.set(k, v), keys: () => [...m.keys()] };
  };

  it('resolves command data arguments: "random", absolute, relative to the model folder', () => {
    const model = fake.Uri.file(path.join(digits, 'mlp-dying.onnx'));
    assert.equal(resolveDataArg(model as never, 'random'), 'random');
    assert.equal(resolveDataArg(model as never, 'test.npy'), path.join(digits, 'test.npy'));
    assert.equal(resolveDataArg(model as never, '/elsewhere/x.npy'), '/elsewhere/x.npy');
  });

  it('remembers a choice per model and forgets one whose file is gone', async () => {
    const state = memento();
    const a = fake.Uri.file(path.join(digits, 'mlp-dying.onnx'));
    const b = fake.Uri.file(path.join(digits, 'cnn-dying.onnx'));
    assert.equal(rememberedData(state as never, a as never), undefined);
    await rememberData(state as never, a as never, path.join(digits, 'test.npy'));
    await rememberData(state as never, b as never, 'random');
    assert.equal(rememberedData(state as never, a as never), path.join(digits, 'test.npy'));
    assert.equal(rememberedData(state as never, b as never), 'random');
    await rememberData(state as never, a as never, path.join(digits, 'gone.npy'));
    assert.equal(rememberedData(state as never, a as never), undefined, 'a vanished data file is asked for again');
  });
});
