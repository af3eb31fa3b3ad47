// The messages between the extension host and the report panel webview, and the state the webview
// keeps for restoring itself. Types and pure validators only: the webview bundle pulls in no Node
// code, and the host checks everything the webview posts before acting on it.
import type { Report } from '../analysis/report';

export type { Report, LayerReport } from '../analysis/report';

/** The fixes the panel offers buttons for (ids as src/fixes and the quick-fixes name them). */
export type ReportFixId = 'leaky-relu' | 'he-init' | 'revive' | 'prune' | 'pytorch-snippet';

/** Every fix id, in the order the panel lists them. */
export const REPORT_FIX_IDS: readonly ReportFixId[] = ['leaky-relu', 'revive', 'he-init', 'prune', 'pytorch-snippet'];

/** One fix button of a layer: the host decides which apply and words the title. */
export interface ReportFix {
  readonly id: ReportFixId;
  readonly title: string;
  /** The fix to try first (drawn as the primary button). */
  readonly preferred?: boolean;
}

/** What the report panel shows: the report, optionally the report before a fix, and the fixes per layer. */
export interface ReportView {
  /** The model's URI (string): kept in the webview's state so a restored panel knows its model. */
  readonly model: string;
  /** The model's file name, for the title. */
  readonly fileName: string;
  readonly report: Report;
  /** The report of the model this one was fixed from: the panel shows before → after. */
  readonly before?: Report;
  /** Per layer of `report.layers`: the fix buttons (empty when the host cannot apply fixes now). */
  readonly fixes: ReadonlyArray<readonly ReportFix[]>;
  /** Why there are no fix buttons, when there are none (e.g. the analysis is no longer current). */
  readonly fixNote?: string;
}

/** Renders a report (after `ready`, and whenever the analysis of the model is redone). */
export interface ReportInitMessage {
  readonly type: 'init';
  readonly view: ReportView;
  /** Index in `report.layers` of the layer to select, if any. */
  readonly focusLayer?: number;
}

/** Selects and scrolls to a layer of the report on screen. */
export interface ReportFocusMessage {
  readonly type: 'focus';
  readonly layer: number;
}

/** A line for the panel's status area (e.g. "Saved cnn.sarif"). */
export interface ReportStatusMessage {
  readonly type: 'status';
  readonly text: string;
}

/** Everything the host sends to the report panel. */
export type ToReportMessage = ReportInitMessage | ReportFocusMessage | ReportStatusMessage;

/** The export formats, each written by a core renderer. */
export type ExportFormat = 'json' | 'sarif' | 'html';

/** The webview is running and wants its report. */
export interface ReportReadyMessage {
  readonly type: 'ready';
}

/** The user pressed a fix button of a layer. */
export interface ApplyFixMessage {
  readonly type: 'applyFix';
  readonly fixId: ReportFixId;
  /** Index in `report.layers`. */
  readonly layer: number;
}

/** The user asked to save the report in a format. */
export interface ExportMessage {
  readonly type: 'export';
  readonly format: ExportFormat;
}

/** The user asked to see a layer's node in the model's text view. */
export interface RevealNodeMessage {
  readonly type: 'revealNode';
  /** Index in `report.layers`. */
  readonly layer: number;
}

/** Everything the report panel sends to the host. */
export type FromReportMessage = ReportReadyMessage | ApplyFixMessage | ExportMessage | RevealNodeMessage;

const FORMATS: readonly string[] = ['json', 'sarif', 'html'];

const isIndex = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

/** Narrows an untrusted value posted by the webview to a FromReportMessage, or undefined. */
export function parseFromReport(value: unknown): FromReportMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as { type?: unknown; fixId?: unknown; layer?: unknown; format?: unknown };
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'applyFix':
      return isIndex(m.layer) && typeof m.fixId === 'string' && (REPORT_FIX_IDS as readonly string[]).includes(m.fixId)
        ? { type: 'applyFix', fixId: m.fixId as ReportFixId, layer: m.layer }
        : undefined;
    case 'export':
      return typeof m.format === 'string' && FORMATS.includes(m.format) ? { type: 'export', format: m.format as ExportFormat } : undefined;
    case 'revealNode':
      return isIndex(m.layer) ? { type: 'revealNode', layer: m.layer } : undefined;
    default:
      return undefined;
  }
}

/** Whether a value has the shape of a schema-1 report (enough to render it; fields are not trusted as markup). */
export function isReport(value: unknown): value is Report {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<Report>;
  return r.schemaVersion === 1
    && typeof r.model === 'object' && r.model !== null && typeof r.model.path === 'string'
    && typeof r.samples === 'object' && r.samples !== null && typeof r.samples.count === 'number'
    && typeof r.totals === 'object' && r.totals !== null
    && Array.isArray(r.layers) && r.layers.every((l) => typeof l === 'object' && l !== null && typeof l.node === 'string' && Array.isArray(l.dead) && Array.isArray(l.activationRate))
    && Array.isArray(r.notes);
}

/** What the webview saves with `setState`: the view on screen and the user's choices. */
export interface ReportPanelState {
  readonly version: 1;
  readonly view: ReportView;
  readonly ui: ReportUiState;
}

/** The user's choices in the panel: sort order, selected layer and unit. */
export interface ReportUiState {
  readonly sort: { readonly key: SortKey; readonly dir: 'asc' | 'desc' };
  /** Selected index in `report.layers`, or -1. */
  readonly selected: number;
}

/** Sortable columns of the layer table. */
export type SortKey = 'index' | 'node' | 'op' | 'units' | 'dead' | 'provenDead' | 'dormant' | 'deadFraction' | 'sparsity' | 'severity' | 'change';

const SORT_KEYS: readonly string[] = ['index', 'node', 'op', 'units', 'dead', 'provenDead', 'dormant', 'deadFraction', 'sparsity', 'severity', 'change'];

/** Checks a saved (or restored) state; undefined when it is not one this version wrote. */
export function parseReportState(value: unknown): ReportPanelState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const s = value as { version?: unknown; view?: Partial<ReportView>; ui?: Partial<ReportUiState> };
  const v = s.view;
  if (s.version !== 1 || typeof v !== 'object' || v === null || typeof v.model !== 'string' || typeof v.fileName !== 'string' || !isReport(v.report)) return undefined;
  if (v.before !== undefined && !isReport(v.before)) return undefined;
  const fixes = Array.isArray(v.fixes) ? v.fixes.map((f) => (Array.isArray(f) ? f.filter(isFix) : [])) : [];
  const sort = s.ui?.sort;
  const ui: ReportUiState = {
    sort: sort && SORT_KEYS.includes(sort.key) && (sort.dir === 'asc' || sort.dir === 'desc') ? { key: sort.key, dir: sort.dir } : { key: 'index', dir: 'asc' },
    selected: Number.isSafeInteger(s.ui?.selected) && (s.ui!.selected as number) >= -1 && (s.ui!.selected as number) < v.report.layers.length ? (s.ui!.selected as number) : -1,
  };
  const view: ReportView = { model: v.model, fileName: v.fileName, report: v.report, ...(v.before ? { before: v.before } : {}), fixes, ...(typeof v.fixNote === 'string' ? { fixNote: v.fixNote } : {}) };
  return { version: 1, view, ui };
}

function isFix(f: unknown): f is ReportFix {
  const x = f as Partial<ReportFix> | null;
  return typeof x === 'object' && x !== null && typeof x.title === 'string' && typeof x.id === 'string' && (REPORT_FIX_IDS as readonly string[]).includes(x.id);
}
