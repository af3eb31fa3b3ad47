// Quick-fixes on ReLU Doctor's diagnostics in a model's text view, and the commands they (and the
// report's buttons) run: `reluDoctor.applyFix` rewrites the model with a core fix in a worker,
// writes `<name>.fixed.onnx` beside it (asking before overwriting), opens it, re-analyses it with
// the same data and shows before → after; `reluDoctor.copyPytorchFix` copies the PyTorch snippet.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Report } from '../analysis/report';
import { leakyAlpha } from './analysisSettings';
import { CancelledError } from './analysisRunner';
import { AnalyzeDeps, analyzeWith } from './analyzeCommand';
import { rememberData } from './dataPicker';
import { compareLines, FixAction, fixActions, fixedName, layerAtLine, SOURCE } from './findings';
import { log, logError } from './outputChannel';
import { notificationText } from './plainText';
import { modelUriOf, TEXT_SCHEME } from './textUri';

/** The rewrites, run off the host's thread. */
export interface FixBackend {
  /** Applies `fixId` to layer `layer` of `report` for the model at `modelPath`, writing `out`. */
  rewrite(req: { modelPath: string; report: Report; layer: number; fixId: string; out: string; overwrite: boolean; alpha: number; seed: number }): Promise<{ summary: string }>;
  /** The PyTorch snippet for a layer. */
  snippet(report: Report, layer: number, alpha: number): string;
}

/** What `reluDoctor.applyFix` resolves to. */
export interface FixOutcome {
  /** The written model's URI (string). */
  fixed: string;
  /** What the rewrite changed, in one line. */
  summary: string;
  before: Report;
  after: Report;
}

const setting = <T>(k: string, d: T): T => vscode.workspace.getConfiguration('reluDoctor').get<T>(k, d);

/** The message when this build has no rewrites (src/fixes) wired in. */
const NO_FIXES = 'ReLU Doctor: model rewrites are not available in this build yet.';

/** Registers the code action provider and the two fix commands; without a backend, no fixes are offered. */
export function registerCodeActions(deps: AnalyzeDeps, backend: FixBackend | undefined): vscode.Disposable {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(doc, _range, context) {
      const model = modelUriOf(doc.uri.scheme, doc.uri.query);
      const r = model ? deps.results.get(model) : undefined;
      if (!backend || !model || !r) return [];
      const alpha = leakyAlpha(setting);
      const out: vscode.CodeAction[] = [];
      for (const d of context.diagnostics) {
        if (d.source !== SOURCE || (d.code !== 'dead-units' && d.code !== 'proven-dead')) continue;
        const at = layerAtLine(r.report, r.layerLines, d.range.start.line);
        if (!at || at.role !== 'activation') continue;
        for (const a of fixActions(r.report.layers[at.layer], r.applicable[at.layer] ?? [], alpha)) out.push(toAction(a, d, model, at.layer));
      }
      return out;
    },
  };
  return vscode.Disposable.from(
    vscode.languages.registerCodeActionsProvider({ scheme: TEXT_SCHEME }, provider, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.commands.registerCommand('reluDoctor.applyFix', (model: unknown, fixId: unknown, layer: unknown, options?: unknown) => {
      if (!backend) throw new Error(NO_FIXES);
      return applyFix(deps, backend, model, fixId, layer, options);
    }),
    vscode.commands.registerCommand('reluDoctor.copyPytorchFix', async (model: unknown, layer: unknown) => {
      if (!backend) throw new Error(NO_FIXES);
      const r = typeof model === 'string' ? deps.results.get(model) : undefined;
      if (!r || typeof layer !== 'number' || !r.report.layers[layer]) return undefined;
      const snippet = backend.snippet(r.report, layer, leakyAlpha(setting));
      await vscode.env.clipboard.writeText(snippet);
      void vscode.window.showInformationMessage('ReLU Doctor: the PyTorch fix is on the clipboard.');
      return snippet;
    }),
  );
}

