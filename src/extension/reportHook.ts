// The hook through which analyses and fixes show a report. Until the report panel
// (src/extension/reportPanel.ts) is wired in extension.ts, `logReport` stands in: it writes the
// report's JSON to the output channel. Replace it by passing the panel's function instead.
import type * as vscode from 'vscode';
import type { Report } from '../analysis/report';
import { compareLines, reportLine } from './findings';
import { output } from './outputChannel';

/** Where and how to show a report. */
export interface ShowReportOptions {
  /** The analysed model file. */
  readonly model: vscode.Uri;
  /** Index in `report.layers` of the layer to select. */
  readonly layer?: number;
  /** The report before a fix, for a before → after view. */
  readonly before?: Report;
  /** Bring the report to the front (false: update it only if it is already shown). */
  readonly reveal?: boolean;
}

/** Shows a report (the report panel, or the placeholder below). */
export type ShowReport = (report: Report, options: ShowReportOptions) => unknown;

/** Placeholder ShowReport: logs a summary, the before → after lines and the JSON to the output channel. */
export const logReport: ShowReport = (report, options) => {
  const ch = output();
  ch.info(`Report for ${options.model.fsPath}${options.layer !== undefined ? ` at layer ${options.layer} (${report.layers[options.layer]?.node ?? '?'})` : ''}: ${reportLine(report)}`);
  if (options.before) for (const l of compareLines(options.before, report)) ch.info(`  before → after: ${l}`);
  ch.info(JSON.stringify(report));
  if (options.reveal) ch.show(true);
};
