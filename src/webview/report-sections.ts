// The report panel's overview: header with the export buttons, the random-data warning, the
// before → after banner, the summary facts, one stacked bar per ReLU layer, the activations that
// cannot die, and the notes. Every model string enters the DOM as a text node.
import type { ExportFormat, LayerReport, Report, ReportView } from '../protocol/report';
import { Child, h } from './dom';
import { count, dataLine, duration, ofUnits, pct } from './report-format';
import { compareReports, LayerCounts, layerCounts } from './report-model';
import { section } from './sections';

/** The sticky header: title and the export buttons. */
export function reportHeader(view: ReportView, onExport: (f: ExportFormat) => void): HTMLElement {
  const button = (f: ExportFormat, label: string, title: string) => {
    const b = h('button', { type: 'button', class: 'secondary', testid: `export-${f}`, title }, label);
    b.addEventListener('click', () => onExport(f));
    return b;
  };
  return h(
    'header',
    { class: 'header' },
    h('h1', { testid: 'report-title' }, 'ReLU Doctor report: ', h('span', { class: 'file' }, view.fileName)),
    h(
      'div',
      { class: 'actions', role: 'group', 'aria-label': 'Export the report' },
      button('json', 'Export JSON', 'Save the report as JSON (schema 1)'),
      button('sarif', 'Export SARIF', 'Save the findings as SARIF 2.1.0'),
      button('html', 'Export HTML', 'Save a self-contained HTML page'),
    ),
  );
}

/** The loud warning shown when the inputs were generated, or null. */
export function randomBanner(r: Report): HTMLElement | null {
  if (!r.samples.random) return null;
  return h(
    'div',
    { class: 'banner random', role: 'alert', testid: 'random-banner' },
    h('strong', {}, 'Random inputs. '),
    'These results describe generated data, not your model\'s real inputs: units dead here may fire on real data and vice versa. Choose a data set ("ReLU Doctor: Choose Analysis Data…") for a verdict you can act on.',
  );
}

/** The before → after banner after a fix, or null. */
export function compareBanner(view: ReportView): HTMLElement | null {
  const b = view.before;
  if (!b) return null;
  const a = view.report;
  const { removed } = compareReports(b, a);
  const items: Child[] = removed.map((x) =>
    h('li', {}, h('code', {}, x.node), `: ${ofUnits(x.deadBefore, x.unitsBefore)} dead → `, x.nowOp ? `${x.nowOp}, which cannot die` : 'no longer a ReLU layer'),
  );
  return h(
    'section',
    { class: 'banner compare', testid: 'compare-banner', 'aria-label': 'Before and after the fix' },
    h('strong', {}, 'After the fix: '),
    `dead units ${count(b.totals.dead)} → ${count(a.totals.dead)}; proven dead ${count(b.totals.provenDead)} → ${count(a.totals.provenDead)}; dormant ${count(b.totals.dormant)} → ${count(a.totals.dormant)} (before: `,
    h('code', {}, b.model.path),
    ').',
    items.length ? h('ul', { testid: 'removed-layers' }, ...items) : null,
  );
}

/** Weights and peak intermediates, in MiB. */
function memoryLine(m: NonNullable<Report['timing']['memory']>): string {
  const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;
  return `weights ${mib(m.weightBytes)} + ${mib(m.intermediateBytes)} at peak for intermediates and kernel scratch (${m.sessions} ${m.sessions === 1 ? 'thread' : 'threads'})`;
}

/** The summary facts: model, data, samples, time, totals, memory. */
export function summaryCard(r: Report): HTMLElement {
  const t = r.totals;
  const rows: Array<[string, Child, string]> = [
    ['Model', h('code', {}, r.model.path), 'model-path'],
    ['Graph', r.model.name || '–', 'graph-name'],
    ['Producer', r.model.producer || h('span', { class: 'muted' }, 'not recorded'), 'producer'],
    ['Data', r.samples.random ? h('strong', { class: 'sev-warning' }, dataLine(r)) : dataLine(r), 'data'],
    ['Time', `${duration(r.timing.totalMs)} (${count(Math.round(r.timing.samplesPerSecond))} samples/s)`, 'time'],
    ...(r.timing.memory ? [['Memory', memoryLine(r.timing.memory), 'memory'] as [string, Child, string]] : []),
    ['ReLU layers', count(t.layers), 'layer-count'],
    ['Dead', ofUnits(t.dead, t.units), 'total-dead'],
    ['Proven dead', ofUnits(t.provenDead, t.units), 'total-proven'],
    ['Dormant', ofUnits(t.dormant, t.units), 'total-dormant'],
    ['Always active', ofUnits(t.alwaysActive, t.units), 'total-always'],
    ['Worst severity', severityBadge(t.worstSeverity), 'worst'],
  ];
  return section('summary', 'Summary', h('dl', { class: 'facts' }, ...rows.flatMap(([k, v, id]) => [h('dt', {}, k), h('dd', { testid: id }, v)])));
}