/** A quick-fix CodeAction running one of the commands with (model URI string, fix id, layer index). */
function toAction(a: FixAction, d: vscode.Diagnostic, model: string, layer: number): vscode.CodeAction {
  const action = new vscode.CodeAction(a.title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [d];
  action.isPreferred = a.preferred === true;
  action.command = a.kind === 'pytorch'
    ? { title: a.title, command: 'reluDoctor.copyPytorchFix', arguments: [model, layer] }
    : { title: a.title, command: 'reluDoctor.applyFix', arguments: [model, a.kind, layer] };
  return action;
}

/**
 * Where to write the fixed model: `<name>.fixed.onnx`, or, when it exists, what the user chooses
 * (overwrite it or save elsewhere); `overwrite: true` replaces without asking, `false` refuses.
 */
async function destination(model: vscode.Uri, overwrite: boolean | undefined): Promise<{ out: string; overwrite: boolean } | undefined> {
  const out = path.join(path.dirname(model.fsPath), fixedName(path.basename(model.fsPath)));
  if (!fs.existsSync(out) || overwrite === true) return { out, overwrite: fs.existsSync(out) };
  // Scripted callers that say overwrite: false get a refusal instead of a question.
  if (overwrite === false) throw new Error(`ReLU Doctor: ${path.basename(out)} already exists; pass { overwrite: true } to replace it`);
  const pick = await vscode.window.showWarningMessage(notificationText(`ReLU Doctor: ${path.basename(out)} already exists.`), { modal: true, detail: 'Overwrite it with the new fixed model, or save the fixed model under another name?' }, 'Overwrite', 'Save As…');
  if (pick === 'Overwrite') return { out, overwrite: true };
  if (pick !== 'Save As…') return undefined;
  const uri = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(out), filters: { 'ONNX models': ['onnx'] }, title: 'Save the fixed model as' });
  if (!uri) return undefined;
  // The save dialog already asked about replacing an existing file.
  return { out: uri.fsPath, overwrite: true };
}

/** `reluDoctor.applyFix(model, fixId, layer, { overwrite }?)`: resolves to the outcome, or undefined when cancelled. */
async function applyFix(deps: AnalyzeDeps, backend: FixBackend, modelArg: unknown, fixId: unknown, layer: unknown, options?: unknown): Promise<FixOutcome | undefined> {
  const fail = (msg: string): never => {
    throw new Error(`ReLU Doctor: ${msg}`);
  };
  try {
    const model = typeof modelArg === 'string' ? vscode.Uri.parse(modelArg, true) : modelArg instanceof vscode.Uri ? modelArg : fail('applyFix needs the model URI');
    const r = deps.results.get(model) ?? fail(`analyse ${path.basename(model.fsPath)} first: there is no report to fix from`);
    if (typeof fixId !== 'string') fail('applyFix needs a fix id');
    if (typeof layer !== 'number' || !r.report.layers[layer]) fail(`applyFix: no layer ${String(layer)} in the report`);
    const l = layer as number;
    const id = fixId as string;
    const opts = (options && typeof options === 'object' ? options : {}) as { overwrite?: unknown };
    const dest = await destination(model, typeof opts.overwrite === 'boolean' ? opts.overwrite : undefined);
    if (!dest) return undefined;
    if (path.resolve(dest.out) === path.resolve(model.fsPath)) fail('the fixed model cannot replace the model it is fixed from');
    const t0 = Date.now();
    const { summary } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: notificationText(`ReLU Doctor: applying ${id} to ${r.report.layers[l].node}`) }, () =>
      backend.rewrite({ modelPath: model.fsPath, report: r.report, layer: l, fixId: id, out: dest.out, overwrite: dest.overwrite, alpha: leakyAlpha(setting), seed: setting<number>('seed', 0) }),
    );
    log(`Fix ${id} on ${r.report.layers[l].node} of ${model.fsPath}: ${summary}; wrote ${dest.out} in ${Date.now() - t0} ms`);
    const fixed = vscode.Uri.file(dest.out);
    await rememberData(deps.state, fixed, r.choice.data ?? 'random');
    await vscode.commands.executeCommand('vscode.open', fixed);
    const after = await analyzeWith(deps, fixed, r.choice, { model, report: r.report });
    const lines = compareLines(r.report, after.report);
    for (const line of lines) log(`  before → after: ${line}`);
    void deps.showReport(after.report, { model: fixed, before: r.report, reveal: true });
    void vscode.window.showInformationMessage(notificationText(`ReLU Doctor: wrote ${path.basename(dest.out)}. ${lines[0]}.`));
    return { fixed: fixed.toString(), summary, before: r.report, after: after.report };
  } catch (e) {
    if (e instanceof CancelledError) return undefined;
    const msg = (e instanceof Error ? e.message : String(e)).split(/\r?\n/, 1)[0];
    const line = msg.startsWith('ReLU Doctor:') ? msg : `ReLU Doctor: ${msg}`;
    logError(line);
    void vscode.window.showErrorMessage(notificationText(line));
    throw new Error(line);
  }
}
