// The analysis over worker threads (src/analysis/parallel.ts, workers started from the TypeScript
// sources): the same statistics as in-process on the same samples, the measured dead units of the
// digits examples, progress, cancellation and one-line worker errors.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadModel } from '../../src/onnx/load';
import { createSession } from '../../src/runtime/executor';
import { openSampleSource, SampleOptions } from '../../src/data/source';
import { findActivationSites } from '../../src/analysis/sites';
import { SiteStats } from '../../src/analysis/stats';
import { collectStatsParallel, createStatsCollector, loadModelShared } from '../../src/analysis/parallel';
import { analyzeModel } from '../../src/analysis/analyze';

const digits = path.join(__dirname, '..', '..', 'examples', 'digits');

async function inProcess(modelPath: string, opts: SampleOptions): Promise<Array<SiteStats | undefined>> {
  const model = loadModel(modelPath);
  const c = createStatsCollector(model, findActivationSites(model));
  const session = createSession(model);
  for await (const b of openSampleSource(model, opts).batches()) {
    c.setBatch(b.offset, b.count);
    session.runSync(b.feeds, { observer: c.observer });
  }
  return c.stats;
}

function assertSameStats(a: Array<SiteStats | undefined>, b: Array<SiteStats | undefined>): void {
  assert.equal(a.length, b.length);
  a.forEach((x, i) => {
    const y = b[i];
    assert.ok(x && y, `site ${i} observed`);
    for (const k of ['units', 'samples', 'positions', 'nans', 'histLo', 'histHi', 'cap'] as const) assert.equal(y[k], x[k], `site ${i} ${k}`);
    // Counts, extremes, witnesses and histograms are exact; float sums differ only by summation order.
    for (const k of ['positives', 'firingSamples', 'min', 'max', 'witness', 'hist'] as const) assert.deepEqual(Array.from(y[k]), Array.from(x[k]), `site ${i} ${k}`);
    for (const k of ['sum', 'sumAbsOut'] as const) {
      x[k].forEach((v, u) => assert.ok(Math.abs(v - y[k][u]) <= 1e-9 * Math.max(1, Math.abs(v)), `site ${i} ${k}[${u}]: ${v} vs ${y[k][u]}`));
    }
  });
}

const deadCounts = (stats: Array<SiteStats | undefined>): number[] => stats.map((s) => Array.from(s!.positives).filter((p) => p === 0).length);

