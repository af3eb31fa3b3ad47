// Diagnostics from the latest analysis: one per ReLU layer with dead units, on the model file (line
// 0: it is binary) and on that node's line in the model's text view, pointing at the producing
// layer's line. Recomputed whenever a model's result is set or cleared.
import * as vscode from 'vscode';
import { Finding, findings, SOURCE } from './findings';
import type { AnalysisResults } from './results';
import { textUri } from './textView';

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

/** A whole-line range (the text view's lines are short; the end column is clamped by VS Code). */
function lineRange(line: number): vscode.Range {
  const l = Math.max(0, line);
  return new vscode.Range(l, 0, l, 10_000);
}

/** The diagnostic for a finding, on `uri` at `line`. */
function toDiagnostic(f: Finding, text: vscode.Uri, line: number): vscode.Diagnostic {
  const d = new vscode.Diagnostic(lineRange(line), f.message, SEVERITY[f.severity]);
  d.source = SOURCE;
  d.code = f.code;
  if (f.related) d.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(text, lineRange(f.related.line)), f.related.message)];
  return d;
}

/** Keeps a DiagnosticCollection in step with the analysis results. */
export function registerDiagnostics(results: AnalysisResults): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('reluDoctor');
  const update = (model: vscode.Uri): void => {
    const text = textUri(model);
    const r = results.get(model);
    if (!r) {
      collection.delete(model);
      collection.delete(text);
      return;
    }
    const fs = findings(r.report, r.layerLines);
    collection.set(model, fs.map((f) => toDiagnostic(f, text, 0)));
    collection.set(text, fs.map((f) => toDiagnostic(f, text, f.line)));
  };
  const sub = results.onDidChange(update);
  results.models().forEach(update);
  return vscode.Disposable.from(sub, collection);
}
