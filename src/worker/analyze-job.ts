// The worker side of a parallel analysis (src/analysis/parallel.ts): a session decodes the model
// from bytes shared by every worker, plans it once, runs the batches it is sent with an observer
// that accumulates per-site statistics, and hands the statistics back when closed.
import * as path from 'node:path';
import { decodeModel } from '../onnx/load';
import { createSession, Session, SessionMemory } from '../runtime/executor';
import { analysisFusion } from '../analysis/fusion';
import { findActivationSites } from '../analysis/sites';
import { analysisMemory, createStatsCollector, StatsCollector, useAlignedWeights } from '../analysis/parallel';
import { tensorValues } from '../onnx/tensor-data';
import type { Model } from '../onnx/ir';
import type { SiteStats } from '../analysis/stats';
import type { AnalyzeBatchArgs, AnalyzeOpenArgs } from './protocol';

interface State { session: Session; collector: StatsCollector; cancel: Int32Array }

const sessions = new Map<number, State>();

/** Decodes and plans the model for a new session; reports how many initializer bytes are shared rather than copied. */
export function analyzeOpen(req: AnalyzeOpenArgs): { sites: number; weights: { shared: number; copied: number } } {
  const model = decodeModel(req.bytes, { path: req.path, dir: path.dirname(req.path) });
  if (req.aligned) useAlignedWeights(model, req.aligned);
  const sites = findActivationSites(model, { unitAxis: req.unitAxis });
  if (sites.length !== req.sites) throw new Error(`${req.path}: the worker found ${sites.length} activation sites, the host ${req.sites} (internal error)`);
  sessions.set(req.session, { session: createSession(model, { fusion: analysisFusion(sites) }), collector: createStatsCollector(model, sites), cancel: req.cancel });
  return { sites: sites.length, weights: weightSharing(model) };
}

/** Bytes of initializer values that view shared memory vs. bytes that are private copies. */
function weightSharing(model: Model): { shared: number; copied: number } {
  let shared = 0;
  let copied = 0;
  for (const t of model.graph.initializers) {
    if (t.storage.kind !== 'raw') continue;
    const v = tensorValues(t, model);
    if (Array.isArray(v)) continue;
    if (v.buffer instanceof SharedArrayBuffer) shared += v.byteLength;
    else copied += v.byteLength;
  }
  return { shared, copied };
}

/** Runs one batch, accumulating statistics; stops between nodes once the shared cancel flag is set. */
export function analyzeBatch(req: AnalyzeBatchArgs): { runMs: number; ranges?: Array<[number, number] | null> } {
  const st = sessions.get(req.session);
  if (!st) throw new Error(`analysis session ${req.session} is not open in this worker`);
  const { cancel } = st;
  const signal = { get aborted(): boolean { return Atomics.load(cancel, 0) !== 0; }, reason: 'analysis cancelled' };
  st.collector.setBatch(req.offset, req.count, req.histRanges);
  const t0 = performance.now();
  st.session.runSync(req.feeds, { observer: st.collector.observer, signal });
  const runMs = performance.now() - t0;
  return req.wantRanges ? { runMs, ranges: st.collector.ranges() } : { runMs };
}

/** The session's statistics (null for sites never observed); the session is dropped. */
export function analyzeClose(req: { session: number }): { stats: Array<SiteStats | null>; memory: SessionMemory } {
  const st = sessions.get(req.session);
  if (!st) throw new Error(`analysis session ${req.session} is not open in this worker`);
  sessions.delete(req.session);
  return { stats: st.collector.stats.map((s) => s ?? null), memory: analysisMemory(st.session) };
}
