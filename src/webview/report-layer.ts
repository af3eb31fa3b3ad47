// The selected layer's details: facts, fix buttons, the unit grid (coloured by verdict and
// activation rate, arrow-key navigable with a readout), the pre-activation histogram, and the
// causes of its dead units with their remedies.
import type { LayerReport, Report, ReportFix, ReportFixId } from '../protocol/report';
import { Child, h } from './dom';
import { causeLabel, count, ofUnits, pct, remedyLabel, unitDetail, unitRanges } from './report-format';
import { histogramFigure } from './report-histogram';
import { LayerChange, MAX_GRID_UNITS, moveInGrid, UNIT_LEGEND, unitCategories } from './report-model';
import { severityBadge, stackedBar } from './report-sections';

/** What the detail section needs besides the layer. */
export interface LayerDetailInput {
  readonly report: Report;
  readonly layer: number;
  readonly fixes: readonly ReportFix[];
  readonly fixNote?: string;
  readonly change?: LayerChange;
  readonly onFix: (fixId: ReportFixId) => void;
  readonly onReveal: () => void;
}

/** The detail section of one layer. */
export function layerDetail(d: LayerDetailInput): HTMLElement {
  const l = d.report.layers[d.layer];
  const reveal = h('button', { type: 'button', class: 'link', testid: 'reveal-node', title: 'Show this node in the model\'s text view' }, 'Show in text view');
  reveal.addEventListener('click', d.onReveal);
  return h(
    'section',
    { id: 'layer-detail', class: 'card detail', testid: 'layer-detail', 'aria-labelledby': 'layer-detail-title', 'data-layer': d.layer },
    h('h2', { id: 'layer-detail-title' }, `${l.op} `, h('code', {}, l.node), ' ', severityBadge(l.severity)),
    facts(d.report, l, d.change, reveal),
    fixButtons(l, d.fixes, d.fixNote, d.onFix),
    h('h3', {}, `Units (${count(l.units)})`),
    unitGrid(l),
    h('h3', {}, 'Pre-activation'),
    histogramFigure(l),
    h('h3', {}, 'Causes of the dead units'),
    causes(l),
  );
}

