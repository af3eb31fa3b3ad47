// Pure host-side logic of the report panel (no `vscode` import, unit-tested): the fix buttons a
// report gets from the latest analysis, the panel's title, and the exported files' names and
// contents, written by the core renderers (JSON as is, SARIF, self-contained HTML).
import type { Report } from '../analysis/report';
import { toHtml } from '../analysis/html';
import { toSarif } from '../analysis/sarif';
import type { ExportFormat, ReportFix, ReportView } from '../protocol/report';
import { fixActions, oneLine } from './findings';

/** The analysis the fix commands act on: its report and the fix ids the core offers per layer. */
export interface CurrentAnalysis {
  readonly report: Report;
  readonly applicable: ReadonlyArray<readonly string[]>;
}

/** Why a report shows no fix buttons when it is not the current analysis of its model. */
export const STALE_FIX_NOTE = 'Fixes act on the latest analysis of the model: run "Analyze Activations" again to apply them.';

/**
 * The view the panel renders. Fix buttons only when `report` is the model's current analysis (the
 * fix commands read that one), only on layers with dead units the core offers fixes for.
 */
export function reportView(model: string, fileName: string, report: Report, before: Report | undefined, current: CurrentAnalysis | undefined, alpha: number): ReportView {
  const live = current !== undefined && current.report === report;
  const fixes = report.layers.map((l, i): ReportFix[] => {
    const ids = live ? current.applicable[i] ?? [] : [];
    if (!ids.length || (l.dead.length === 0 && l.provenDead.length === 0)) return [];
    return fixActions(l, ids, alpha).map((a) => ({ id: a.kind === 'pytorch' ? 'pytorch-snippet' : a.kind, title: a.title, ...(a.preferred ? { preferred: true } : {}) }));
  });
  return { model, fileName, report, ...(before ? { before } : {}), fixes, ...(live ? {} : { fixNote: STALE_FIX_NOTE }) };
}

/** The panel's title for a model file. */
export function reportTitle(fileName: string): string {
  return `ReLU Report: ${oneLine(fileName, 60)}`;
}

const EXT: Record<ExportFormat, string> = { json: 'json', sarif: 'sarif', html: 'html' };

/** The suggested export name beside the model: `cnn.onnx` → `cnn.relu-doctor.sarif`. */
export function exportFileName(modelFileName: string, format: ExportFormat): string {
  return `${modelFileName.replace(/\.onnx$/i, '')}.relu-doctor.${EXT[format]}`;
}

/** The save dialog's filter for a format. */
export function exportFilter(format: ExportFormat): Record<string, string[]> {
  return format === 'json' ? { 'JSON report': ['json'] } : format === 'sarif' ? { 'SARIF log': ['sarif', 'json'] } : { 'HTML page': ['html', 'htm'] };
}

/** The file's text for a format, from the core renderers. */
export function exportContent(report: Report, format: ExportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(toSarif(report), null, 2)}\n`;
    case 'html':
      return toHtml(report);
  }
}
