// Runs one analysis of a model off the extension host's thread (the worker's `analyze` job), under
// a cancellable progress notification that counts samples, and logs what ran with timings.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { AnalyzeOptions } from '../analysis/analyze';
import type { Report } from '../analysis/report';
import type { WorkerPool } from '../worker/pool';
import { parseAnalyzeProgress } from '../worker/analyze-progress';
import { reportLine } from './findings';
import { log } from './outputChannel';
import { notificationText } from './plainText';

/** Thrown when the user cancels; callers resolve quietly. */
export class CancelledError extends Error {
  constructor() {
    super('analysis cancelled');
  }
}

/** What a run needs from the extension: the analysis worker pool. */
export interface RunnerDeps {
  readonly pool: Pick<WorkerPool, 'run'>;
}

/** A readable description of the options for the log. */
function describe(o: AnalyzeOptions): string {
  const parts = [o.data ? `data ${o.data}` : `RANDOM inputs (seed ${o.seed ?? 0})`, `${o.samples} samples`, `τ ${o.tau}`, `warn ≥ ${o.warnFraction}`, `error ≥ ${o.errorFraction}`, `${o.workers} worker thread(s)`];
  if (o.dims) parts.push(`dims ${JSON.stringify(o.dims)}`);
  if (o.imageMean) parts.push(`mean [${o.imageMean.join(', ')}]`);
  if (o.imageStd) parts.push(`std [${o.imageStd.join(', ')}]`);
  return parts.join(', ');
}

/**
 * Analyses the model file at `model` in a worker thread with a progress notification. Resolves to
 * the report; rejects with CancelledError when cancelled (nothing is kept), or a one-line Error.
 */
export async function runAnalysis(deps: RunnerDeps, model: vscode.Uri, options: AnalyzeOptions): Promise<Report> {
  if (model.scheme !== 'file') throw new Error(`${path.posix.basename(model.path)}: only models on disk can be analysed (this one is ${model.scheme}:)`);
  const name = path.basename(model.fsPath);
  log(`Analysing ${model.fsPath}: ${describe(options)}`);
  const t0 = Date.now();
  const controller = new AbortController();
  try {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: notificationText(`ReLU Doctor: analysing ${name}`), cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        let shown = 0;
        progress.report({ message: 'loading the model…' });
        const r = await deps.pool.run(
          { type: 'analyze', path: model.fsPath, options },
          {
            signal: controller.signal,
            progress: (detail) => {
              const p = parseAnalyzeProgress(detail);
              if (!p) return progress.report({ message: notificationText(detail) });
              const pctDone = p.total > 0 ? (100 * p.done) / p.total : 0;
              progress.report({ message: `${p.done} of ${p.total} samples`, increment: Math.max(0, pctDone - shown) });
              shown = Math.max(shown, pctDone);
            },
          },
        );
        return r.report;
      },
    );
    log(`Analysed ${name} in ${Date.now() - t0} ms (run ${report.timing.runMs} ms, ${report.timing.samplesPerSecond} samples/s): ${reportLine(report)}`);
    return report;
  } catch (e) {
    if (controller.signal.aborted) {
      log(`Cancelled the analysis of ${name} after ${Date.now() - t0} ms; nothing was kept.`);
      throw new CancelledError();
    }
    const msg = (e instanceof Error ? e.message : String(e)).split(/\r?\n/, 1)[0];
    throw new Error(msg);
  }
}
