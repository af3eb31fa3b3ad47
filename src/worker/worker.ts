// Entry of dist/worker.js: a generic worker_threads job runner. It answers each `WorkerRequest`
// posted by the host with exactly one final `WorkerResponse` (progress messages may come before).
import { parentPort } from 'node:worker_threads';
import { errorLine, runJob } from './jobs';
import type { WorkerRequest, WorkerResponse } from './protocol';

const port = parentPort;
if (!port) throw new Error('dist/worker.js must be started as a worker thread');

port.on('message', (req: WorkerRequest) => {
  const post = (m: WorkerResponse) => port.postMessage(m);
  runJob(req, (progress) => post({ id: req.id, progress })).then(
    (result) => post({ id: req.id, ok: true, ...result }),
    (e: unknown) => post({ id: req.id, ok: false, error: errorLine(e) }),
  );
});