function facts(r: Report, l: LayerReport, change: LayerChange | undefined, reveal: HTMLElement): HTMLElement {
  const rows: Array<[string, Child]> = [
    ['Producer', l.producer ? h('span', {}, `${l.producer.op} `, h('code', {}, l.producer.node), l.batchNorm ? h('span', {}, ' → BatchNormalization ', h('code', {}, l.batchNorm.node)) : null) : h('span', { class: 'muted' }, 'none found')],
    ['Output', h('span', {}, h('code', {}, l.output), ` (unit axis ${l.unitAxis}${l.graphPath ? `, in ${l.graphPath}` : ''}) `, reveal)],
    ['Units', stackedBar(l)],
    ['Dead', `${ofUnits(l.dead.length, l.units)}: ${unitRanges(l.dead)}`],
    ['Proven dead', l.proofAvailable ? `${ofUnits(l.provenDead.length, l.units)}: ${unitRanges(l.provenDead)}` : `not decided${l.proofNote ? `: ${l.proofNote}` : ''}`],
    ['Dormant', `${ofUnits(l.dormant.length, l.units)}: ${unitRanges(l.dormant)}`],
    ['Always active', `${ofUnits(l.alwaysActive.length, l.units)}`],
    ['Sparsity', `${pct(l.sparsity)} of outputs are zero`],
  ];
  if (l.dead.length) rows.push(['Confidence', `a unit that never fired on ${count(r.samples.count)} samples fires on at most ${pct(l.firingRateUpperBound95)} of samples (95% bound)`]);
  if (change) rows.push(['Before the fix', `${ofUnits(change.deadBefore, change.unitsBefore)} dead, ${count(change.provenBefore)} proven dead → now ${count(change.deadAfter)} dead, ${count(change.provenAfter)} proven dead`]);
  if (l.note) rows.push(['Note', l.note]);
  return h('dl', { class: 'facts', testid: 'layer-facts' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function fixButtons(l: LayerReport, fixes: readonly ReportFix[], note: string | undefined, onFix: (id: ReportFixId) => void): HTMLElement | null {
  if (!fixes.length) {
    if (!l.dead.length && !l.provenDead.length) return null;
    return h('p', { class: 'muted', testid: 'fix-note' }, note ?? 'No fix applies to this layer.');
  }
  const buttons = fixes.map((f) => {
    const b = h('button', { type: 'button', class: f.preferred ? 'primary' : 'secondary', testid: `fix-${f.id}`, 'data-fix': f.id }, f.title);
    b.addEventListener('click', () => onFix(f.id));
    return b;
  });
  return h('div', { class: 'fixes', role: 'group', 'aria-label': 'Fixes for this layer', testid: 'fixes' }, ...buttons);
}

/** The unit grid: one cell per unit (up to MAX_GRID_UNITS), a legend and a readout of the focused cell. */
function unitGrid(l: LayerReport): HTMLElement {
  if (l.units === 0) return h('p', { class: 'muted' }, l.observation === 'none' ? 'Not observed (inside a subgraph or function).' : l.graphPath ? 'Not reached: this body never ran on the samples.' : 'No units.');
  const cats = unitCategories(l);
  const always = new Set(l.alwaysActive);
  const n = Math.min(l.units, MAX_GRID_UNITS);
  const readout = h('p', { class: 'readout', testid: 'unit-readout', 'aria-live': 'polite' }, 'Hover or focus a unit (arrow keys move) for its numbers.');
  const grid = h('div', { class: 'units', role: 'group', testid: 'unit-grid', 'aria-label': `${count(l.units)} units of ${l.node}, coloured by verdict and activation rate` });
  const cells: HTMLElement[] = [];
  for (let u = 0; u < n; u++) {
    const c = h('span', { class: `unit u-${cats[u]}`, 'data-unit': u, title: `unit ${u}: fires ${pct(l.activationRate[u] ?? 0)}${cats[u] === 'proven' || cats[u] === 'dead' || cats[u] === 'dormant' ? ` (${cats[u] === 'proven' ? 'proven dead' : cats[u]})` : ''}`, tabindex: u === 0 ? 0 : -1 });
    cells.push(c);
  }
  grid.append(...cells);
  let at = 0;
  const show = (u: number) => {
    readout.textContent = unitDetail(l, u, cats[u], always);
  };
  grid.addEventListener('focusin', (e) => {
    const u = Number((e.target as HTMLElement).dataset.unit);
    if (Number.isInteger(u)) show(u);
  });
  grid.addEventListener('mouseover', (e) => {
    const u = Number((e.target as HTMLElement).dataset.unit);
    if (Number.isInteger(u)) show(u);
  });
  grid.addEventListener('keydown', (e) => {
    const cols = getComputedStyle(grid).gridTemplateColumns.split(' ').filter(Boolean).length;
    const next = moveInGrid(at, e.key, cols, n);
    if (next === at && !['ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(e.key)) return;
    e.preventDefault();
    cells[at].tabIndex = -1;
    at = next;
    cells[at].tabIndex = 0;
    cells[at].focus();
  });
  const legend = h('p', { class: 'legend', testid: 'unit-legend' }, ...UNIT_LEGEND.map((k) => h('span', { class: 'key' }, h('span', { class: `swatch u-${k.category}` }), k.label)));
  const more = l.units > n ? h('p', { class: 'muted' }, `Showing the first ${count(n)} of ${count(l.units)} units; the verdict lists above cover all of them.`) : null;
  return h('div', { class: 'unit-block' }, legend, grid, more, readout);
}

function causes(l: LayerReport): HTMLElement {
  if (!l.causes.length) {
    const dead = l.dead.length + l.provenDead.length;
    return h('p', { class: 'muted', testid: 'causes' }, dead ? 'No cause could be read from the weights and statistics.' : 'No dead units.');
  }
  return h(
    'ul',
    { class: 'causes', testid: 'causes' },
    ...l.causes.map((c) =>
      h(
        'li',
        {},
        h('strong', {}, causeLabel(c.id)),
        ` (${count(c.units.length)} unit${c.units.length === 1 ? '' : 's'}: ${unitRanges(c.units, 12)}). `,
        c.message.endsWith('.') ? c.message : `${c.message}.`,
        h('div', { class: 'remedies' }, 'Remedies: ', ...c.remedies.flatMap((r, i) => [i ? ', ' : '', h('span', { class: 'remedy' }, remedyLabel(r))])),
      ),
    ),
  );
}

