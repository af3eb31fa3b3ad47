// `reluDoctor.analyzeActivations` and `reluDoctor.chooseData`: decide the data (command options,
// the remembered choice, or a quick pick), run the analysis in a worker, store the result (which
// updates diagnostics and hovers), show the report, and resolve to the JSON report.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Report } from '../analysis/report';
import type { ModelStore } from './modelStore';
import { analysisOptions, RunChoice } from './analysisSettings';
import { CancelledError, RunnerDeps, runAnalysis } from './analysisRunner';
import { workerCount } from './config';
import { pickData, rememberData, rememberedData, resolveDataArg } from './dataPicker';
import { log, logError } from './outputChannel';
import { notificationText } from './plainText';
import type { AnalysisResult, AnalysisResults } from './results';
import type { ShowReport } from './reportHook';

/** Options a script passes to `reluDoctor.analyzeActivations`; with them, nothing is asked. */
export interface AnalyzeArgs {
  /** A data path (relative: from the model's folder) or 'random'; default: the remembered choice, else random. */
  data?: string;
  samples?: number;
  seed?: number;
}

/** What the analysis commands need from the extension. */
export interface AnalyzeDeps extends RunnerDeps {
  readonly state: vscode.Memento;
  readonly store: Pick<ModelStore, 'text'>;
  readonly results: AnalysisResults;
  /** Fix ids the core can apply, per layer of the report (computed off the host's thread). */
  readonly applicable: (model: vscode.Uri, report: Report) => Promise<string[][]>;
  readonly showReport: ShowReport;
}

/** Validated command options, or undefined when the argument is not an options object. */
function scriptArgs(arg: unknown): AnalyzeArgs | undefined {
  if (!arg || typeof arg !== 'object' || arg instanceof vscode.Uri) return undefined;
  const o = arg as Record<string, unknown>;
  const out: AnalyzeArgs = {};
  if (o.data !== undefined) {
    if (typeof o.data !== 'string' || o.data === '') throw new Error('reluDoctor.analyzeActivations: options.data must be a path or "random"');
    out.data = o.data;
  }
  for (const k of ['samples', 'seed'] as const) {
    const v = o[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || (k === 'samples' && v < 1)) throw new Error(`reluDoctor.analyzeActivations: options.${k} must be ${k === 'samples' ? 'a positive' : 'an'} integer`);
    out[k] = v;
  }
  return out;
}

/** A stored choice as the run's data (undefined: random). */
const dataOf = (choice: string): string | undefined => (choice === 'random' ? undefined : choice);

/** Analyses `model` with `choice` and stores the result; rejects with CancelledError or a one-line Error. */
export async function analyzeWith(deps: AnalyzeDeps, model: vscode.Uri, choice: RunChoice, before?: AnalysisResult['before']): Promise<AnalysisResult> {
  const config = vscode.workspace.getConfiguration('reluDoctor');
  const options = analysisOptions((k, d) => config.get(k, d), choice, workerCount());
  const [report, text] = await Promise.all([runAnalysis(deps, model, options), deps.store.text(model)]);
  let applicable: string[][];
  try {
    applicable = await deps.applicable(model, report);
  } catch (e) {
    logError(`Could not list the fixes for ${path.basename(model.fsPath)}: ${e instanceof Error ? e.message : String(e)}`);
    applicable = report.layers.map(() => []);
  }
  const result: AnalysisResult = { model, report, layerLines: text.layerLines, choice, applicable, ...(before ? { before } : {}) };
  await deps.results.set(result);
  return result;
}

/**
 * The command: `(model?, options?)`. With options it asks nothing and resolves to the report (or
 * rejects with the error); without, it asks for data once per model and reports errors as messages.
 */
export async function analyzeActivations(deps: AnalyzeDeps, model: vscode.Uri | undefined, arg?: unknown): Promise<Report | undefined> {
  const scripted = scriptArgs(arg);
  if (!model) {
    const msg = 'ReLU Doctor: open an .onnx model (or select one in the Explorer), then run "Analyze Activations".';
    if (scripted) throw new Error(msg);
    void vscode.window.showWarningMessage(msg);
    return undefined;
  }
  try {
    let choice: RunChoice;
    if (scripted) {
      const data = scripted.data !== undefined ? resolveDataArg(model, scripted.data) : rememberedData(deps.state, model) ?? 'random';
      if (scripted.data !== undefined) await rememberData(deps.state, model, data);
      choice = { data: dataOf(data), samples: scripted.samples, seed: scripted.seed };
    } else {
      const data = rememberedData(deps.state, model) ?? (await pickData(deps.state, model));
      if (data === undefined) return undefined;
      choice = { data: dataOf(data) };
    }
    const { report } = await analyzeWith(deps, model, choice);
    if (!scripted) void notifyDone(deps, model, report);
    void deps.showReport(report, { model, reveal: !scripted });
    return report;
  } catch (e) {
    if (e instanceof CancelledError) return undefined;
    const msg = `ReLU Doctor: ${(e instanceof Error ? e.message : String(e)).split(/\r?\n/, 1)[0]}`;
    logError(msg);
    if (scripted) throw new Error(msg);
    // The message may quote model strings (node and input names): no link in it may come alive.
    void vscode.window.showErrorMessage(notificationText(msg));
    return undefined;
  }
}

/** The summary notification after an interactive analysis, with "Show Report" and "Change Data…". */
async function notifyDone(deps: AnalyzeDeps, model: vscode.Uri, r: Report): Promise<void> {
  const name = notificationText(path.basename(model.fsPath));
  const t = r.totals;
  const msg = `ReLU Doctor: ${name}: ${t.dead} of ${t.units} ReLU units dead${t.provenDead ? ` (${t.provenDead} proven)` : ''}, ${t.dormant} dormant, on ${r.samples.count} ${r.samples.random ? 'RANDOM ' : ''}samples.`;
  const show = t.worstSeverity === 'none' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  const pick = await show(msg, 'Show Report', 'Change Data…');
  if (pick === 'Show Report') void deps.showReport(r, { model, reveal: true });
  if (pick === 'Change Data…') void chooseData(deps, model);
}

/** `reluDoctor.chooseData`: asks for the model's data again, then analyses with it. */
export async function chooseData(deps: AnalyzeDeps, model: vscode.Uri | undefined): Promise<Report | undefined> {
  if (!model) {
    void vscode.window.showWarningMessage('ReLU Doctor: open an .onnx model first, then choose its data.');
    return undefined;
  }
  const data = await pickData(deps.state, model);
  if (data === undefined) return undefined;
  log(`Data for ${model.fsPath}: ${data}`);
  return analyzeActivations(deps, model);
}
