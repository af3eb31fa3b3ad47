// The worker pool transport: results, progress, errors, crashes, aborts, queueing and shutdown,
// exercised with a small eval'd worker that speaks the same protocol as dist/worker.js.
import { strict as assert } from 'node:assert';
import { WorkerPool } from '../../src/worker/pool';
import type { JobRequest } from '../../src/worker/protocol';

// Answers by `path`: "ok" → a summary-like result (after a progress message), "fail" → an error,
// "crash" → exits the thread, "hang" → never answers, "slow" → answers after 50 ms.
const script = `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', (m) => {
  const done = () => parentPort.postMessage({ id: m.id, ok: true, summary: { path: m.path, threadId }, byteLength: m.bytes ? m.bytes.length : 0 });
  if (m.path === 'ok') { parentPort.postMessage({ id: m.id, progress: 'halfway' }); done(); }
  else if (m.path === 'fail') parentPort.postMessage({ id: m.id, ok: false, error: 'x.onnx: not an ONNX model' });
  else if (m.path === 'crash') process.exit(3);
  else if (m.path === 'slow') setTimeout(done, 50);
});
`;

const job = (path: string, bytes?: Uint8Array): JobRequest<'summarize'> => ({ type: 'summarize', path, bytes });
const pool = (size = 1) => new WorkerPool({ script, size, workerOptions: { eval: true } });

describe('protocol: worker pool', () => {
  it('resolves with the result fields and forwards progress', async () => {
    const p = pool();
    const progress: string[] = [];
    const r = await p.run(job('ok'), { progress: (d) => progress.push(d) });
    assert.deepEqual(progress, ['halfway']);
    assert.equal((r.summary as unknown as { path: string }).path, 'ok');
    assert.equal('id' in r || 'ok' in r, false);
    p.dispose();
  });

  it('transfers bytes to the worker', async () => {
    const p = pool();
    const bytes = new Uint8Array([1, 2, 3]);
    const r = await p.run(job('ok', bytes), { transfer: [bytes.buffer] });
    assert.equal(r.byteLength, 3);
    assert.equal(bytes.byteLength, 0, 'the buffer was moved, not copied');
    p.dispose();
  });

  it('rejects with the worker error message', async () => {
    const p = pool();
    await assert.rejects(p.run(job('fail')), { message: 'x.onnx: not an ONNX model' });
    p.dispose();
  });

  it('fails only the crashed job and recovers', async () => {
    const p = pool();
    await assert.rejects(p.run(job('crash')), /stopped unexpectedly \(exit code 3\)/);
    const r = await p.run(job('ok'));
    assert.equal((r.summary as unknown as { path: string }).path, 'ok');
    p.dispose();
  });

  it('cancels a running job by terminating its worker, and a queued one by dropping it', async () => {
    const p = pool(1);
    const running = new AbortController();
    const queued = new AbortController();
    const a = p.run(job('hang'), { signal: running.signal });
    const b = p.run(job('hang'), { signal: queued.signal });
    queued.abort();
    await assert.rejects(b, /cancelled/);
    running.abort();
    await assert.rejects(a, /cancelled/);
    assert.equal(p.threads, 0);
    const r = await p.run(job('ok'));
    assert.ok(r.summary);
    p.dispose();
  });

  it('runs no more than `size` threads and queues the rest', async () => {
    const p = pool(2);
    const jobs = [p.run(job('slow')), p.run(job('slow')), p.run(job('slow')), p.run(job('slow'))];
    assert.equal(p.threads, 2);
    const results = await Promise.all(jobs);
    const threads = new Set(results.map((r) => (r.summary as unknown as { threadId: number }).threadId));
    assert.equal(threads.size, 2);
    p.dispose();
  });

  it('fails pending and new jobs after dispose', async () => {
    const p = pool(1);
    const a = p.run(job('hang'));
    const b = p.run(job('hang'));
    p.dispose();
    await assert.rejects(a, /shut down/);
    await assert.rejects(b, /shut down/);
    await assert.rejects(p.run(job('ok')), /shut down/);
    assert.equal(p.threads, 0);
  });
});
