// The `analyze` worker job: a whole analysis (src/analysis/analyze.ts) in a worker thread, so the
// extension host's thread never loads, runs or proves anything. Its batches may fan out to further
// worker threads (parallel.ts); terminating this worker stops them too. Progress is "done/total".
import { analyzeModel } from '../analysis/analyze';
import type { AnalyzeJobArgs, AnalyzeJobResult } from './protocol';
import { analyzeProgress } from './analyze-progress';

/** Runs the analysis; the report is plain JSON-serializable data. */
export async function analyzeRun(req: AnalyzeJobArgs, progress: (detail: string) => void): Promise<AnalyzeJobResult> {
  const report = await analyzeModel(req.path, req.options, { onProgress: (done, total) => progress(analyzeProgress(done, total)) });
  return { report };
}
