// The sortable table of ReLU layers: a native <table> whose header buttons sort (aria-sort on the
// header cell) and whose rows select a layer by click, Enter/Space or the arrow keys (one row is
// in the tab order at a time: the selected one).
import type { LayerReport, Report, SortKey } from '../protocol/report';
import { Child, clear, h } from './dom';
import { count, pct } from './report-format';
import { LayerChange, MoveKey, moveSelection, nextSort, sortLayers } from './report-model';
import { severityBadge } from './report-sections';
import { section } from './sections';

type Sort = { key: SortKey; dir: 'asc' | 'desc' };

interface Column {
  readonly key: SortKey;
  readonly label: string;
  readonly title: string;
  readonly num: boolean;
  readonly cell: (l: LayerReport, i: number, change: LayerChange | undefined) => Child;
}

const COLUMNS: readonly Column[] = [
  { key: 'index', label: '#', title: 'Network order', num: true, cell: (_l, i) => i + 1 },
  { key: 'node', label: 'Layer', title: 'The ReLU node', num: false, cell: (l) => h('code', {}, l.node) },
  { key: 'op', label: 'Op', title: 'Operator', num: false, cell: (l) => l.op },
  { key: 'units', label: 'Units', title: 'Units on the unit axis', num: true, cell: (l) => count(l.units) },
  { key: 'dead', label: 'Dead', title: 'Never fired on the samples', num: true, cell: (l) => count(l.dead.length) },
  { key: 'provenDead', label: 'Proven dead', title: 'Cannot fire for any input in the box', num: true, cell: (l) => (l.proofAvailable ? count(l.provenDead.length) : h('span', { class: 'muted', title: l.proofNote ?? 'no bounds for this layer' }, '–')) },
  { key: 'dormant', label: 'Dormant', title: 'Mean activation at most τ of the layer mean', num: true, cell: (l) => count(l.dormant.length) },
  { key: 'deadFraction', label: 'Dead %', title: 'Share of dead or proven-dead units', num: true, cell: (l) => pct(l.deadFraction) },
  { key: 'sparsity', label: 'Sparsity', title: 'Share of zero outputs', num: true, cell: (l) => pct(l.sparsity) },
  { key: 'severity', label: 'Severity', title: 'From the dead share and the thresholds', num: false, cell: (l) => severityBadge(l.severity) },
];

const CHANGE: Column = {
  key: 'change',
  label: 'Dead before → after',
  title: 'Dead units before and after the fix',
  num: true,
  cell: (_l, _i, c) => (c ? h('span', { class: c.deadAfter < c.deadBefore ? 'better' : c.deadAfter > c.deadBefore ? 'worse' : '' }, `${count(c.deadBefore)} → ${count(c.deadAfter)}`) : h('span', { class: 'muted' }, 'new')),
};

const MOVE_KEYS: readonly string[] = ['ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'];

/** The table section and its controls. */
export interface LayerTable {
  readonly element: HTMLElement;
  /** Marks `layer` selected (and focuses its row when asked). */
  select(layer: number, focus: boolean): void;
}

/** Builds the table; `onSort` and `onSelect` hear the user's choices. */
export function layerTable(r: Report, changes: ReadonlyArray<LayerChange | undefined> | undefined, sort: Sort, selected: number, onSort: (s: Sort) => void, onSelect: (layer: number) => void): LayerTable {
  const columns = changes ? [...COLUMNS, CHANGE] : COLUMNS;
  const body = h('tbody', {});
  const rows = new Map<number, HTMLTableRowElement>();
  let order: number[] = [];
  let current = selected;

  const headers = columns.map((c) => {
    const b = h('button', { type: 'button', class: 'sort', title: `${c.title}. Sort by ${c.label}`, testid: `sort-${c.key}` }, c.label, h('span', { class: 'arrow', 'aria-hidden': 'true' }));
    const th = h('th', { scope: 'col', class: c.num ? 'num' : undefined, 'data-key': c.key }, b);
    b.addEventListener('click', () => {
      sort = nextSort(sort, c.key);
      onSort(sort);
      render();
    });
    return th;
  });

  const render = () => {
    order = sortLayers(r.layers, sort.key, sort.dir, changes ?? []);
    headers.forEach((th, k) => {
      const on = columns[k].key === sort.key;
      if (on) th.setAttribute('aria-sort', sort.dir === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
      const arrow = th.querySelector('.arrow');
      if (arrow) arrow.textContent = on ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : '';
    });
    clear(body);
    rows.clear();
    for (const i of order) {
      const l = r.layers[i];
      const tr = h('tr', { 'data-layer': i, class: `sev-row-${l.severity}`, tabindex: -1 }, ...columns.map((c) => h('td', { class: c.num ? 'num' : undefined }, c.cell(l, i, changes?.[i]))));
      tr.addEventListener('click', () => choose(i, false));
      rows.set(i, tr);
      body.append(tr);
    }
    mark(false);
  };

  const mark = (focus: boolean) => {
    const fallback = current >= 0 && rows.has(current) ? current : order[0];
    for (const [i, tr] of rows) {
      const on = i === current;
      tr.classList.toggle('selected', on);
      if (on) tr.setAttribute('aria-current', 'true');
      else tr.removeAttribute('aria-current');
      tr.tabIndex = i === fallback ? 0 : -1;
    }
    const row = rows.get(current);
    if (row && focus) {
      row.focus();
      row.scrollIntoView({ block: 'nearest' });
    }
  };

  const choose = (i: number, focus: boolean) => {
    current = i;
    mark(focus);
    onSelect(i);
  };

  body.addEventListener('keydown', (e) => {
    const tr = (e.target as HTMLElement).closest('tr');
    const at = tr ? Number(tr.dataset.layer) : current;
    if (MOVE_KEYS.includes(e.key)) {
      e.preventDefault();
      choose(moveSelection(order, at, e.key as MoveKey), true);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      choose(at, true);
    }
  });

  render();
  const table = h(
    'table',
    { class: 'report-layers', testid: 'report-layers', 'aria-label': 'ReLU layers (select a row for its units, histogram and causes)' },
    h('thead', {}, h('tr', {}, ...headers)),
    body,
  );
  const element = section('layers', 'Layers', h('p', { class: 'muted hint' }, 'Sort with the column headers; select a layer with a click, Enter or the arrow keys.'), h('div', { class: 'table-wrap' }, table));
  return {
    element,
    select(layer, focus) {
      current = layer;
      mark(focus);
    },
  };
}
