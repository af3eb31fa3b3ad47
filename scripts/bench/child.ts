// Entry of one bench child process: `node -r test/register-ts.js scripts/bench/child.ts JSON OUTFILE`.
// Runs one timing, live-memory or analysis case and writes its result as JSON to OUTFILE, so
// engines never share a process (onnxruntime-web's thread count is fixed per process, and peak
// RSS must be the case's own).
import * as fs from 'node:fs';
import { runAnalysisCase, runOverheadCase } from './analysis';
import { liveIntermediates, RunPlan, timeOrt, timeOurs } from './engines';

/** The job a child is given. */
export type ChildJob =
  | { kind: 'time'; engine: 'ours' | 'ort-node' | 'ort-web'; file: string; threads: number; plan: RunPlan }
  | { kind: 'live'; file: string }
  | { kind: 'overhead'; file: string; samples: number }
  | { kind: 'analysis' | 'plain'; file: string; samples: number; workers: number };

async function runJob(job: ChildJob): Promise<unknown> {
  switch (job.kind) {
    case 'time':
      return job.engine === 'ours' ? timeOurs(job.file, job.plan) : timeOrt(job.engine, job.file, job.threads, job.plan);
    case 'live':
      return liveIntermediates(job.file);
    case 'overhead':
      return runOverheadCase(job.file, job.samples);
    default:
      return runAnalysisCase(job.kind, job.file, job.samples, job.workers);
  }
}

if (require.main === module) {
  runJob(JSON.parse(process.argv[2]) as ChildJob).then((r) => {
    fs.writeFileSync(process.argv[3], JSON.stringify(r));
    // onnxruntime-web's worker threads keep the event loop alive.
    process.exit(0);
  }, (err: Error) => {
    process.stderr.write(`${String(err.message).split('\n', 1)[0]}\n`);
    process.exit(1);
  });
}
