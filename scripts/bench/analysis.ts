// The analysis part of the bench, each case in its own child process so peak RSS is its own: an
// activation analysis of N samples through the analysis API (1 worker in-process, or W worker
// threads), a plain run of the same sample batches with no observer and no statistics, and the
// overhead of observing: the same batches through one session, alternately with and without the
// analysis's statistics collector, so load from other processes hits both sides alike.
import * as os from 'node:os';
import { loadModelAsync } from '../../src/onnx/load';
import { analyzeModel } from '../../src/analysis/analyze';
import { analysisFusion } from '../../src/analysis/fusion';
import { createStatsCollector } from '../../src/analysis/parallel';
import { findActivationSites } from '../../src/analysis/sites';
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
  /** The executor's own figures (analysis only; report.timing.memory): weights, peak intermediates + scratch over all sessions. */
  executorMemory?: { weightBytes: number; intermediateBytes: number; sessions: number };
  /** CPU time of the process (all threads) in ms, and the 1-minute load average before and after. */
  cpuMs: number;
  loadAverage: [number, number];
}

/** The interleaved overhead measurement. */
export interface OverheadResult {
  samples: number;
  /** Sum of the unobserved runs and of the observed runs (observer + statistics), in ms. */
  plainMs: number;
  observedMs: number;
  /** observedMs over the faster plain run (all fusions, or the analysis's plan unobserved) − 1: what the analysis costs. */
  overhead: number;
  /** The analysis's own plan run without the observer, in ms, and observedMs over it − 1: the observer's share alone. */
  unobservedMs: number;
  observerOnly: number;
  /** ReLU sites whose statistics were collected. */
  sites: number;
}

/**
 * Runs every batch three times, rotating the order: a plain run with every fusion (as `relu-doctor
 * run`), the analysis's own plan (its sites' values kept, so Relu cannot fuse) without the
 * observer, and that plan with the analysis's statistics collector.
 */
export async function runOverheadCase(file: string, samples: number): Promise<OverheadResult> {
  const model = await loadModelAsync(file);
  const sites = findActivationSites(model);
  const plainSession = createSession(model, { fusion: {} });
  const session = createSession(model, { fusion: analysisFusion(sites) });
  const collector = createStatsCollector(model, sites);
  const source = openSampleSource(model, { samples, seed: 0 });
  let plainMs = 0;
  let unobservedMs = 0;
  let observedMs = 0;
  let k = 0;
  for await (const batch of source.batches()) {
    const time = (f: () => void): number => { const t0 = performance.now(); f(); return performance.now() - t0; };
    const runs = [
      () => { plainMs += time(() => plainSession.runSync(batch.feeds)); },
      () => { unobservedMs += time(() => session.runSync(batch.feeds)); },
      () => {
        collector.setBatch(batch.offset, batch.count);
        observedMs += time(() => session.runSync(batch.feeds, { observer: collector.observer }));
      },
    ];
    for (let i = 0; i < 3; i++) runs[(i + k) % 3]();
    k++;
  }
  return {
    samples, plainMs, observedMs, overhead: observedMs / Math.min(plainMs, unobservedMs) - 1, unobservedMs, observerOnly: observedMs / unobservedMs - 1,
    sites: collector.stats.filter((x) => x).length,
  };
}

/** Runs one analysis case on `file` with `samples` seeded random samples. */
export async function runAnalysisCase(kind: 'analysis' | 'plain', file: string, samples: number, workers: number): Promise<AnalysisResult> {
  const baselineRss = process.memoryUsage().rss;
  let peak = baselineRss;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const load0 = os.loadavg()[0];
  let runMs: number;
  let deadUnits: number | undefined;
  let executorMemory: AnalysisResult['executorMemory'];
  try {
    if (kind === 'analysis') {
      const report = await analyzeModel(file, { samples, seed: 0, workers, proofs: false });
      runMs = report.timing.runMs;
      deadUnits = report.totals.dead;
      executorMemory = report.timing.memory;
    } else {
      if (workers !== 1) throw new Error('the plain run is single-threaded (the executor has no sample-parallel API without the analysis)');
      const model = await loadModelAsync(file);
      // A plain run as `relu-doctor run` plans it: every fusion applies.
      const session = createSession(model, { fusion: {} });
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
  const cpu = process.cpuUsage(cpu0);
  peak = Math.max(peak, process.memoryUsage().rss);
  return {
    kind, workers, samples, runMs, wallMs, samplesPerSecond: (samples / runMs) * 1000,
    baselineRss, sampledPeakRss: peak, maxRss: process.resourceUsage().maxRSS * 1024, deadUnits, executorMemory,
    cpuMs: (cpu.user + cpu.system) / 1000, loadAverage: [load0, os.loadavg()[0]],
  };
}
