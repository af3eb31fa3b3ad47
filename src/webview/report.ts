// The report panel webview: renders the analysis report the host sends (never recomputing it),
// keeps the view and the user's choices in setState so a restored panel shows at once, and posts
// what the user does (fix, export, reveal) as the typed messages of src/protocol/report.ts.
import type { FromReportMessage, ReportPanelState, ReportUiState, ReportView, ToReportMessage } from '../protocol/report';
import { parseReportState } from '../protocol/report';
import { clear, h } from './dom';
import { layerDetail } from './report-layer';
import { compareReports, defaultSelection } from './report-model';
import { barsCard, compareBanner, notesCard, randomBanner, reportHeader, summaryCard } from './report-sections';
import { layerTable, LayerTable } from './report-table';

interface VsCodeApi {
  postMessage(message: FromReportMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;

/** What is on screen; undefined until the first report arrives. */
let state: ReportPanelState | undefined;
let table: LayerTable | undefined;
let barRows: HTMLElement[] = [];
let detailSlot: HTMLElement | undefined;
let status: HTMLElement | undefined;

function save(): void {
  if (state) vscode.setState(state);
}

/** Renders a view; `ui` carries the sort and selection to keep. */
function render(view: ReportView, ui: ReportUiState): void {
  const r = view.report;
  const changes = view.before ? compareReports(view.before, r).layers : undefined;
  state = { version: 1, view, ui };
  save();
  clear(app);
  app.removeAttribute('aria-busy');
  status = h('p', { class: 'status-line', role: 'status', testid: 'status' });
  const bars = barsCard(r, (i) => select(i, false));
  barRows = bars.rows;
  table = layerTable(
    r,
    changes,
    ui.sort,
    ui.selected,
    (sort) => update({ sort }),
    (i) => select(i, false),
  );
  detailSlot = h('div', { id: 'detail-slot' });
  app.append(
    reportHeader(view, (format) => vscode.postMessage({ type: 'export', format })),
    status,
    randomBanner(r) ?? '',
    compareBanner(view) ?? '',
    h('div', { class: 'grid' }, summaryCard(r), bars.element),
    table.element,
    detailSlot,
    notesCard(r) ?? '',
  );
  showDetail(ui.selected);
}

function update(patch: Partial<ReportUiState>): void {
  if (!state) return;
  state = { ...state, ui: { ...state.ui, ...patch } };
  save();
}

/** Shows a layer's details (from the table, the bars or the host). */
function select(layer: number, focusRow: boolean): void {
  if (!state || layer < 0 || layer >= state.view.report.layers.length) return;
  update({ selected: layer });
  table?.select(layer, focusRow);
  showDetail(layer);
}

function showDetail(layer: number): void {
  if (!state || !detailSlot) return;
  const view = state.view;
  barRows.forEach((row, i) => row.classList.toggle('selected', i === layer));
  clear(detailSlot);
  if (layer < 0 || layer >= view.report.layers.length) {
    detailSlot.append(h('p', { class: 'muted' }, view.report.layers.length ? 'Select a layer to see its units, histogram and causes.' : ''));
    return;
  }
  const change = view.before ? compareReports(view.before, view.report).layers[layer] : undefined;
  detailSlot.append(
    layerDetail({
      report: view.report,
      layer,
      fixes: view.fixes[layer] ?? [],
      ...(view.fixNote ? { fixNote: view.fixNote } : {}),
      ...(change ? { change } : {}),
      onFix: (fixId) => vscode.postMessage({ type: 'applyFix', fixId, layer }),
      onReveal: () => vscode.postMessage({ type: 'revealNode', layer }),
    }),
  );
}

window.addEventListener('message', (e: MessageEvent<ToReportMessage>) => {
  const m = e.data;
  switch (m?.type) {
    case 'init': {
      const same = state && state.view.model === m.view.model && state.view.report.layers.length === m.view.report.layers.length;
      const kept = same ? state!.ui : undefined;
      const selected = m.focusLayer !== undefined ? defaultSelection(m.view.report, m.focusLayer) : kept && kept.selected >= 0 ? kept.selected : defaultSelection(m.view.report);
      render(m.view, { sort: kept?.sort ?? { key: 'index', dir: 'asc' }, selected });
      if (m.focusLayer !== undefined) document.getElementById('layer-detail')?.scrollIntoView({ block: 'start' });
      return;
    }
    case 'focus':
      select(m.layer, true);
      document.getElementById('layer-detail')?.scrollIntoView({ block: 'start' });
      return;
    case 'status':
      if (status) status.textContent = m.text;
      return;
  }
});

// A restored panel (reload, or hidden and shown again) renders its saved report at once; the
// host's answer to `ready` then replaces it with the current one.
const saved = parseReportState(vscode.getState());
if (saved) render(saved.view, saved.ui);
else {
  app.setAttribute('aria-busy', 'true');
  app.append(h('p', { class: 'muted' }, 'Loading the report…'));
}
vscode.postMessage({ type: 'ready' });
