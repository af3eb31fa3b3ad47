// Worker thread for scripts/conformance.ts: runs the cases it is sent, one at a time, and posts
// each result back. The parent terminates it when a case exceeds its time limit.
import { parentPort } from 'node:worker_threads';
import { runCase } from './suite';

parentPort?.on('message', (m: { dir: string; name: string; timeoutMs: number }) => {
  parentPort?.postMessage(runCase(m.dir, m.name, { timeoutMs: m.timeoutMs }));
});
