// The analysis part of the bench, each case in its own child process so peak RSS is its own: an
// activation analysis of N samples through the analysis API (1 worker in-process, or W worker
// threads), or a plain run of the same sample batches with no observer and no statistics.
import { loadModelAsync } from '../../src/onnx/load';
import { analyzeModel } from '../../src/analysis/analyze';
import { openSampleSource } from '../../src/data/source';
import { createSession } from '../../src/runtime/executor';

/** What one analysis child reports. */
export interface AnalysisResult {
  kind: 'analysis' | 'plain';
  workers: number;
  samples: number;
  /** Time running the samples through the model (the report's runMs; plain: the same loop unobserved). */
  runMs: number;
  /** Wall time of the whole call: load, plan, workers starting, runs, verdicts. */
  wallMs: number;
  samplesPerSecond: number;
  /** RSS of this process before loading anything. */
  baselineRss: number;
  /** Highest RSS sampled every 10 ms during the call. */
  sampledPeakRss: number;
  /** process.resourceUsage().maxRSS in bytes (the kernel's high-water mark for the process). */
  maxRss: number;
  /** Dead units found (analysis only), as a sanity check that statistics were collected. */
  deadUnits?: number;
}

/** Runs one analysis case on `file` with `samples` seeded random samples. */
export async function runAnalysisCase(kind: 'analysis' | 'plain', file: string, samples: number, workers: number): Promise<AnalysisResult> {
  const baselineRss = process.memoryUsage().rss;
  let peak = baselineRss;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
  const t0 = performance.now();
  let runMs: number;
  let deadUnits: number | undefined;
  try {
    if (kind === 'analysis') {
      const report = await analyzeModel(file, { samples, seed: 0, workers, proofs: false });
      runMs = report.timing.runMs;
      deadUnits = report.totals.dead;
    } else {
      if (workers !== 1) throw new Error('the plain run is single-threaded (the executor has no sample-parallel API without the analysis)');
      const model = await loadModelAsync(file);
      const session = createSession(model);
      const source = openSampleSource(model, { samples, seed: 0 });
      runMs = 0;
      for await (const batch of source.batches()) {
        const r0 = performance.now();
        await session.run(batch.feeds);
        runMs += performance.now() - r0;
      }
    }
  } finally {
    clearInterval(timer);
  }
  const wallMs = performance.now() - t0;
  peak = Math.max(peak, process.memoryUsage().rss);
  return {
    kind, workers, samples, runMs, wallMs, samplesPerSecond: (samples / runMs) * 1000,
    baselineRss, sampledPeakRss: peak, maxRss: process.resourceUsage().maxRSS * 1024, deadUnits,
  };
}