/** A severity as a coloured badge with a word (colour is never the only cue). */
export function severityBadge(s: string): HTMLElement {
  const word = s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'ok';
  return h('span', { class: `sev sev-${s === 'error' || s === 'warning' ? s : 'none'}` }, word);
}

const SEGMENTS: ReadonlyArray<{ key: keyof Omit<LayerCounts, 'units'>; cls: string; label: string }> = [
  { key: 'provenDead', cls: 'seg-proven', label: 'proven dead' },
  { key: 'dead', cls: 'seg-dead', label: 'dead' },
  { key: 'dormant', cls: 'seg-dormant', label: 'dormant' },
  { key: 'alive', cls: 'seg-alive', label: 'alive' },
];

/** A stacked bar of a layer's units (widths through the CSSOM, never a style attribute). */
export function stackedBar(l: LayerReport): HTMLElement {
  const c = layerCounts(l);
  const label = SEGMENTS.map((s) => `${c[s.key]} ${s.label}`).join(', ');
  const bar = h('span', { class: `stack sev-border-${l.severity}`, role: 'img', 'aria-label': `${label} of ${l.units} units` });
  for (const s of SEGMENTS) {
    if (!c[s.key]) continue;
    const seg = h('span', { class: `seg ${s.cls}`, title: `${c[s.key]} ${s.label}` });
    seg.style.width = `${((100 * c[s.key]) / Math.max(1, c.units)).toFixed(3)}%`;
    bar.append(seg);
  }
  return bar;
}

/** The legend of the stacked bars. */
export function barLegend(): HTMLElement {
  return h('p', { class: 'legend', 'aria-hidden': 'true' }, ...SEGMENTS.map((s) => h('span', { class: 'key' }, h('span', { class: `swatch ${s.cls}` }), s.label)));
}

/** One bar per ReLU layer in network order; clicking a row selects the layer (the table is the keyboard path). */
export function barsCard(r: Report, onSelect: (layer: number) => void): { element: HTMLElement; rows: HTMLElement[] } {
  const rows = r.layers.map((l, i) => {
    const c = layerCounts(l);
    const row = h(
      'li',
      { class: `bar-row sev-row-${l.severity}`, 'data-layer': i, title: `${l.node}: ${c.provenDead + c.dead} dead of ${l.units}` },
      h('span', { class: 'bar-name' }, h('code', {}, l.node)),
      stackedBar(l),
      h('span', { class: 'bar-count' }, `${pct((c.provenDead + c.dead) / Math.max(1, l.units))} dead`),
      severityBadge(l.severity),
    );
    row.addEventListener('click', () => onSelect(i));
    return row;
  });
  const body = r.layers.length ? h('ol', { class: 'bars', testid: 'bars' }, ...rows) : h('p', { class: 'muted' }, 'This model has no ReLU layers.');
  return { element: section('overview', 'ReLU layers in network order', barLegend(), body), rows };
}

/** Activations that cannot die and the notes, or null when there are neither. */
export function notesCard(r: Report): HTMLElement | null {
  if (!r.notes.length && !r.nonDying.length) return null;
  return section(
    'notes',
    'Notes',
    r.notes.length ? h('ul', { class: 'notes' }, ...r.notes.map((n) => h('li', {}, n))) : null,
    r.nonDying.length
      ? h('p', {}, 'Activations that cannot die the ReLU way: ', ...r.nonDying.flatMap((n, i) => [i ? ', ' : '', h('code', {}, n.node), ` (${n.op})`]))
      : null,
  );
}