describe('analysis: parallel over worker threads', () => {
  it('mlp-dying on test.npy: the same statistics as in-process, 70 of 128 and 0 of 64 dead (MEASURED.txt)', async () => {
    const file = path.join(digits, 'mlp-dying.onnx');
    const opts = { data: path.join(digits, 'test.npy') };
    const want = await inProcess(file, opts);
    const model = await loadModelShared(file);
    const progress: Array<[number, number]> = [];
    const r = await collectStatsParallel(model, findActivationSites(model), openSampleSource(model, opts), { workers: 2, hostHelps: false }, { onProgress: (d, t) => progress.push([d, t]) });
    assert.equal(r.workers, 2);
    assert.equal(r.done, 360);
    assert.equal(r.hostSamples, 16, 'the host ran only the first batch');
    // Every worker views the weights in shared memory; none copies them.
    for (const w of r.weights) {
      assert.equal(w.copied, 0);
      assert.ok(w.shared >= (64 * 128 + 128 * 64 + 64 * 10) * 4, `shared ${w.shared} bytes`);
    }
    assertSameStats(want, r.stats);
    assert.deepEqual(deadCounts(r.stats), [70, 0]);
    assert.deepEqual(progress[0], [0, 360]);
    assert.deepEqual(progress[progress.length - 1], [360, 360]);
    assert.ok(progress.every(([d], i) => i === 0 || d > progress[i - 1][0]), 'progress increases');
  });

  it('cnn-dying on random inputs: the same statistics as in-process', async () => {
    const file = path.join(digits, 'cnn-dying.onnx');
    const opts = { samples: 100, seed: 7, batchSize: 8 };
    const want = await inProcess(file, opts);
    const model = loadModel(file); // Not loaded shared: the file is read into shared memory then.
    const r = await collectStatsParallel(model, findActivationSites(model), openSampleSource(model, opts), { workers: 3, hostHelps: false });
    assert.equal(r.done, 100);
    assert.equal(r.hostSamples, 8, 'the host ran only the first batch');
    assertSameStats(want, r.stats);
    assert.ok(r.weights.every((w) => w.copied === 0 && w.shared > 0), JSON.stringify(r.weights));
    // Working memory: the host's session (it ran the first batch) and each worker's that ran batches
    // (a worker that started after the others had taken every batch ran none).
    assert.ok(r.memory.length >= 2 && r.memory.length <= 1 + r.weights.length, `${r.memory.length} sessions, ${r.weights.length} workers`);
    assert.ok(r.memory.every((m) => m.peakIntermediates > 0), JSON.stringify(r.memory));
  });

  it('the host running batches beside its workers gives the same statistics', async () => {
    const file = path.join(digits, 'cnn-dying.onnx');
    const opts = { samples: 400, seed: 3, batchSize: 4 };
    const want = await inProcess(file, opts);
    const model = await loadModelShared(file);
    const r = await collectStatsParallel(model, findActivationSites(model), openSampleSource(model, opts), { workers: 2 });
    assert.equal(r.done, 400);
    assert.ok(r.hostSamples >= 4 && r.hostSamples <= 400);
    // The host is one of the two threads: one worker beside it, two sessions' memory at most.
    assert.ok(r.weights.length <= 1 && r.memory.length <= 2, `${r.weights.length} workers, ${r.memory.length} sessions`);
    assertSameStats(want, r.stats);
  });

  it('analyzeModel with workers: 2 reports the measured dead units, as in-process does', async () => {
    const opts = { data: path.join(digits, 'test-images.npy') };
    const [par, seq] = await Promise.all([
      analyzeModel(path.join(digits, 'cnn-dying.onnx'), { ...opts, workers: 2 }),
      analyzeModel(path.join(digits, 'cnn-dying.onnx'), { ...opts, workers: 1 }),
    ]);
    assert.deepEqual(par.layers.map((l) => l.dead.length), [3, 20]);
    assert.deepEqual(par.layers.map((l) => l.dead), seq.layers.map((l) => l.dead));
    assert.deepEqual(par.layers.map((l) => l.activationRate), seq.layers.map((l) => l.activationRate));
    assert.equal(par.samples.count, 360);
    // The report's memory: the same weights either way; one session in-process, at least one with
    // workers (the host alone when it finished before a worker was ready).
    assert.equal(seq.timing.memory?.sessions, 1);
    assert.ok((par.timing.memory?.sessions ?? 0) >= 1);
    assert.equal(par.timing.memory?.weightBytes, seq.timing.memory?.weightBytes);
    assert.ok((seq.timing.memory?.weightBytes ?? 0) > 0 && (seq.timing.memory?.intermediateBytes ?? 0) > 0);
  });

  it('stops on abort with an AbortError', async () => {
    const file = path.join(digits, 'cnn-dying.onnx');
    const model = await loadModelShared(file);
    const ac = new AbortController();
    const run = collectStatsParallel(model, findActivationSites(model), openSampleSource(model, { samples: 1_000_000 }), { workers: 2, hostHelps: false }, {
      signal: ac.signal,
      onProgress: (done) => { if (done > 16) ac.abort(); }, // after a batch done in a worker
    });
    await assert.rejects(run, { name: 'AbortError', message: 'analysis cancelled' });
    const pre = new AbortController();
    pre.abort();
    await assert.rejects(collectStatsParallel(model, findActivationSites(model), openSampleSource(model, {}), { workers: 2 }, { signal: pre.signal }), { name: 'AbortError' });
  });

  it('a cancel while the source is still reading a batch stops too', async () => {
    const model = await loadModelShared(path.join(digits, 'mlp-dying.onnx'));
    const ac = new AbortController();
    const source = {
      description: { kind: 'npy' as const, random: false, count: 10, note: 'never yields' },
      async *batches() {
        await new Promise<never>(() => {});
        yield { feeds: {}, offset: 0, count: 0 };
      },
    };
    const run = collectStatsParallel(model, findActivationSites(model), source, { workers: 2 }, { signal: ac.signal });
    setImmediate(() => ac.abort());
    await assert.rejects(run, { name: 'AbortError' });
  });

  it('RELU_DOCTOR_WORKER_SCRIPT naming a missing file is a one-line error', async () => {
    const model = loadModel(path.join(digits, 'mlp-dying.onnx'));
    const run = (): ReturnType<typeof collectStatsParallel> => collectStatsParallel(model, findActivationSites(model), openSampleSource(model, { samples: 64 }), { workers: 2, hostHelps: false });
    process.env.RELU_DOCTOR_WORKER_SCRIPT = path.join(os.tmpdir(), 'no-such-relu-doctor-worker.js');
    try {
      await assert.rejects(run(), (e: Error) => !e.message.includes('\n') && /RELU_DOCTOR_WORKER_SCRIPT names .*no-such-relu-doctor-worker\.js/.test(e.message));
    } finally {
      delete process.env.RELU_DOCTOR_WORKER_SCRIPT;
    }
  });

  it('a worker that cannot load the model fails the run with its one-line message', async () => {
    const model = loadModel(path.join(digits, 'mlp-dying.onnx'));
    const bad = path.join(os.tmpdir(), `relu-parallel-${process.pid}.onnx`);
    fs.writeFileSync(bad, fs.readFileSync(path.join(digits, 'mlp-dying.onnx')).subarray(0, 300));
    try {
      const moved = { ...model, source: { ...model.source, path: bad } };
      await assert.rejects(
        collectStatsParallel(moved, findActivationSites(moved), openSampleSource(moved, { samples: 64 }), { workers: 2, hostHelps: false }),
        (e: Error) => !e.message.includes('\n') && e.message.startsWith(bad) && /ONNX/.test(e.message),
      );
    } finally {
      fs.rmSync(bad, { force: true });
    }
  });

  it('a failure while observing rejects with its one-line message', async () => {
    const file = path.join(digits, 'mlp-dying.onnx');
    const model = await loadModelShared(file);
    const site = findActivationSites(model)[0].id;
    const unitAxis = { [site]: 5 };
    await assert.rejects(
      collectStatsParallel(model, findActivationSites(model, { unitAxis }), openSampleSource(model, { samples: 64 }), { workers: 2, unitAxis }),
      (e: Error) => !e.message.includes('\n') && e.message.includes(`site '${site}'`) && /unit axis 5/.test(e.message),
    );
  });
});
