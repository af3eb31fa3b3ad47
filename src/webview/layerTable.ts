// The searchable, filterable, paged layer list. The full list stays in memory (it may still be
// arriving in chunks); the DOM holds only the visible page(s). Clicking a layer's name asks the
// host to show that node in the text view.
import type { LayerSummary } from '../protocol/viewer';
import { clear, h } from './dom';
import { countLabel, filterLayers, LayerFilter, PAGE_SIZE, searchIndex, visibleRows } from './layers';
import { thousands } from './format';
import { section } from './sections';

/** The user's list state, persisted across webview reloads. */
export interface LayerState {
  query: string;
  reluOnly: boolean;
  pages: number;
}

/** The layers section and a way to add layers that arrive later. */
export interface LayerList {
  readonly element: HTMLElement;
  /** Appends layers (graph order, after those already held). */
  append(layers: readonly LayerSummary[]): void;
}

/** Builds the layers section; `onState` hears every state change, `onReveal` a layer activation. */
export function layerSection(
  initial: readonly LayerSummary[],
  total: number,
  state: LayerState,
  onState: (s: LayerState) => void,
  onReveal: (index: number) => void,
): LayerList {
  const layers: LayerSummary[] = initial.slice();
  const index = searchIndex(layers);
  const search = h('input', { id: 'layer-search', testid: 'layer-search', type: 'search', placeholder: 'Search name, op, output or shape', 'aria-label': 'Search layers', spellcheck: 'false' });
  search.value = state.query;
  const reluOnly = h('input', { id: 'relu-only', testid: 'relu-only', type: 'checkbox' });
  reluOnly.checked = state.reluOnly;
  const count = h('span', { id: 'layer-count', testid: 'layer-count', role: 'status' });
  const body = h('tbody', {});
  const more = h('button', { id: 'show-more', testid: 'show-more', type: 'button', class: 'secondary' }, 'Show more');
  const table = h(
    'table',
    { id: 'layer-table', testid: 'layer-table', class: 'layers' },
    h('thead', {}, h('tr', {}, ...['#', 'Name', 'Op', 'Output shapes', 'Parameters'].map((t) => h('th', { scope: 'col' }, t)))),
    body,
  );

  const filter = (): LayerFilter => ({ query: search.value, reluOnly: reluOnly.checked });
  let matches: number[] = [];
  let shown = 0;
  // Adds rows up to the current page limit, then refreshes the count line and the "Show more" button.
  const fill = () => {
    const limit = visibleRows(matches.length, state.pages);
    for (; shown < limit; shown++) body.appendChild(row(layers[matches[shown]], onReveal));
    const f = filter();
    const loading = layers.length < total ? ` — loading layers (${thousands(layers.length)} of ${thousands(total)})…` : '';
    count.textContent = countLabel(shown, matches.length, layers.length, f.query.trim() !== '' || f.reluOnly) + loading;
    more.hidden = shown >= matches.length;
    more.textContent = `Show more (${thousands(Math.min(matches.length - shown, PAGE_SIZE))} of ${thousands(matches.length - shown)} remaining)`;
  };
  const render = () => {
    matches = filterLayers(layers, index, filter());
    shown = 0;
    clear(body);
    fill();
  };
  const changed = () => {
    state = { query: search.value, reluOnly: reluOnly.checked, pages: 1 };
    onState(state);
    render();
  };
  // Debounce typing on big models; small ones filter on every key.
  let timer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(changed, total > 5000 ? 150 : 0);
  });
  reluOnly.addEventListener('change', changed);
  more.addEventListener('click', () => {
    state = { ...state, pages: state.pages + 1 };
    onState(state);
    fill();
  });
  render();

  const element = section(
    'layers',
    'Layers',
    h('div', { class: 'toolbar' }, search, h('label', { class: 'check' }, reluOnly, 'ReLU sites only'), count),
    h('div', { class: 'table-wrap' }, table),
    more,
  );
  return {
    element,
    append(added) {
      const start = layers.length;
      layers.push(...added);
      index.push(...searchIndex(added));
      const f = filter();
      for (const i of filterLayers(added, index.slice(start), f)) matches.push(start + i);
      fill();
    },
  };
}

function row(l: LayerSummary, onReveal: (index: number) => void): HTMLTableRowElement {
  const name = h('button', { type: 'button', class: 'link', title: 'Show this node in the text view', 'data-index': l.index }, l.name);
  name.addEventListener('click', () => onReveal(l.index));
  const op = h('td', {}, h('code', {}, l.domain && l.domain !== 'ai.onnx' ? `${l.domain}.${l.opType}` : l.opType));
  if (l.reluSite) op.append(' ', h('span', { class: 'badge', title: 'ReLU site: its units can die', testid: 'relu-badge' }, 'ReLU'));
  const shapes = h('td', { class: 'shapes' });
  l.outputShapes.forEach((s, i) => {
    if (i) shapes.append(h('br'));
    shapes.append(h('code', {}, s || '—'));
  });
  return h(
    'tr',
    { class: l.reluSite ? 'relu' : undefined, 'data-index': l.index },
    h('td', { class: 'num muted' }, l.index),
    h('td', { class: 'name' }, name),
    op,
    shapes,
    h('td', { class: 'num' }, l.parameters ? thousands(l.parameters) : ''),
  );
}
